"""Reads for accounts."""

from django.db.models import QuerySet

from .models import User


def user_list(*, user: User) -> QuerySet[User]:
    """Accounts the user may see: officers and admins see everyone; others nobody."""
    if user.has_perm("pep_portal.view_users"):
        return User.objects.select_related("school", "trust").order_by("role", "email")
    return User.objects.none()
