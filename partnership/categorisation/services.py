"""Writes for categorisation reviews and decisions, letter templates and letters of
concern."""

from __future__ import annotations

import datetime as dt
import string
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pep_portal.platform.validated import save_validated
from schools.models import School, Trust

from ..governance.models import (
    Meeting,
)
from . import selectors
from .models import CategorisationDecision, CategorisationReview, LetterOfConcern, LetterTemplate

if TYPE_CHECKING:
    from pep_portal.accounts.models import User


# --- Categorisation ----------------------------------------------------------------------------


@transaction.atomic
def categorisation_review_create(
    *, name: str, review_date: dt.date, meeting: Meeting | None = None
) -> CategorisationReview:
    if meeting is not None and meeting.meeting_date != review_date:
        raise ValidationError({"meeting": "The review date is the date of its meeting."})
    return save_validated(CategorisationReview(name=name, review_date=review_date, meeting=meeting))


@transaction.atomic
def categorisation_record(
    *,
    review: CategorisationReview,
    school: School,
    category: str,
    rationale: str,
    recorded_by: User | None = None,
) -> CategorisationDecision:
    """Record the group's decision for a school at a review, with the suggestion beside it.

    Decisions are never overwritten: a changed view is a decision at a later review.
    """
    if review.decisions.filter(school=school).exists():
        raise ValidationError(
            f"{school.name} already has a decision at {review}: record a change at a later review."
        )
    suggestion = selectors.concern_suggestion(school=school)
    return save_validated(
        CategorisationDecision(
            review=review,
            school=school,
            category=category,
            rationale=rationale.strip(),
            decided_on=review.review_date,
            suggested_category=suggestion.category if suggestion else "",
            suggested_reasons=suggestion.reasons if suggestion else [],
            recorded_by=recorded_by,
        )
    )


# --- Letters of concern ------------------------------------------------------------------------

LETTER_PLACEHOLDERS = {
    "school_name": "School name",
    "urn": "URN",
    "la_name": "Local authority",
    "phase": "Phase",
    "head_name": "Headteacher (from the portal's accounts, else 'The Headteacher')",
    "trust_name": "Trust name",
    "ofsted_grade": "Latest Ofsted overall grade",
    "ofsted_date": "Date of the latest Ofsted inspection",
    "concern_category": "Latest 3Ms decision",
    "concern_rationale": "Rationale of the latest 3Ms decision",
    "response_due": "Date the response is due",
    "today": "Date of the letter",
}


def letter_template_check(*, subject: str, body: str) -> None:
    unknown = set()
    for text in (subject, body):
        try:
            names = string.Template(text).get_identifiers()
        except ValueError:
            raise ValidationError("A $ sign must start a placeholder; write $$ for a dollar sign.")
        unknown |= set(names) - set(LETTER_PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            "Unknown placeholder(s): "
            + ", ".join(f"${n}" for n in sorted(unknown))
            + ". Available: "
            + ", ".join(f"${n}" for n in LETTER_PLACEHOLDERS)
        )


@transaction.atomic
def letter_template_create(
    *, name: str, recipient: str, subject: str, body: str, response_days: int = 20
) -> LetterTemplate:
    letter_template_check(subject=subject, body=body)
    return save_validated(
        LetterTemplate(
            name=name,
            recipient=recipient,
            subject=subject,
            body=body,
            response_days=response_days,
        )
    )


def letter_context(*, school: School, response_due: dt.date, today: dt.date) -> dict[str, str]:
    from pep_portal.accounts.models import Role

    head = school.staff.filter(role=Role.HEADTEACHER, is_active=True).order_by("pk").first()
    inspection = school.inspections.order_by("-inspection_date").first()
    latest = selectors.latest_categorisation(school=school)
    return {
        "school_name": school.name,
        "urn": str(school.urn),
        "la_name": school.la.name,
        "phase": school.get_phase_display(),
        "head_name": (head.get_full_name() if head else "") or "The Headteacher",
        "trust_name": school.trust.name if school.trust else "",
        "ofsted_grade": (
            inspection.get_overall_effectiveness_display()
            if inspection and inspection.overall_effectiveness
            else "no overall grade"
        ),
        "ofsted_date": f"{inspection.inspection_date:%d %B %Y}" if inspection else "not inspected",
        "concern_category": latest.get_category_display() if latest else "not categorised",
        "concern_rationale": latest.rationale if latest else "",
        "response_due": f"{response_due:%d %B %Y}",
        "today": f"{today:%d %B %Y}",
    }


@transaction.atomic
def letter_generate(
    *,
    school: School,
    template: LetterTemplate,
    created_by: User | None = None,
    today: dt.date | None = None,
) -> LetterOfConcern:
    """Fill the template with the school's data. The text is kept as generated."""
    today = today or timezone.localdate()
    trust: Trust | None = None
    if template.recipient == LetterTemplate.Recipient.TRUST:
        trust = school.trust
        if trust is None:
            raise ValidationError(
                {"school": f"{school.name} is not in a trust: use a letter to the school."}
            )
        addressed_to = f"The Chief Executive, {trust.name}"
    else:
        addressed_to = f"The Headteacher and the Chair of Governors, {school.name}"
    due = today + dt.timedelta(days=template.response_days)
    context = letter_context(school=school, response_due=due, today=today)
    return save_validated(
        LetterOfConcern(
            school=school,
            trust=trust,
            template=template,
            addressed_to=addressed_to,
            subject=string.Template(template.subject).substitute(context),
            body=string.Template(template.body).substitute(context),
            created_by=created_by,
            response_due=due,
        )
    )


@transaction.atomic
def letter_mark_sent(
    *, letter: LetterOfConcern, sent_on: dt.date, response_due: dt.date | None = None
) -> LetterOfConcern:
    if letter.sent_on is not None:
        raise ValidationError("This letter is already recorded as sent.")
    letter.sent_on = sent_on
    letter.response_due = response_due or (
        sent_on + dt.timedelta(days=letter.template.response_days)
    )
    if letter.response_due < sent_on:
        raise ValidationError({"response_due": "The response is due after the letter is sent."})
    return save_validated(letter)


@transaction.atomic
def letter_record_response(
    *, letter: LetterOfConcern, received_on: dt.date, note: str = ""
) -> LetterOfConcern:
    if letter.sent_on is None:
        raise ValidationError("Record the letter as sent before recording a response.")
    if received_on < letter.sent_on:
        raise ValidationError({"received_on": "A response cannot arrive before the letter went."})
    letter.response_received_on = received_on
    letter.response_note = note.strip()
    return save_validated(letter)
