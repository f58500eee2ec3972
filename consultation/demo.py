"""Demo consultations: the 2016 PEP consultation with responses from the demo schools, one
consultation open today (so a head can try answering), and one not yet open.

Deterministic (a fixed random seed per school) and idempotent (everything is found by its
natural key and updated): loading twice changes nothing. The 2016 text is abridged from the
Portsmouth consultation document of September 2016.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from pep_portal.platform.demo import demo_loader
from schools.models import School
from schools.selectors import partnership_schools

from .models import (
    SCALE_CHOICES,
    Answer,
    Audience,
    Consultation,
    Question,
    Response,
    Stage,
    Tag,
)
from .services import sanitise_document

LONDON = ZoneInfo("Europe/London")
# The times of day the consultations dated from today open and close.
OPENS_AT, CLOSES_AT = dt.time(9, 0), dt.time(17, 0)
PEP_TITLE = "Consultation on a new Education Partnership for Portsmouth"
BOARDS = ["Strategic Board", "Operational Group"]

PEP_SUMMARY = (
    "Proposals for a new Education Partnership for Portsmouth, led by schools with the full "
    "participation of a range of stakeholders, focused on raising standards and improving "
    "outcomes for children and young people. We would be grateful for your views by Friday "
    "21 October 2016."
)

PEP_DOCUMENT = """
<h2>Foreword</h2>
<p>Schools and academies in Portsmouth work very hard to help children and young people develop
the understanding, skills and character they need to succeed and live fulfilled lives. There is
also significant change ahead: the White Paper <em>Educational Excellence Everywhere</em>
confirmed the Government's commitment to a school-led, self-improving system.</p>
<p>This consultation document sets out proposals for a new Education Partnership for
Portsmouth, led by schools but with the full participation of a range of stakeholders. The
consultation will end formally on Friday 21 October 2016.</p>
<h2>1. A vision for Portsmouth</h2>
<p>There is a strong appetite to develop new collective arrangements, led by schools, through
which schools, academies, MATs, colleges, the university, teaching schools and wider
stakeholders can take forward joint projects and deploy system leaders (NLEs, SLEs, LLEs and
NLGs) across the city.</p>
<h2>2. Principles</h2>
<ol type="a">
<li>All partnership work will have a collective focus on improving standards city wide, with
accountability shared across the city</li>
<li>All pupils learning within a Portsmouth school or academy are Portsmouth learners for whom
there is a collective responsibility</li>
<li>The Partnership will promote a culture of openness and trust</li>
<li>All schools should be good or better</li>
<li>No school should be left isolated</li>
<li>Support should be brokered from a variety of sources, focusing on pre-emptive and
preventative action</li>
<li>Resources should be used well and duplication avoided</li>
<li>Robust quality assurance measures should ensure value for money</li>
<li>Local strategic priorities should be set by the Strategic Board following consultation</li>
<li>The Partnership should be a forum for communication and improvement, with schools and
stakeholders held to account</li>
</ol>
<h2>3. Potential priorities</h2>
<ul>
<li>More options for high-quality challenge and appraisal</li>
<li>Co-ordinating school improvement support and making effective use of system leaders</li>
<li>Teacher recruitment and retention, including career pathways</li>
<li>Leadership development at all levels</li>
<li>Curriculum development and subject networks</li>
<li>Inclusion</li>
<li>Recruiting and supporting volunteers working in schools</li>
<li>A collective interface for multi-academy trusts operating in the city</li>
</ul>
<h2>4. How might an Education Partnership work?</h2>
<p>A <strong>Strategic Board</strong> would steer the Partnership and agree the vision and
priorities, chaired by an independent chair. Below it an <strong>Operational Group</strong>
would meet every half term, accountable to the Strategic Board: the engine of the
Partnership, analysing the data and proposing priorities. Membership of the Partnership would
be open to all schools and a range of partners.</p>
<p>A possible Strategic Board: an independent chair; 3 secondary, 1 special and 4 primary
headteachers; 2 academy trusts; 2 post-16 principals; 1 HE; the Director and Deputy Director
of Children's Services; the teaching school director; the Deputy Regional Schools
Commissioner; 2 diocese representatives.</p>
<h2>5. Consultation</h2>
<p>Please answer the five questions below for your school.</p>
"""

PEP_QUESTIONS = [
    dict(
        kind=Question.Kind.SCALE,
        text="Do you agree with the vision as described in Section 1 and the purpose of the Partnership?",
        allow_comment=True,
        comment_label="Comments on the vision and purpose (optional)",
        mandatory=True,
    ),
    dict(
        kind=Question.Kind.SCALE,
        text="Do you agree with the principles set out in Section 2 of this document?",
        allow_comment=True,
        comment_label="Are there others that should be included?",
        mandatory=True,
    ),
    dict(
        kind=Question.Kind.FREE_TEXT,
        text="Do you have any comments on the possible priorities identified in Section 3? "
        "Do you have other ideas?",
        max_length=3000,
    ),
    dict(
        kind=Question.Kind.SCALE,
        text="Do you think the proposed structure set out in Section 4 makes sense? Do you agree "
        "with the suggested composition of the Strategic Board?",
        allow_comment=True,
        comment_label="Comments on the structure and the Strategic Board's composition",
        mandatory=True,
    ),
    dict(
        kind=Question.Kind.INTEREST,
        text="Do you feel your school / institution can contribute to the work of the "
        "Partnership? Would you be interested in being a member of the Strategic Board "
        "and/or Operational Group?",
        choices=BOARDS,
        allow_comment=True,
        comment_label="How could your school contribute?",
        mandatory=True,
        help_text="Tick the board or group your school would like to join, if any.",
    ),
]

VISION_COMMENTS = [
    "We strongly support a school-led partnership that keeps all Portsmouth schools together.",
    "The vision is right, but it must not become another layer of meetings.",
    "Agree, provided academies and maintained schools have an equal voice.",
    "We welcome the focus on disadvantaged pupils and closing the gaps.",
    "The purpose is clear; we would like to see measurable targets.",
]
PRINCIPLE_COMMENTS = [
    "Add a principle on pupils' wellbeing and mental health.",
    "Principle (e), no school left isolated, matters most to small schools like ours.",
    "Include early years and post-16 explicitly.",
    "Openness and trust will need a protocol on sharing data between schools.",
    "Add a principle that governors are engaged, not only headteachers.",
]
PRIORITY_TEXTS = [
    "Teacher recruitment and retention is our biggest issue: a city-wide offer to NQTs and a "
    "career pathway across schools would help.",
    "Leadership development for middle leaders should come first; we lose good people to "
    "neighbouring authorities.",
    "Inclusion and alternative provision need a city-wide approach; exclusions are rising.",
    "Subject networks for secondary science and maths, linked to the new UTC.",
    "Please co-ordinate NLE and SLE deployment so support goes where it is most needed.",
    "Challenge and review through triads of schools would be valuable, with clear protocols.",
    "Volunteering by university students in primary reading would be very welcome.",
    "Funding: schools cannot commit money yet, but would contribute staff time.",
    "Phonics and early reading should be a priority given the Year 1 results.",
    "A collective voice for the MATs operating in the city, meeting regularly with the LA.",
]
STRUCTURE_COMMENTS = [
    "The Strategic Board is too large to make decisions; eight to ten members would be better.",
    "Special schools need more than one seat given the inclusion priority.",
    "Primary headteachers should have more seats: they are most of the city's schools.",
    "An independent chair is right for the first two years.",
    "The Operational Group must include practitioners, not only senior leaders.",
]
CONTRIBUTION_COMMENTS = [
    "Our SLEs in maths and English could support other schools.",
    "We can host subject network meetings and CPD sessions.",
    "Our headteacher has experience of a similar partnership in Hampshire.",
    "We can share our data analysis of disadvantaged pupils' progress.",
    "We would contribute through the special schools' outreach service.",
]
SCALE_WEIGHTS = {
    "vision": [35, 45, 12, 6, 2],
    "principles": [40, 45, 10, 4, 1],
    "structure": [18, 40, 20, 17, 5],
}
TAG_WORDS = {
    "recruitment": ("recruitment", "NQT", "lose good people"),
    "inclusion": ("inclusion", "exclusion", "special"),
    "funding": ("funding", "money"),
    "governance": ("board", "chair", "seats", "governors"),
    "leadership": ("leader",),
}


def _london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def _days_away(days: int, at: dt.time) -> dt.datetime:
    """London time ``at``, ``days`` from today (negative: ago): the dates move with the demo."""
    return dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), at, tzinfo=LONDON)


def _consultation(title: str, **fields) -> Consultation:
    # The demo's consultations are scheduled (out of draft); one that has opened has invited
    # its audience already, so loading the demo sends no invitations.
    fields.setdefault("stage", Stage.SCHEDULED)
    opened = fields["opens_at"] <= timezone.now()
    fields.setdefault("invitations_sent_at", fields["opens_at"] if opened else None)
    consultation, _ = Consultation.objects.update_or_create(title=title, defaults=fields)
    return consultation


def _questions(consultation: Consultation, specs: list[dict]) -> list[Question]:
    questions = []
    for position, spec in enumerate(specs, start=1):
        defaults = {
            "kind": spec["kind"],
            "text": spec["text"],
            "help_text": spec.get("help_text", ""),
            "choices": spec.get("choices", []),
            "allow_comment": spec.get("allow_comment", False),
            "comment_label": spec.get("comment_label", ""),
            "max_length": spec.get("max_length", 2000),
            "mandatory": spec.get("mandatory", False),
        }
        question, _ = Question.objects.update_or_create(
            consultation=consultation, position=position, defaults=defaults
        )
        questions.append(question)
    return questions


def _answer(response, question, value, comment="") -> Answer:
    answer, _ = Answer.objects.update_or_create(
        response=response, question=question, defaults={"value": value, "comment": comment}
    )
    return answer


def _respond(consultation, school, answers, *, submitted_at=None) -> Response:
    status = Response.Status.SUBMITTED if submitted_at else Response.Status.DRAFT
    response, _ = Response.objects.update_or_create(
        consultation=consultation,
        school=school,
        defaults={
            "status": status,
            "submitted_at": submitted_at,
            "submission_count": 1 if submitted_at else 0,
        },
    )
    for question, (value, comment) in answers.items():
        _answer(response, question, value, comment)
    return response


def _scale(rng: random.Random, key: str) -> str:
    return rng.choices(SCALE_CHOICES, weights=SCALE_WEIGHTS[key])[0]


def _demo_schools():
    return list(partnership_schools().order_by("urn"))


def load_pep_2016(schools) -> Consultation:
    consultation = _consultation(
        PEP_TITLE,
        summary=PEP_SUMMARY,
        document_html=sanitise_document(PEP_DOCUMENT),
        opens_at=_london(2016, 9, 5, 9, 0),
        closes_at=_london(2016, 10, 21, 23, 59),
        audience=Audience.ALL,
        audience_phase="",
        feedback_html=sanitise_document(PEP_FEEDBACK),
        feedback_published_at=_london(2016, 11, 18, 12, 0),
    )
    q = _questions(consultation, PEP_QUESTIONS)
    tags = {
        name: Tag.objects.get_or_create(consultation=consultation, name=name)[0]
        for name in TAG_WORDS
    }
    start = _london(2016, 9, 12, 9, 0)
    for school in schools:
        rng = random.Random(f"pep-2016-{school.urn}")
        roll = rng.random()
        if roll > 0.85:
            continue  # about one school in seven did not respond
        vision, principles, structure = (
            _scale(rng, "vision"),
            _scale(rng, "principles"),
            _scale(rng, "structure"),
        )
        boards = []
        strategic_chance = 0.45 if school.phase in ("secondary", "all_through", "post16") else 0.15
        if rng.random() < strategic_chance:
            boards.append("Strategic Board")
        if rng.random() < 0.35:
            boards.append("Operational Group")
        answers = {
            q[0]: (vision, rng.choice(VISION_COMMENTS) if rng.random() < 0.4 else ""),
            q[1]: (principles, rng.choice(PRINCIPLE_COMMENTS) if rng.random() < 0.35 else ""),
            q[2]: (rng.choice(PRIORITY_TEXTS) if rng.random() < 0.7 else "", ""),
            q[3]: (structure, rng.choice(STRUCTURE_COMMENTS) if rng.random() < 0.45 else ""),
            q[4]: (boards, rng.choice(CONTRIBUTION_COMMENTS) if rng.random() < 0.6 else ""),
        }
        submitted_at = start + dt.timedelta(days=rng.randint(0, 38), minutes=rng.randint(0, 480))
        draft_only = roll > 0.80  # a few drafts never submitted
        response = _respond(
            consultation, school, answers, submitted_at=None if draft_only else submitted_at
        )
        for answer in response.answers.all():
            text = f"{answer.value if isinstance(answer.value, str) else ''} {answer.comment}"
            answer.tags.set(
                [
                    tags[n]
                    for n, words in TAG_WORDS.items()
                    if any(w.lower() in text.lower() for w in words)
                ]
            )
    return consultation


PEP_FEEDBACK = """
<p>Thank you to the schools that responded to the consultation on a new Education
Partnership for Portsmouth.</p>
<h3>You said</h3>
<ul>
<li>The great majority of schools agreed with the vision, the purpose and the principles.</li>
<li>Many of you asked for wellbeing, early years and post-16 to be explicit.</li>
<li>Some of you thought the proposed Strategic Board was too large, and that primary and
special schools needed a stronger voice.</li>
<li>Recruitment and retention, leadership development and inclusion were the priorities
you raised most often.</li>
</ul>
<h3>We did</h3>
<ul>
<li>The Partnership was established, with the Strategic Board first meeting in November
2016 under an independent chair.</li>
<li>The Strategic Board's membership was revised to add a primary and a special school
seat, and its terms of reference set a quorum of half the members.</li>
<li>The Operational Group, chaired by a headteacher, took on school categorisation and the
annual challenge process.</li>
<li>Recruitment and retention, leadership and inclusion became sub-groups in the first work
programme.</li>
</ul>
"""

OPEN_QUESTIONS = [
    dict(
        kind=Question.Kind.SCALE,
        text="Do you agree that reading at key stage 2 should remain the partnership's first "
        "priority next year?",
        allow_comment=True,
        mandatory=True,
    ),
    dict(
        kind=Question.Kind.MULTIPLE,
        text="Which priorities should the Operational Group focus on next year?",
        choices=[
            "Challenge and review",
            "Deploying system leaders",
            "Recruitment and retention",
            "Leadership development",
            "Curriculum and subject networks",
            "Inclusion",
            "Volunteers in schools",
        ],
        help_text="Choose up to three.",
        mandatory=True,
    ),
    dict(
        kind=Question.Kind.SINGLE,
        text="How should challenge and review between schools be organised?",
        choices=[
            "Triads of schools",
            "Pairs of schools",
            "Through an external partner",
            "Led by the local authority",
        ],
    ),
    dict(
        kind=Question.Kind.YES_NO,
        text="Would your school host a subject network meeting next year?",
    ),
    dict(
        kind=Question.Kind.FREE_TEXT,
        text="What else should the partnership do next year?",
        max_length=1500,
    ),
    dict(
        kind=Question.Kind.INTEREST,
        text="Would your school like a place on one of the boards or groups?",
        choices=BOARDS,
        allow_comment=True,
        comment_label="Who would represent your school?",
    ),
]


def load_open(schools, head_school) -> Consultation:
    opens, closes = _days_away(-10, OPENS_AT), _days_away(20, CLOSES_AT)
    consultation = _consultation(
        "Partnership priorities for next year",
        summary=(
            "The Strategic Board is setting next year's work programme. Tell us which "
            "priorities matter most to your school and how you would like to take part."
        ),
        document_html=sanitise_document(
            "<p>The Operational Group has reviewed this year's outcomes. Reading at key stage 2 "
            "improved but remains below national; recruitment and inclusion remain pressing. "
            "The Strategic Board will agree next year's priorities at its next meeting, taking "
            "your answers into account.</p>"
        ),
        opens_at=opens,
        closes_at=closes,
        audience=Audience.ALL,
        audience_phase="",
    )
    q = _questions(consultation, OPEN_QUESTIONS)
    others = [s for s in schools if head_school is None or s.pk != head_school.pk]
    for index, school in enumerate(others[:14]):
        rng = random.Random(f"open-{school.urn}")
        answers = {
            q[0]: (rng.choice(SCALE_CHOICES[:4]), ""),
            q[1]: (rng.sample(OPEN_QUESTIONS[1]["choices"], 3), ""),
            q[2]: (rng.choice(OPEN_QUESTIONS[2]["choices"]), ""),
            q[3]: (rng.choice(["Yes", "No"]), ""),
            q[4]: (rng.choice(PRIORITY_TEXTS) if rng.random() < 0.5 else "", ""),
            q[5]: (["Operational Group"] if rng.random() < 0.3 else [], ""),
        }
        submitted = opens + dt.timedelta(days=1 + index % 8, hours=index % 6)
        _respond(consultation, school, answers, submitted_at=submitted if index % 3 else None)
    return consultation


def load_upcoming() -> Consultation:
    return _consultation(
        "Secondary inclusion charter",
        summary=(
            "A draft charter on managed moves, alternative provision and reducing exclusions, "
            "for secondary schools and academies."
        ),
        document_html=sanitise_document(
            "<p>The inclusion sub-group will publish the draft charter when the consultation "
            "opens.</p>"
        ),
        opens_at=_days_away(14, OPENS_AT),
        closes_at=_days_away(42, CLOSES_AT),
        audience=Audience.PHASE,
        audience_phase="secondary",
    )


def load_draft() -> Consultation:
    """A draft only officers see: the officer previews and schedules it in the demo."""
    draft = _consultation(
        "Attendance strategy 2027-2030",
        summary=(
            "Proposals for a city-wide attendance strategy: a shared first-day response, "
            "attendance champions in every school and termly data reviews."
        ),
        document_html=sanitise_document(
            "<p>The attendance task-and-finish group proposes three commitments for every "
            "school in the partnership.</p>"
        ),
        opens_at=_days_away(7, OPENS_AT),
        closes_at=_days_away(35, CLOSES_AT),
        audience=Audience.ALL,
        stage=Stage.DRAFT,
    )
    _questions(
        draft,
        [
            dict(
                kind=Question.Kind.SCALE,
                text="Do you agree with a shared first-day response to absence?",
                allow_comment=True,
                mandatory=True,
            ),
            dict(kind=Question.Kind.FREE_TEXT, text="What would help your school most?"),
        ],
    )
    return draft


@demo_loader(order=40, name="consultation")
@transaction.atomic
def load(stdout=None) -> None:
    schools = _demo_schools()
    head_school = (
        School.objects.filter(la__code=851, phase="primary", trust__isnull=True)
        .order_by("urn")
        .first()
    )
    pep = load_pep_2016(schools)
    open_one = load_open(schools, head_school)
    upcoming = load_upcoming()
    upcoming_questions = [
        dict(
            kind=Question.Kind.SCALE,
            text="Do you agree with the draft charter?",
            allow_comment=True,
            mandatory=True,
        ),
        dict(kind=Question.Kind.YES_NO, text="Would your school sign the charter?"),
    ]
    _questions(upcoming, upcoming_questions)
    draft = load_draft()
    if stdout:
        submitted = pep.responses.filter(status=Response.Status.SUBMITTED).count()
        stdout.write(
            f"  consultations: 2016 PEP consultation ({submitted} responses), "
            f"“{open_one.title}” (open), “{upcoming.title}” (scheduled), "
            f"“{draft.title}” (draft)"
        )
