"""The demo logins, one per role (``manage.py load_demo``; password DEMO_PASSWORD)."""

from __future__ import annotations

from django.db import transaction

from pep_portal.platform.demo import demo_loader

DEMO_PASSWORD = "pep-demo-2016"


def demo_person(spec: dict):
    """A demo user the other apps' demo data names (by email; no password, no invitation):
    the existing one, or a new one with the spec's fields."""
    from pep_portal.accounts.models import User

    user, _ = User.objects.get_or_create(
        email=spec["email"], defaults={k: v for k, v in spec.items() if k != "email"}
    )
    return user


def demo_users() -> list[dict]:
    """One login per role. Schools and trusts are looked up after the register is loaded."""
    from django.db.models import Count, Q

    from pep_portal.accounts.models import Role, User

    # The register's models, through the user's own foreign keys (the register is a layer up).
    School = User._meta.get_field("school").related_model
    Trust = User._meta.get_field("trust").related_model

    head_school = (
        School.objects.filter(la__code=851, phase="primary", trust__isnull=True)
        .order_by("urn")
        .first()
    )
    # The trust with the most schools (so its API pull has results of several phases).
    trust = (
        Trust.objects.filter(schools__la__code=851)
        .annotate(open_schools=Count("schools", filter=Q(schools__status="open")))
        .order_by("-open_schools", "name")
        .first()
    )
    staff_school = head_school
    users = [
        {
            "email": "admin@pep.example",
            "first_name": "Alex",
            "last_name": "Admin",
            "role": Role.ADMIN,
            "job_title": "Portal administrator",
        },
        {
            "email": "officer@pep.example",
            "first_name": "Olivia",
            "last_name": "Officer",
            "role": Role.OFFICER,
            "job_title": "School improvement officer",
        },
        {
            "email": "board@pep.example",
            "first_name": "Ben",
            "last_name": "Board",
            "role": Role.BOARD_MEMBER,
            "job_title": "Strategic Board member",
        },
        {
            "email": "head@pep.example",
            "first_name": "Hannah",
            "last_name": "Head",
            "role": Role.HEADTEACHER,
            "school": head_school,
            "job_title": "Headteacher",
        },
        {
            "email": "colleague@pep.example",
            "first_name": "Chris",
            "last_name": "Colleague",
            "role": Role.SCHOOL_STAFF,
            "school": staff_school,
            "job_title": "Deputy headteacher",
        },
        {
            "email": "trust@pep.example",
            "first_name": "Tara",
            "last_name": "Trust",
            "role": Role.TRUST_USER,
            "trust": trust,
            "job_title": "Trust data manager",
        },
    ]
    return users


def demo_login_list() -> list[dict]:
    """The demo accounts that exist, one line each (what `make demo` prints last)."""
    from pep_portal.accounts.models import User

    emails = [spec["email"] for spec in demo_users()]
    users = User.objects.filter(email__in=emails, is_active=True).select_related("school", "trust")
    by_email = {u.email: u for u in users}
    return [
        {"email": u.email, "role": u.get_role_display(), "for": str(u.school or u.trust or "")}
        for u in (by_email.get(e) for e in emails)
        if u is not None
    ]


@demo_loader(order=80)
@transaction.atomic
def load_users(stdout=None) -> list[dict]:
    from allauth.account.models import EmailAddress

    from pep_portal.accounts.models import Role, User

    made = []
    for spec in demo_users():
        if spec["role"] in (Role.HEADTEACHER, Role.SCHOOL_STAFF) and spec.get("school") is None:
            continue
        if spec["role"] == Role.TRUST_USER and spec.get("trust") is None:
            continue
        user, _ = User.objects.update_or_create(
            email=spec["email"],
            defaults={
                **{k: v for k, v in spec.items() if k != "email"},
                "is_staff": spec["role"] in (Role.ADMIN, Role.OFFICER),
                "is_superuser": spec["role"] == Role.ADMIN,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        made.append(
            {
                "email": user.email,
                "role": user.get_role_display(),
                "for": str(user.school or user.trust or ""),
            }
        )
    return made
