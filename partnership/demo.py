"""Demo data: the Portsmouth Education Partnership's Strategic Board and Operational Group as
their 2016 terms of reference set them up (members named by role only), a year of meetings
(2016/17) with agendas, attendance, minutes and actions, school-to-school support deployments
(the case study's ~89 a year, three quarters from MATs, scaled to the demo schools) and
categorisation (3Ms) decisions. Idempotent: what exists is left alone. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pep_portal.platform.demo import demo_loader
from schools.selectors import partnership_schools

from .calculations.terms import upcoming_meeting_days
from .categorisation import services as categorisation_services
from .categorisation.models import CategorisationReview, LetterTemplate
from .governance import services as governance_services
from .governance.models import Board, Meeting, Membership, Partnership, Person
from .support import services as support_services
from .support.models import Deployment

PARTNERSHIP = "Portsmouth Education Partnership"
PAPERS_AHEAD = 7  # papers go out a week before a meeting: sent only for meetings this close
VISION = (
    "A school-led partnership in which every Portsmouth learner attends a good or better "
    "school, with accountability for standards shared across the city."
)
PRINCIPLES = """All partnership work will have a collective focus on improving standards city wide, with accountability shared across the city
All pupils learning within a Portsmouth school or academy are regarded as Portsmouth learners for whom there is a collective responsibility
The Partnership will promote a culture of openness and trust in order to achieve maximum acceleration of improvement
All schools should be good or better and the partnership will focus its attention to achieving this goal
No school should be left isolated
Support should be brokered from a variety of sources, focusing on pre-emptive and preventative action
Resources should be used well and duplication avoided
Robust quality assurance measures should be used to ensure value for money
Local strategic priorities should be set by the Strategic Board following consultation
The Partnership should be a forum for communication and improvement, with schools and stakeholders held to account"""
PRIORITIES = """Co-ordinating school improvement support and making effective use of system leaders
Teacher recruitment and retention, including career pathway development
Leadership development at all levels
Curriculum development and subject networks
Inclusion
Recruiting and supporting volunteers working in schools
Collective interface for Multi Academy Trusts that operate in the City"""

SB_PURPOSE = (
    "To oversee the work of the Portsmouth Education Partnership (PEP). It will provide overall "
    "strategic direction, and approve an annual work programme."
)
SB_TOR = """1. Approve a two year strategy for education in Portsmouth 2016 - 2018 including ambitious targets for improvement
2. Identify priorities for improvement and agree an annual programme of work, package of support and allocation of resources to achieve agreed outcomes
3. Receive and approve reports from the PEP Operational Group
4. Use data and other evidence to monitor impact, evaluate progress and highlight areas for discussion where targeted support might be required
The membership of the Strategic Board will be agreed annually at the first meeting of the Board of the academic year. The Strategic Board may co-opt other 'non-voting' persons/organisations as it deems appropriate.
The quorum shall be 50% of the members of the Strategic Board present."""
OG_PURPOSE = (
    "To provide the professional workforce, expertise and advice that will enable the Strategic "
    "Board to carry out its strategic function; the engine behind the Partnership, responsible "
    "for analysis of data and trends, performance management and agreeing support for schools "
    "causing concern."
)
OG_TOR = """1. Present to the Strategic Board a recommended annual programme of work, package of support and allocation of resources
2. Undertake an initial high level desk top review and evaluation of all schools in order to identify for the Strategic Board those that are a cause for concern
3. Present to the Strategic Board a half termly report on the identified / supported schools using data and other evidence to monitor impact and progress
Minutes are circulated to all members as soon as available and formally agreed at the next meeting of the Strategic Board."""

# (role name, represents, position, voting) from the terms of reference, names left out.
SB_MEMBERS = [
    ("Independent chair", "independent", "chair", True),
    ("Secondary headteacher representative 1", "secondary_head", "member", True),
    ("Secondary headteacher representative 2", "secondary_head", "member", True),
    ("Special school headteacher representative", "special_head", "member", True),
    ("Primary headteacher representative 1", "primary_head", "vice_chair", True),
    ("Primary headteacher representative 2", "primary_head", "member", True),
    ("Primary headteacher representative 3", "primary_head", "member", True),
    ("Academy trust representative 1", "academy_trust", "member", True),
    ("Academy trust representative 2", "academy_trust", "member", True),
    ("Academy trust representative 3", "academy_trust", "member", True),
    ("Post-16 principal 1", "post16", "member", True),
    ("Post-16 principal 2", "post16", "member", True),
    ("Higher education representative", "he", "member", True),
    ("Director of Children's Services", "la_officer", "member", True),
    ("Deputy Director of Children's Services - Education", "la_officer", "member", True),
    ("Director, Teaching School", "teaching_school", "member", True),
    ("Education business partnership representative", "business", "member", True),
    ("Catholic diocese representative", "diocese", "member", True),
    ("Church of England diocese representative", "diocese", "member", True),
    ("Deputy Director of the Regional Schools Commissioner", "rsc", "member", True),
    ("Parent and carer representative (co-opted)", "parents", "member", False),
    ("Board secretary (LA officer)", "la_officer", "secretary", False),
]
OG_MEMBERS = [
    ("Primary headteacher (chair)", "primary_head", "chair", True),
    ("Director of Learning, Teaching School Alliance", "teaching_school", "member", True),
    ("Deputy Director of Children's Services - Education", "la_officer", "member", True),
    ("Director of the Maths Hub", "maths_hub", "member", True),
    ("Secondary headteacher representative 1", "secondary_head", "member", True),
    ("Special school headteacher representative", "special_head", "member", True),
    ("Academy headteacher representative", "academy_trust", "member", True),
    ("Primary headteacher representative 2", "primary_head", "member", True),
    ("Secondary headteacher representative 2", "secondary_head", "member", True),
    ("LA data team representative 1", "la_data", "member", True),
    ("LA data team representative 2", "la_data", "member", True),
    ("LA school improvement officer", "la_officer", "secretary", False),
]
SB_MEETINGS = [
    dt.date(2016, 10, 18),
    dt.date(2017, 1, 24),
    dt.date(2017, 5, 9),
    dt.date(2017, 7, 11),
]
OG_MEETINGS = [
    dt.date(2016, 9, 13),
    dt.date(2016, 10, 11),
    dt.date(2016, 11, 29),
    dt.date(2017, 1, 17),
    dt.date(2017, 2, 28),
    dt.date(2017, 4, 25),
    dt.date(2017, 6, 13),
    dt.date(2017, 7, 4),
]
FOCUS_WEIGHTS = [
    ("ks2_maths", 6),
    ("ks2_writing", 4),
    ("ks2_reading", 3),
    ("phonics", 2),
    ("eyfs", 1),
    ("ks4_maths", 3),
    ("ks4_english", 3),
    ("pupil_premium", 4),
    ("sen", 2),
    ("leadership", 3),
    ("governance", 2),
    ("teaching", 3),
]


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(f"  {text}")


def _person(name: str, organisation: str) -> Person:
    person = Person.objects.filter(name=name, organisation=organisation).first()
    return person or governance_services.person_create(name=name, organisation=organisation)


def _board(partnership, *, slug, **fields) -> tuple[Board, bool]:
    board = Board.objects.filter(slug=slug).first()
    if board:
        return board, False
    return governance_services.board_create(partnership=partnership, slug=slug, **fields), True


def _members(board: Board, specs, organisation: str) -> None:
    for name, represents, position, voting in specs:
        person = _person(name, organisation)
        if not board.memberships.filter(person=person).exists():
            governance_services.membership_create(
                board=board,
                person=person,
                represents=represents,
                position=position,
                voting=voting,
                start_date=dt.date(2016, 9, 1),
            )


def _meetings(board: Board, dates, location: str, rng: random.Random) -> int:
    made = 0
    today = timezone.localdate()
    for i, day in enumerate(dates):
        starts = _at(day)
        if board.meetings.filter(starts_at=starts).exists():
            continue
        meeting = governance_services.meeting_create(
            board=board, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), location=location
        )
        made += 1
        governance_services.agenda_item_add(
            meeting=meeting,
            title="Schools causing concern: half-termly report"
            if board.kind == Board.Kind.OPERATIONAL
            else "Report from the Operational Group",
            presenter="Chair of the Operational Group",
        )
        governance_services.agenda_item_add(meeting=meeting, title="Action plan progress (RAG)")
        # Papers on time, except one meeting's, which went out five days ahead; papers of a
        # meeting further ahead than PAPERS_AHEAD are not out yet (even on the day, eight days
        # ahead, when on-time papers would go out: not due, so not sent).
        late = i == 2
        sent = starts - dt.timedelta(days=5 if late else 8)
        if day <= today + dt.timedelta(days=PAPERS_AHEAD):
            governance_services.papers_publish(
                meeting=meeting,
                published_at=min(sent, timezone.now()),
                late_reason="Validated data arrived late" if late else "",
            )
        if day > today:
            continue
        members = list(board.memberships.all())
        statuses = {m.pk: ("present" if rng.random() < 0.75 else "apologies") for m in members}
        governance_services.attendance_record(meeting=meeting, statuses=statuses)
        governance_services.minutes_draft(
            meeting=meeting,
            text=f"The {board.name} met on {day:%d %B %Y}. Members reviewed the data and the "
            "action plan, and agreed the actions below.",
            now=starts + dt.timedelta(days=3),
        )
        governance_services.decision_record(
            meeting=meeting, text="The report was received and its recommendations agreed."
        )
        owner = members[rng.randrange(len(members))].person if members else None
        governance_services.action_create(
            meeting=meeting,
            description=f"Bring the next half-termly data summary ({day:%B %Y})",
            owner=owner,
            due_date=day + dt.timedelta(days=42),
        )
    return made


def _agree_minutes() -> None:
    """Minutes agreed at the next held meeting of the board that agrees them; actions closed
    at the board's next meeting."""
    now = timezone.now()
    for meeting in Meeting.objects.filter(minutes_status="draft").order_by("starts_at"):
        later = (
            meeting.board.minutes_board.meetings.filter(
                starts_at__gt=meeting.starts_at, starts_at__lte=now
            )
            .order_by("starts_at")
            .first()
        )
        if later is not None:
            governance_services.minutes_agree(meeting=meeting, at_meeting=later)
        closing = (
            meeting.board.meetings.filter(starts_at__gt=meeting.starts_at, starts_at__lte=now)
            .order_by("starts_at")
            .first()
        )
        if closing is not None:
            for action in meeting.actions_raised.filter(status="open"):
                governance_services.action_update(action=action, status="done", at_meeting=closing)


