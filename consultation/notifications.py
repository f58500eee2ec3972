"""The consultation's emails: invitations when it opens, closing reminders, receipts and
the published response. Each (consultation, school, kind) is sent once: through
pep_portal.platform.notifications.send_once, whose log row is written in the same transaction
as the send and whose unique key stops a second run (or a concurrent one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pep_portal.accounts.models import Role, User
from pep_portal.platform.notifications import NotificationKey, send_once
from pep_portal.platform.site import absolute_url
from schools.models import School

from .models import (
    SCHOOL_EMAIL_TOPIC,
    Consultation,
    Response,
    SchoolEmailKind,
    Stage,
)


def local_time(when: dt.datetime) -> str:
    return date_format(timezone.localtime(when), "H:i \\o\\n l j F Y")


def invitations_task_delay() -> None:
    from .tasks import invitations_send_task

    invitations_send_task.delay()


def _due_for_invitations(now: dt.datetime) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        stage=Stage.SCHEDULED,
        opens_at__lte=now,
        closes_at__gt=now,
        invitations_sent_at__isnull=True,
    )


def consultations_open_due(*, now: dt.datetime | None = None) -> bool:
    """The on-read check: if a scheduled consultation has opened and its audience is not
    invited yet, queue the invitations (after the commit). Celery beat does the same every
    few minutes; each school is invited once whoever gets there first."""
    now = now or timezone.now()
    if not _due_for_invitations(now).exists():
        return False
    transaction.on_commit(invitations_task_delay)
    return True


def school_email_key(consultation: Consultation, school: School, kind: str) -> NotificationKey:
    """The key a school's email about a consultation goes once under (the data migrations
    that moved ReminderLog's rows into the platform log build the same key)."""
    return NotificationKey(
        topic=SCHOOL_EMAIL_TOPIC, kind=kind, subject=consultation, recipient=school
    )


def _email_schools(
    consultation: Consultation,
    kind: str,
    schools: Iterable[School],
    message: Callable[[School, list[User]], EmailMessage],
    *,
    now: dt.datetime | None = None,
    retry_on: tuple[type[Exception], ...] = (),
) -> tuple[int, bool]:
    """Email each school (its headteacher and delegated colleagues) this kind of email once,
    one transaction per school (send_once): a school with nobody to email is skipped; a send
    that raises one of ``retry_on`` leaves that school unsent for the next run and the others
    go on (any other error stops the run, leaving the unsent schools for the next one).
    Returns how many schools were sent, and whether one failed."""
    sent, failed = 0, False
    for school in schools:
        contacts = school_contacts(school)
        if not contacts:
            continue
        try:
            sent += send_once(
                keys=school_email_key(consultation, school, kind),
                send=message(school, contacts).send,
                recipients=[u.email for u in contacts],
                sent_at=now,
            )
        except retry_on:
            failed = True
    return sent, failed


def invitations_send(*, now: dt.datetime | None = None) -> int:
    """Invite the audience of every consultation that has opened: one email per school (to
    its headteacher and delegated colleagues), each once. A school whose email fails is
    tried again on the next run, and the consultation is marked invited only when none
    failed. Returns how many schools were sent."""
    from .selectors import audience_not_yet_emailed

    now = now or timezone.now()
    sent = 0
    for consultation in _due_for_invitations(now):
        kind = SchoolEmailKind.OPENED
        count, failed = _email_schools(
            consultation,
            kind,
            audience_not_yet_emailed(consultation=consultation, kind=kind),
            partial(_invitation_email, consultation),
            now=now,
            retry_on=(OSError,),
        )
        sent += count
        if not failed:
            Consultation.objects.filter(
                pk=consultation.pk, invitations_sent_at__isnull=True
            ).update(invitations_sent_at=now)
    return sent


def _invitation_email(
    consultation: Consultation, school: School, contacts: list[User]
) -> EmailMessage:
    context = {
        "consultation": consultation,
        "school": school,
        "closes": local_time(consultation.closes_at),
        "question_count": consultation.questions.count(),
        "url": absolute_url(reverse("consultation:respond", args=[consultation.pk])),
    }
    return EmailMessage(
        subject=f"Consultation: “{consultation.title}” is open until {local_time(consultation.closes_at)}",
        body=render_to_string("consultation/emails/invitation.txt", context),
        to=[u.email for u in contacts],
    )


