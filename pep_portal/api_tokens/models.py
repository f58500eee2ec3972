"""A personal API token: a django-rest-knox token with a name and its last use.

Only the SHA-512 digest and the first 15 characters (to find the row) are stored; the token
itself is shown once, when it is made. ``expiry`` is optional (NULL = until revoked).
Revoking deletes the row, so a revoked token can never authenticate again.
"""

from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Nightly sync'.")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