def _weighted(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def _support(stdout, rng: random.Random) -> None:
    from schools.models import Trust

    if Deployment.objects.exists():
        _say(stdout, "support deployments already loaded")
        return
    schools = list(partnership_schools().select_related("trust").order_by("urn"))
    if len(schools) < 4:
        _say(stdout, "support deployments skipped: no schools in the partnership's LA")
        return
    mat_schools = [s for s in schools if s.trust_id and s.trust.trust_type == Trust.TrustType.MAT]
    other_schools = [s for s in schools if s not in mat_schools]
    designations = [("sle", 6), ("nle", 2), ("lle", 2), ("nlg", 1)]
    leaders = []
    for i in range(max(6, len(schools) // 4)):
        from_mat = mat_schools and (i % 4 != 3 or not other_schools)
        home = rng.choice(mat_schools if from_mat else (other_schools or schools))
        designation = _weighted(rng, designations)
        leaders.append(
            support_services.system_leader_create(
                name=f"{designation.upper()} {i + 1}", designation=designation, home_school=home
            )
        )
    mat_leaders = [
        lead
        for lead in leaders
        if lead.home_school.trust_id and lead.home_school.trust.trust_type == "mat"
    ]
    other_leaders = [lead for lead in leaders if lead not in mat_leaders] or leaders
    # The case study: 89 deployments a year for ~65 schools, about three quarters from MATs.
    count = max(12, round(89 * len(schools) / 65))
    supported_pool = schools[: max(4, len(schools) * 2 // 5)]
    today = timezone.localdate()
    for i in range(count):
        leader = rng.choice(mat_leaders if (mat_leaders and i % 4 != 3) else other_leaders)
        target = rng.choice([s for s in supported_pool if s.pk != leader.home_school_id])
        start = dt.date(2016, 9, 5) + dt.timedelta(days=rng.randrange(0, 300))
        days = Decimal(rng.choice([1, 2, 3, 4, 5, 6, 8, 10]))
        deployment = support_services.deployment_create(
            leader=leader,
            supported_school=target,
            focus=_weighted(rng, FOCUS_WEIGHTS),
            commissioned_by=rng.choice(["partnership", "partnership", "la", "tsa", "trust"]),
            days=days,
            start_date=start,
            end_date=start + dt.timedelta(days=int(days) * 14),
            status="active",
        )
        if deployment.end_date < today and rng.random() < 0.8:
            support_services.deployment_close(
                deployment=deployment,
                impact_note="Support plan completed; leaders report improved practice and "
                "the next review will check outcomes.",
                end_date=deployment.end_date,
            )
    _say(stdout, f"support: {len(leaders)} system leaders, {count} deployments in 2016/17")

    if CategorisationReview.objects.exists():
        return
    og_meetings = list(
        Meeting.objects.filter(board__slug="operational-group").order_by("starts_at")
    )
    reviews = []
    for name, day in [
        ("Autumn 2016 review", dt.date(2016, 10, 11)),
        ("Spring 2017 review", dt.date(2017, 2, 28)),
    ]:
        meeting = next((m for m in og_meetings if m.meeting_date == day), None)
        reviews.append(
            categorisation_services.categorisation_review_create(
                name=name, review_date=day, meeting=meeting
            )
        )
    supported_ids = {s.pk for s in supported_pool}
    for school in schools:
        first = _weighted(
            rng,
            [("minimum", 6), ("moderate", 3), ("maximum", 1)]
            if school.pk in supported_ids
            else [("minimum", 9), ("moderate", 1)],
        )
        categorisation_services.categorisation_record(
            review=reviews[0],
            school=school,
            category=first,
            rationale={
                "minimum": "Outcomes at or above national; good or better at last inspection.",
                "moderate": "KS2 progress below national in writing and maths; leadership secure.",
                "maximum": "Requires improvement; progress significantly below national.",
            }[first],
        )
        second = first if rng.random() < 0.7 else ("minimum" if first != "minimum" else "moderate")
        categorisation_services.categorisation_record(
            review=reviews[1],
            school=school,
            category=second,
            rationale="Reviewed against the autumn data and the impact of support so far.",
        )
    _say(stdout, f"categorisation: {len(schools)} schools at {len(reviews)} reviews")


LETTER_BODY = """Dear $head_name and Chair of Governors,

$school_name (URN $urn)

The Operational Group of the Portsmouth Education Partnership reviewed the school's outcomes on
behalf of the partnership. Levels of attainment and rates of progress are not yet good enough:
the school is categorised as $concern_category.

$concern_rationale

We ask the school to set out the actions it will take to bring about rapid improvement, and to
send them to us by $response_due. These actions will be monitored and reported on, and we
will arrange termly monitoring and accountability meetings.

Yours sincerely,

Deputy Director of Children's Services - Education"""


@demo_loader(order=50, name="partnership")
@transaction.atomic
def load(stdout=None) -> None:
    rng = random.Random(2016)
    partnership = Partnership.objects.filter(
        name=PARTNERSHIP
    ).first() or governance_services.partnership_create(
        name=PARTNERSHIP, vision=VISION, principles=PRINCIPLES, priorities=PRIORITIES
    )
    sb, _ = _board(
        partnership,
        slug="strategic-board",
        name="Strategic Board",
        kind=Board.Kind.STRATEGIC,
        purpose=SB_PURPOSE,
        terms_of_reference=SB_TOR,
        meeting_frequency=Board.Frequency.TERMLY,
        chair_rule="Independent chair",
        quorum_percent=50,
        quorum_basis=Board.QuorumBasis.VOTING_MEMBERS,
    )
    og, _ = _board(
        partnership,
        slug="operational-group",
        name="Operational Group",
        kind=Board.Kind.OPERATIONAL,
        parent=sb,
        purpose=OG_PURPOSE,
        terms_of_reference=OG_TOR,
        meeting_frequency=Board.Frequency.HALF_TERMLY,
        chair_rule="A headteacher",
        quorum_percent=50,
        quorum_basis=Board.QuorumBasis.VOTING_MEMBERS,
        minutes_agreed_by=sb,
    )
    _members(sb, SB_MEMBERS, "Strategic Board")
    _members(og, OG_MEMBERS, "Operational Group")
    made = _meetings(og, OG_MEETINGS, "Civic Offices, Portsmouth", rng)
    made += _meetings(sb, SB_MEETINGS, "Portsmouth Guildhall", rng)
    # Meetings ahead, so calendars, reminders and the home page have something to show: on
    # Tuesdays in the current and next terms, relative to today (the board's next meeting
    # about a week away, its papers out; the group's a fortnight away, papers not yet sent).
    today = timezone.localdate()
    made += _meetings(
        sb,
        upcoming_meeting_days(today, first_in_days=6, next_term_week=5),
        "Portsmouth Guildhall",
        rng,
    )
    made += _meetings(
        og,
        upcoming_meeting_days(today, first_in_days=14, next_term_week=3),
        "Civic Offices, Portsmouth",
        rng,
    )
    _agree_minutes()
    _say(stdout, f"boards: Strategic Board and Operational Group; {made} meetings added")
    _support(stdout, rng)
    if not LetterTemplate.objects.exists():
        categorisation_services.letter_template_create(
            name="Letter of concern: LA-maintained school",
            recipient=LetterTemplate.Recipient.SCHOOL,
            subject="Letter of concern: $school_name",
            body=LETTER_BODY,
            response_days=20,
        )
        categorisation_services.letter_template_create(
            name="Letter of concern: academy trust",
            recipient=LetterTemplate.Recipient.TRUST,
            subject="Outcomes at $school_name",
            body="Dear Chief Executive,\n\nOutcomes at $school_name ($trust_name) are not as "
            "good as they should be: the partnership categorises the school as "
            "$concern_category.\nPlease respond by $response_due. This letter is shared "
            "with the Regional Schools Commissioner and Ofsted.",
            response_days=28,
        )


@demo_loader(order=95)
def link_demo_logins(stdout=None) -> None:
    """After the demo logins exist: seat board@ on the Strategic Board and head@ on the
    Operational Group, so each sees their boards."""
    from pep_portal.accounts.models import User

    links = [
        ("board@pep.example", "strategic-board", "Primary headteacher representative 2"),
        ("head@pep.example", "operational-group", "Primary headteacher representative 2"),
    ]
    for email, slug, role_name in links:
        user = User.objects.filter(email=email).first()
        membership = (
            Membership.objects.filter(board__slug=slug, person__name=role_name)
            .select_related("person")
            .first()
        )
        if user is None or membership is None:
            continue
        person = membership.person
        if person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.full_clean()
            person.save()
