"""Consultation fixtures: one consultation in each state, with one question of every kind."""

import datetime as dt

import pytest
from django.utils import timezone

from consultation.models import Audience, Question, Stage

from .factories import ConsultationFactory, QuestionFactory

STATES = ["draft", "not_yet_open", "open", "closed"]


def add_questions(consultation) -> dict[str, Question]:
    """One question of every kind; Q1 (scale) and Q6 (interest) are mandatory."""
    qs = {}
    qs["scale"] = QuestionFactory(
        consultation=consultation,
        position=1,
        kind=Question.Kind.SCALE,
        text="Do you agree with the vision?",
        allow_comment=True,
        mandatory=True,
    )
    qs["yes_no"] = QuestionFactory(
        consultation=consultation, position=2, kind=Question.Kind.YES_NO, text="Can you contribute?"
    )
    qs["single"] = QuestionFactory(
        consultation=consultation,
        position=3,
        kind=Question.Kind.SINGLE,
        text="Who should chair the Strategic Board?",
        choices=["A headteacher", "An independent chair"],
    )
    qs["multiple"] = QuestionFactory(
        consultation=consultation,
        position=4,
        kind=Question.Kind.MULTIPLE,
        text="Which priorities matter most?",
        choices=["Recruitment", "Leadership", "Inclusion"],
    )
    qs["free_text"] = QuestionFactory(
        consultation=consultation,
        position=5,
        kind=Question.Kind.FREE_TEXT,
        text="Any other comments?",
        max_length=200,
    )
    qs["interest"] = QuestionFactory(
        consultation=consultation,
        position=6,
        kind=Question.Kind.INTEREST,
        text="Would your school join a board?",
        choices=["Strategic Board", "Operational Group"],
        allow_comment=True,
        mandatory=True,
    )
    return qs


def make_consultation(state: str, *, audience_schools=(), **kwargs):
    now = timezone.now()
    opens, closes = {
        "draft": (now + dt.timedelta(days=3), now + dt.timedelta(days=30)),
        "not_yet_open": (now + dt.timedelta(days=3), now + dt.timedelta(days=30)),
        "open": (now - dt.timedelta(days=3), now + dt.timedelta(days=30)),
        "closed": (now - dt.timedelta(days=30), now - dt.timedelta(days=3)),
    }[state]
    audience = Audience.SCHOOLS if audience_schools else Audience.ALL
    if state == "draft":
        kwargs.setdefault("stage", Stage.DRAFT)
    consultation = ConsultationFactory(
        opens_at=opens, closes_at=closes, audience=audience, **kwargs
    )
    if audience_schools:
        consultation.audience_schools.set(audience_schools)
    consultation.q = add_questions(consultation)
    return consultation


@pytest.fixture
def consultation(school):
    """Open, asking only ``school`` (so other_school's head is outside its audience)."""
    return make_consultation("open", audience_schools=[school], title="Partnership proposals")


def full_answers(q: dict[str, Question], **override) -> dict[int, dict]:
    """A complete set of answers (keyed by question id) for the fixture questions."""
    values = {
        "scale": {"value": "Agree", "comment": "A clear vision."},
        "yes_no": {"value": "Yes"},
        "single": {"value": "An independent chair"},
        "multiple": {"value": ["Recruitment", "Inclusion"]},
        "free_text": {"value": "Please keep the focus on disadvantaged pupils."},
        "interest": {"value": ["Operational Group"], "comment": "Our deputy head would join."},
    }
    values.update(override)
    return {q[k].pk: v for k, v in values.items()}
