"""Role predicates (django-rules), composed by each app's ``rules.py`` into named permissions.

Apps never test ``user.role`` or ``is_staff`` directly: they use these predicates, or the
named permissions built from them, so views, templates and the API all ask the same question.
"""

import rules

from .models import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


@rules.predicate
def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.OFFICER)


@rules.predicate
def is_board_member(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.BOARD_MEMBER)


@rules.predicate
def is_headteacher(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.HEADTEACHER)


@rules.predicate
def is_school_staff(user) -> bool:
    """A headteacher or a colleague the head delegated to: acts for one school."""
    return bool(
        user
        and user.is_authenticated
        and user.role in (Role.HEADTEACHER, Role.SCHOOL_STAFF)
        and user.school_id
    )


@rules.predicate
def is_trust_user(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.TRUST_USER and user.trust_id)


is_signed_in = rules.is_authenticated
# Officers and admins run the portal: everything an officer may do, an admin may do.
is_staff_officer = is_officer | is_admin
# Everyone who sees the partnership-wide picture (all schools, all figures).
sees_whole_partnership = is_staff_officer | is_board_member


@rules.predicate
def is_head_of(user, school) -> bool:
    """The user acts for this school (headteacher or delegated colleague)."""
    return bool(school is not None and is_school_staff(user) and user.school_id == school.pk)


@rules.predicate
def is_trust_user_of(user, school) -> bool:
    """The user is a trust user of the trust this school belongs to."""
    return bool(
        school is not None
        and is_trust_user(user)
        and getattr(school, "trust_id", None) is not None
        and school.trust_id == user.trust_id
    )


def add_admin_perms(app_label: str, model_name: str, *, view=None, change=None) -> None:
    """Name the Django admin permissions of a model as rules (view, add/change/delete).

    The admin then asks the same named permissions as the pages do. A view permission the
    app already named for its pages is kept (the admin itself needs pep_portal.use_admin).
    """
    view = view if view is not None else is_staff_officer
    change = change if change is not None else is_staff_officer
    if not rules.perm_exists(f"{app_label}.view_{model_name}"):
        rules.add_perm(f"{app_label}.view_{model_name}", view)
    for verb in ("add", "change", "delete"):
        rules.add_perm(f"{app_label}.{verb}_{model_name}", change)
