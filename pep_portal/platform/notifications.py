"""Emails that must go once: invitations, reminders, chases (issue 17, one home for the four
sent-logs the apps kept). A ``NotificationKey`` names one email: its topic and kind, what it is
about (the subject), who it is to (the recipient) and the occasion it is once for (a day, a due
date, or none). ``send_once`` claims the key and sends; the selectors say what was sent.

The rule ``send_once`` keeps, for every caller:

- The key's row is inserted first and the email sent in the same transaction. The unique key
  is the guard: a second call, or a concurrent one, fails to insert (IntegrityError; on
  PostgreSQL it waits for the first transaction and fails once that commits) and sends nothing.
- If sending raises (the mail server is down), the transaction rolls back: no row is left, the
  error reaches the caller, and the next run sends it. Never a claimed-but-unsent row.
- The one window left is a crash between the mail server accepting the email and the commit:
  then it goes again next time. Sending twice in that rare case is preferred to never sending.

An email a person sends (``sent_by``: an officer's chase) is an action of theirs, so its rows
go in the audit log with who sent them, in the same transaction (the rows are bulk-created, so
django-auditlog's signals do not see them: ``audit_bulk`` records them, as for any bulk write).
What the system sends by itself (the nightly reminders, ``sent_by`` None) is not audited: the
model is left out of the audit log's signal tracking in the settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .audit import audit_bulk
from .models import SentNotification

if TYPE_CHECKING:
    from pep_portal.accounts.models import User


@dataclass(frozen=True)
class NotificationKey:
    """One email that goes once. ``occasion`` is a plain string the topic chooses (an ISO date
    for "once a day" or "once per due date"; empty for "once ever")."""

    topic: str
    kind: str
    subject: models.Model
    recipient: models.Model
    occasion: str = ""

    def fields(self) -> dict[str, Any]:
        """The key as the log's columns (what the unique constraint covers)."""
        return {
            "topic": self.topic,
            "kind": str(self.kind),
            "subject_type": ContentType.objects.get_for_model(self.subject),
            "subject_id": self.subject.pk,
            "recipient_type": ContentType.objects.get_for_model(self.recipient),
            "recipient_id": self.recipient.pk,
            "occasion": self.occasion,
        }


def send_once(
    *,
    keys: NotificationKey | Iterable[NotificationKey],
    send: Callable[[], object],
    recipients: Sequence[str] = (),
    sent_by: User | None = None,
    sent_at: dt.datetime | None = None,
) -> bool:
    """Claim ``keys`` and call ``send()`` in one transaction (the rule above). One email may
    carry several keys (a lead's reminder lists several milestones): all are claimed or none.

    Returns True when this call sent it, False when a key was already claimed (nothing sent).
    An exception from ``send`` propagates after the rollback, leaving every key unclaimed (and
    no audit entry for a ``sent_by`` send).
    """
    keys = [keys] if isinstance(keys, NotificationKey) else list(keys)
    sent_at = sent_at or timezone.now()
    rows = [
        SentNotification(
            **key.fields(),
            subject=key.subject,  # at hand for its name in the audit log (no query)
            recipient=key.recipient,
            recipients=list(recipients),
            sent_at=sent_at,
            sent_by=sent_by,
        )
        for key in keys
    ]
    claimed = False
    try:
        with transaction.atomic():
            SentNotification.objects.bulk_create(rows)
            claimed = True
            if sent_by is not None:
                audit_bulk(SentNotification, created=rows, actor=sent_by)
            send()
    except IntegrityError:
        if claimed:  # raised by send() itself, not by the guard
            raise
        return False
    return True


# --- Reads -------------------------------------------------------------------------------------


def sent_list(
    *,
    topic: str,
    subject: models.Model | Sequence[models.Model],
    kinds: Iterable[str] | None = None,
) -> QuerySet[SentNotification]:
    """What was sent for a subject (or for several subjects of one model), newest first."""
    subjects = [subject] if isinstance(subject, models.Model) else list(subject)
    if not subjects:
        return SentNotification.objects.none()
    qs = SentNotification.objects.filter(
        topic=topic,
        subject_type=ContentType.objects.get_for_model(subjects[0]),
        subject_id__in=[s.pk for s in subjects],
    )
    if kinds is not None:
        qs = qs.filter(kind__in=[str(k) for k in kinds])
    return qs


def sent_recipient_ids(
    *,
    topic: str,
    subject: models.Model,
    recipient_model: type[models.Model],
    kinds: Iterable[str] | None = None,
) -> QuerySet[SentNotification, int]:
    """The ids of the recipients (of one model) already sent this subject's emails: for
    ``.exclude(pk__in=...)`` before building the emails."""
    return (
        sent_list(topic=topic, subject=subject, kinds=kinds)
        .filter(recipient_type=ContentType.objects.get_for_model(recipient_model))
        .values_list("recipient_id", flat=True)
    )
