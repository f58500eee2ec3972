"""Absolute links for emails and feeds, built from the configured SITE_URL.

An email has no request to take the host from, so every link in one is built here from the
SITE_URL setting (the address people reach the portal at; `make demo` sets it from its host
and port).
"""

from django.conf import settings


def site_url() -> str:
    """The portal's address without a trailing slash, e.g. ``https://pep.example.gov.uk``."""
    return str(settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) as a full link on the configured site."""
    return site_url() + "/" + path.lstrip("/")
