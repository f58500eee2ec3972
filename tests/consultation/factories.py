"""Factories for consultations and their questions."""

import datetime as dt

import factory
from django.utils import timezone

from consultation.models import Audience, Consultation, Question, Stage


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    summary = "What we propose and why."
    document_html = "<p>The proposals.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    audience = Audience.ALL
    # Most tests are about published consultations; drafts ask for stage=Stage.DRAFT.
    stage = Stage.SCHEDULED


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SCALE
    text = factory.Sequence(lambda n: f"Do you agree with proposal {n}?")