def response_published_send(*, consultation_id: int) -> int:
    """Email the schools consulted that the "we asked, you said, we did" response is
    published (each school once)."""
    from .selectors import audience_not_yet_emailed

    consultation = Consultation.objects.get(pk=consultation_id)
    if not consultation.feedback_published:
        return 0
    url = absolute_url(reverse("consultation:detail", args=[consultation.pk])) + "#feedback"

    def message(school: School, contacts: list[User]) -> EmailMessage:
        return EmailMessage(
            subject=f"We asked, you said, we did: “{consultation.title}”",
            body=render_to_string(
                "consultation/emails/response_published.txt",
                {"consultation": consultation, "school": school, "url": url},
            ),
            to=[u.email for u in contacts],
        )

    kind = SchoolEmailKind.RESPONSE
    schools = audience_not_yet_emailed(consultation=consultation, kind=kind)
    return _email_schools(consultation, kind, schools, message)[0]


def school_contacts(school: School) -> list[User]:
    """Who hears about a school's consultations: its headteacher(s) and delegated colleagues."""
    return list(
        User.objects.filter(
            school=school, role__in=[Role.HEADTEACHER, Role.SCHOOL_STAFF], is_active=True
        ).order_by("email")
    )


def response_receipt_send(*, response_id: int, user_id: int) -> None:
    """Email a receipt with a copy of the submitted answers to the submitter (and the school's
    headteacher, when a colleague submitted)."""
    response = Response.objects.select_related("consultation", "school").get(pk=response_id)
    user = User.objects.get(pk=user_id)
    answers = {a.question_id: a for a in response.answers.all()}
    rows = [
        {"question": q, "answer": answers.get(q.pk)}
        for q in response.consultation.questions.order_by("position", "pk")
    ]
    context = {
        "response": response,
        "consultation": response.consultation,
        "user": user,
        "rows": rows,
        "url": absolute_url(reverse("consultation:respond", args=[response.consultation_id])),
        "submitted_at": local_time(response.submitted_at) if response.submitted_at else "",
    }
    heads = [
        u.email
        for u in User.objects.filter(school=response.school, role=Role.HEADTEACHER, is_active=True)
        if u.pk != user.pk
    ]
    message = EmailMessage(
        subject=f"Receipt: {response.school.name}'s response to “{response.consultation.title}”",
        body=render_to_string("consultation/emails/receipt.txt", context),
        to=[user.email],
        cc=heads,
    )
    message.send()


# --- Reminders ------------------------------------------------------------------------------

REMINDER_WINDOWS = {
    # kind: (from this long before closing, until this long before closing)
    SchoolEmailKind.WEEK: (dt.timedelta(days=7), dt.timedelta(days=1)),
    SchoolEmailKind.DAY: (dt.timedelta(days=1), dt.timedelta(0)),
}


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email schools in the audience that have not submitted, 7 days and 1 day before closing.

    Each (consultation, school, kind) goes once (send_once: the log row is written in the
    same transaction as the send, and its unique key stops a second or concurrent run). One
    transaction per school, so a mail failure for one school leaves the others' logs in
    place and that school is tried again on the next run.
    """
    from .selectors import audience_not_yet_emailed

    now = now or timezone.now()
    sent = 0
    horizon = now + dt.timedelta(days=7)
    consultations = Consultation.objects.filter(
        stage=Stage.SCHEDULED, opens_at__lte=now, closes_at__gt=now
    ).filter(closes_at__lte=horizon)
    for consultation in consultations:
        kind = next(
            (
                k
                for k, (start, end) in REMINDER_WINDOWS.items()
                if consultation.closes_at - start <= now < consultation.closes_at - end
            ),
            None,
        )
        if kind is None:
            continue
        submitted = Response.objects.filter(
            consultation=consultation, status=Response.Status.SUBMITTED
        ).values("school_id")
        schools = audience_not_yet_emailed(consultation=consultation, kind=kind).exclude(
            pk__in=submitted
        )
        message = partial(_reminder_email, consultation, kind)
        sent += _email_schools(consultation, kind, schools, message, now=now)[0]
    return sent


def _reminder_email(
    consultation: Consultation, kind: str, school: School, contacts: list[User]
) -> EmailMessage:
    draft = Response.objects.filter(consultation=consultation, school=school).exists()
    context = {
        "consultation": consultation,
        "school": school,
        "kind": kind,
        "has_draft": draft,
        "closes": local_time(consultation.closes_at),
        "url": absolute_url(reverse("consultation:respond", args=[consultation.pk])),
    }
    when = "in a week" if kind == SchoolEmailKind.WEEK else "tomorrow"
    return EmailMessage(
        subject=f"Reminder: “{consultation.title}” closes {when}",
        body=render_to_string("consultation/emails/reminder.txt", context),
        to=[u.email for u in contacts],
    )
