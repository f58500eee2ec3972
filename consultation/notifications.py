"""The consultation's emails: invitations when it opens, closing reminders, receipts and
the published response. Each (consultation, school, kind) is sent once: a ReminderLog row is
written in the same transaction as the send, and its unique constraint stops a second run.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pep_portal.accounts.models import Role, User
from pep_portal.platform.site import absolute_url
from schools.models import School

from .models import (
    Consultation,
    ReminderLog,
    Response,
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


def invitations_send(*, now: dt.datetime | None = None) -> int:
    """Invite the audience of every consultation that has opened: one email per school (to
    its headteacher and delegated colleagues), each once (ReminderLog's unique constraint,
    one transaction per school as for the reminders). Returns how many schools were sent."""
    from .selectors import audience_school_list

    now = now or timezone.now()
    sent = 0
    for consultation in _due_for_invitations(now):
        already = ReminderLog.objects.filter(
            consultation=consultation, kind=ReminderLog.Kind.OPENED
        ).values("school_id")
        schools = (
            audience_school_list(consultation=consultation).exclude(pk__in=already).order_by("urn")
        )
        failed = False
        for school in schools:
            contacts = school_contacts(school)
            if not contacts:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        consultation=consultation,
                        school=school,
                        kind=ReminderLog.Kind.OPENED,
                        recipients=[u.email for u in contacts],
                        sent_at=now,
                    )
                    _invitation_email(consultation, school, contacts).send()
            except IntegrityError:
                continue
            except OSError:
                failed = True  # tried again on the next run
                continue
            sent += 1
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
    from .selectors import audience_school_list

    consultation = Consultation.objects.get(pk=consultation_id)
    if not consultation.feedback_published:
        return 0
    already = ReminderLog.objects.filter(
        consultation=consultation, kind=ReminderLog.Kind.RESPONSE
    ).values("school_id")
    sent = 0
    url = absolute_url(reverse("consultation:detail", args=[consultation.pk])) + "#feedback"
    for school in audience_school_list(consultation=consultation).exclude(pk__in=already):
        contacts = school_contacts(school)
        if not contacts:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    consultation=consultation,
                    school=school,
                    kind=ReminderLog.Kind.RESPONSE,
                    recipients=[u.email for u in contacts],
                )
                EmailMessage(
                    subject=f"We asked, you said, we did: “{consultation.title}”",
                    body=render_to_string(
                        "consultation/emails/response_published.txt",
                        {"consultation": consultation, "school": school, "url": url},
                    ),
                    to=[u.email for u in contacts],
                ).send()
        except IntegrityError:
            continue
        sent += 1
    return sent


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
    ReminderLog.Kind.WEEK: (dt.timedelta(days=7), dt.timedelta(days=1)),
    ReminderLog.Kind.DAY: (dt.timedelta(days=1), dt.timedelta(0)),
}


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email schools in the audience that have not submitted, 7 days and 1 day before closing.

    Each (consultation, school, kind) goes once: the ReminderLog row is written in the same
    transaction as the send, and its unique constraint stops a second run (or a concurrent
    one) sending again. One transaction per school, so a mail failure for one school leaves
    the others' logs in place and that school is tried again on the next run.
    """
    from .selectors import audience_school_list

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
        already = ReminderLog.objects.filter(consultation=consultation, kind=kind).values(
            "school_id"
        )
        schools = (
            audience_school_list(consultation=consultation)
            .exclude(pk__in=submitted)
            .exclude(pk__in=already)
            .order_by("urn")
        )
        for school in schools:
            contacts = school_contacts(school)
            if not contacts:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        consultation=consultation,
                        school=school,
                        kind=kind,
                        recipients=[u.email for u in contacts],
                        sent_at=now,
                    )
                    _reminder_email(consultation, school, kind, contacts).send()
            except IntegrityError:
                continue
            sent += 1
    return sent


def _reminder_email(
    consultation: Consultation, school: School, kind: str, contacts: list[User]
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
    when = "in a week" if kind == ReminderLog.Kind.WEEK else "tomorrow"
    return EmailMessage(
        subject=f"Reminder: “{consultation.title}” closes {when}",
        body=render_to_string("consultation/emails/reminder.txt", context),
        to=[u.email for u in contacts],
    )
