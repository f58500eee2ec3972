"""The platform's one table: the log of emails that must go once (pep_portal.platform.notifications)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class SentNotification(models.Model):
    """An email that has gone and must never go again, identified by its key: the topic and
    kind of email, what it is about (the subject: a consultation, a meeting...), who it is to
    (the recipient: a school, a person, a user) and the occasion (a day, a due date, or none).

    Apps above the platform are reached by content type and id, never by a foreign key, so the
    platform imports none of them. The unique key is the guard: a row is written in the same
    transaction as the send (``send_once``).
    """

    topic = models.CharField(max_length=40, help_text="Which app's emails, e.g. outcomes.chase")
    kind = models.CharField(max_length=20, help_text="Which email of the topic, e.g. 7d")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    recipient_id = models.PositiveBigIntegerField()
    recipient = GenericForeignKey("recipient_type", "recipient_id")
    occasion = models.CharField(
        max_length=40, blank=True, default="", help_text="A day or due date it is once for"
    )
    recipients = models.JSONField(default=list, blank=True, help_text="The addresses it went to")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "topic",
                    "subject_type",
                    "subject_id",
                    "kind",
                    "recipient_type",
                    "recipient_id",
                    "occasion",
                ],
                name="notification_sent_once",
            )
        ]

    def __str__(self) -> str:
        """What was sent, to whom and when, as the audit log and the admin name it: "Email
        outcomes.chase (chase) about “KS2 predictions, spring term 2017” to Harbour Primary
        School (116500) at head@example.org, sent 1 Mar 2017 10:15 (for 2017-03-01)"."""
        sent = timezone.localtime(self.sent_at)
        addresses = f" at {', '.join(self.recipients)}" if self.recipients else ""
        occasion = f" (for {self.occasion})" if self.occasion else ""
        return (
            f"Email {self.topic} ({self.kind}) about “{self._named('subject')}” to "
            f"{self._named('recipient')}{addresses}, sent {sent.day} {sent:%b %Y %H:%M}"
            f"{occasion}"
        )

    def _named(self, part: str) -> str:
        """The subject or recipient as it names itself; its kind and id once it is deleted."""
        found = getattr(self, part)
        if found is not None:
            return str(found)
        kind = ContentType.objects.get_for_id(getattr(self, f"{part}_type_id"))
        return f"{kind.name} {getattr(self, f'{part}_id')} (deleted)"


def sent_notifications_relation() -> GenericRelation:
    """For a model emails are sent about: ``sent_notifications = sent_notifications_relation()``
    deletes its log rows with it (as the apps' own logs' foreign keys did). No column, no
    migration; reads still go through the notifications selectors."""
    return GenericRelation(
        SentNotification, content_type_field="subject_type", object_id_field="subject_id"
    )
