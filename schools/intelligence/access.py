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

import datetime as dt
from collections.abc import Callable

import rules
from django.utils import timezone

from pep_portal.accounts.roles import is_head_of, is_signed_in, is_staff_officer, is_trust_user_of

# Who sits on the Operational Group is the partnership's knowledge (its boards), one layer
# up: it provides the answer when it loads (``PartnershipConfig.ready``), so this rule never
# imports the partnership.
OperationalGroupProvider = Callable[[dt.date], set[int]]
OPERATIONAL_GROUP_PROVIDERS: list[OperationalGroupProvider] = []


def provide_operational_group(provider: OperationalGroupProvider) -> OperationalGroupProvider:
    """Register ``provider(on) -> user ids`` with a current Operational Group membership."""
    if provider not in OPERATIONAL_GROUP_PROVIDERS:
        OPERATIONAL_GROUP_PROVIDERS.append(provider)
    return provider


def operational_group_user_ids(on: dt.date | None = None) -> set[int]:
    """Users with a current membership of an Operational Group board (as the partnership says)."""
    on = on or timezone.localdate()
    ids: set[int] = set()
    for provider in OPERATIONAL_GROUP_PROVIDERS:
        ids.update(provider(on))
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


def confidential_access(user, school, *, signed: bool) -> bool:
    """The rule above, given whether the school has an agreement in force (``signed``).

    Used by the predicate (one school) and by ``visible_school_ids`` (many schools, one
    agreement query): the rule is written once.
    """
    if school is None or not is_signed_in(user):
        return False
    if is_staff_officer(user) or is_head_of(user, school):
        return True
    if sits_on_operational_group(user) or is_trust_user_of(user, school):
        return signed
    return False


@rules.predicate
def may_see_school_confidential(user, school) -> bool:
    if school is None:
        return False
    return confidential_access(user, school, signed=school.pk in agreement_school_ids([school]))


def visible_school_ids(*, user, schools) -> set[int]:
    """Of ``schools`` (a queryset), the ids whose confidential data the user may see: the same
    rule as ``may_see_school_confidential``, with the agreements read in one query."""
    if not is_signed_in(user):
        return set()
    shared = agreement_school_ids(schools)
    return {
        school.pk
        for school in schools.only("pk", "trust_id")
        if confidential_access(user, school, signed=school.pk in shared)
    }
