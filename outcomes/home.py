"""In-year predictions on the home page: the returns a school owes; collections closing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from pep_portal.accounts.roles import is_school_staff, is_staff_officer
from pep_portal.platform.homepage import TASK, HomeItem, HomeSection, home_section

from .models import PredictionSubmission
from .predictions import selectors

CLOSING_SOON_DAYS = 21


@home_section(order=20)
def predictions_due(*, user, now) -> HomeSection | None:
    """Open collections asking the user's school whose return is not submitted yet."""
    if not is_school_staff(user):
        return None
    school = user.school
    collections = list(
        # The school's own returns only: a head on the Operational Group sees every
        # collection, but owes a return only where the collection asks their school.
        selectors.collection_list(user=user)
        .filter(schools=school, deadline__gte=now)
        .order_by("deadline")
    )
    statuses = dict(
        PredictionSubmission.objects.filter(school=school, collection__in=collections).values_list(
            "collection_id", "status"
        )
    )
    items = [
        HomeItem(
            title=c.title,
            url=reverse("outcomes:submission_edit", args=[c.pk, school.urn]),
            when=c.deadline,
            when_label="Due",
            detail="Draft saved, not submitted yet" if c.pk in statuses else "Not started",
        )
        for c in collections
        if statuses.get(c.pk) != PredictionSubmission.Status.SUBMITTED
    ]
    n = len(items)
    return HomeSection(
        key="predictions_due",
        heading="Predictions due",
        kind=TASK,
        items=items,
        summary=f"{n} prediction return{'s' if n != 1 else ''} due from {school.name}" if n else "",
        empty="No predictions due: every open collection has your school's return.",
    )


@home_section(order=35)
def collections_closing(*, user, now) -> HomeSection | None:
    """Officers: collections whose deadline is in the next three weeks, with returns so far."""
    if not is_staff_officer(user):
        return None
    collections = (
        selectors.collection_list(user=user)
        .filter(deadline__gte=now, deadline__lte=now + dt.timedelta(days=CLOSING_SOON_DAYS))
        .annotate(
            asked=Count("schools", distinct=True),
            submitted=Count(
                "submissions",
                filter=Q(submissions__status=PredictionSubmission.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("deadline")
    )
    items = [
        HomeItem(
            title=c.title,
            url=reverse("outcomes:collection_detail", args=[c.pk]),
            when=c.deadline,
            when_label="Closes",
            detail=f"{c.submitted} of {c.asked} schools have submitted.",
        )
        for c in collections
    ]
    return HomeSection(
        key="collections_closing",
        heading="Collections closing",
        items=items,
        empty=f"No prediction collection closes in the next {CLOSING_SOON_DAYS} days.",
        more_url=reverse("outcomes:collection_list"),
        more_label="All collections",
    )
