"""Who may see a school's confidential data (predictions, soft intelligence, workforce).

The rule (issue 9, Portsmouth action 5.1):

- Officers and administrators see every school's data.
- A school's own head and delegated colleagues see their own school's data, always: it is
  the school's own data, and they enter it.
- Members of the Operational Group (a current membership of a partnership board of kind
  "Operational group") see every school's data, and a trust user their trust's schools,
  but only for schools with a signed data sharing agreement in force.
- Board members (and everyone else) see aggregates only, and aggregates are built only
  from schools with an agreement in force.

So a school without a signed agreement is visible to officers only (and to itself).
"""

from __future__ import annotations

import rules
from django.utils import timezone

from pep_portal.accounts.roles import is_head_of, is_signed_in, is_staff_officer, is_trust_user_of


def operational_group_user_ids(on=None) -> set[int]:
    """Users with a current membership of an Operational Group board (partnership selectors)."""
    from partnership.governance.selectors import board_members
    from partnership.models import Board

    on = on or timezone.localdate()
    ids: set[int] = set()
    for board in Board.objects.filter(kind=Board.Kind.OPERATIONAL):
        ids.update(m.person.user_id for m in board_members(board=board, on=on) if m.person.user_id)
    return ids


@rules.predicate
def sits_on_operational_group(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    cached = getattr(user, "_pep_operational_group", None)
    if cached is None:
        cached = user.pk in operational_group_user_ids()
        user._pep_operational_group = cached
    return cached


def agreement_school_ids(schools=None) -> set[int]:
    """Schools with a signed data sharing agreement in force today."""
    from schools.models import DataSharingAgreement

    today = timezone.localdate()
    qs = DataSharingAgreement.objects.filter(signed_on__lte=today).exclude(withdrawn_on__lte=today)
    if schools is not None:
        qs = qs.filter(school__in=schools)
    return set(qs.values_list("school_id", flat=True))


@rules.predicate
def has_signed_agreement(user, school) -> bool:
    return school is not None and school.pk in agreement_school_ids([school])


# Everyone who may see every school's confidential data (agreements permitting).
sees_all_confidential = is_staff_officer | sits_on_operational_group


@rules.predicate
def may_see_school_confidential(user, school) -> bool:
    if school is None or not is_signed_in(user):
        return False
    if is_staff_officer(user) or is_head_of(user, school):
        return True
    if sits_on_operational_group(user) or is_trust_user_of(user, school):
        return has_signed_agreement(user, school)
    return False


def visible_school_ids(*, user, schools) -> set[int]:
    """Of ``schools`` (a queryset), the ids whose confidential data the user may see."""
    if not is_signed_in(user):
        return set()
    ids = set(schools.values_list("pk", flat=True))
    if is_staff_officer(user):
        return ids
    shared = agreement_school_ids(schools)
    visible: set[int] = set()
    if user.school_id and user.school_id in ids and is_head_of(user, user.school):
        visible.add(user.school_id)
    if sits_on_operational_group(user):
        visible |= shared
    elif getattr(user, "trust_id", None) and user.role == "trust_user":
        trust_ids = set(schools.filter(trust_id=user.trust_id).values_list("pk", flat=True))
        visible |= trust_ids & shared
    return visible
