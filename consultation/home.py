"""Consultations on the home page: what a school has to answer; what officers have to run."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse

from pep_portal.accounts.roles import is_school_staff, is_staff_officer
from pep_portal.platform.homepage import HomeItem, HomeSection, home_section

from . import selectors
from .models import Response, Stage

CLOSING_SOON_DAYS = 14


@home_section(order=10)
def consultations_to_answer(*, user, now) -> HomeSection | None:
    """Open consultations asking the user's school that it has not submitted."""
    if not is_school_staff(user):
        return None
    open_ones = list(
        selectors.consultation_list(user=user)
        .filter(stage=Stage.SCHEDULED, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
    )
    own = selectors.own_response_map(user=user, consultations=open_ones)
    items = []
    for c in open_ones:
        response = own.get(c.pk)
        if response is not None and response.is_submitted:
            continue
        items.append(
            HomeItem(
                title=c.title,
                url=reverse("consultation:respond", args=[c.pk]),
                when=c.closes_at,
                when_label="Closes",
                detail="Draft saved, not submitted yet" if response else "Not started",
            )
        )
    n = len(items)
    return HomeSection(
        key="consultations_to_answer",
        heading="Consultations to answer",
        items=items,
        summary=f"{n} consultation{'s' if n != 1 else ''} to answer for {user.school.name}"
        if n
        else "",
        empty="Nothing to answer: your school has responded to every open consultation.",
        more_url=reverse("consultation:list"),
        more_label="All consultations",
    )


@home_section(order=40)
def consultations_to_run(*, user, now) -> HomeSection | None:
    """Officers: drafts to schedule, consultations closing soon (with their response count)
    and closed ones whose response is not published yet."""
    if not is_staff_officer(user):
        return None
    qs = selectors.consultation_list(user=user)
    items = []
    for c in qs.filter(stage=Stage.DRAFT).order_by("opens_at")[:5]:
        items.append(
            HomeItem(
                title=f"Draft: {c.title}",
                url=reverse("consultation:detail", args=[c.pk]),
                when=c.opens_at,
                when_label="Meant to open",
                detail="Preview it and schedule it: schools cannot see it yet.",
                overdue=c.opens_at <= now,
            )
        )
    closing = (
        qs.filter(
            stage=Stage.SCHEDULED,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + dt.timedelta(days=CLOSING_SOON_DAYS),
        )
        .annotate(
            submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
        )
        .order_by("closes_at")
    )
    for c in closing:
        asked = selectors.audience_school_list(consultation=c).count()
        items.append(
            HomeItem(
                title=c.title,
                url=reverse("consultation:analysis", args=[c.pk]),
                when=c.closes_at,
                when_label="Closes",
                detail=f"{c.submitted} of {asked} schools have responded.",
            )
        )
    awaiting = qs.filter(
        stage=Stage.SCHEDULED, closes_at__lte=now, feedback_published_at__isnull=True
    ).filter(closes_at__gte=now - dt.timedelta(days=120))
    for c in awaiting.order_by("-closes_at")[:5]:
        items.append(
            HomeItem(
                title=f"Publish the response: {c.title}",
                url=reverse("consultation:feedback", args=[c.pk]),
                when=c.closes_at,
                when_label="Closed",
                detail="Write “we asked, you said, we did” for the schools consulted.",
            )
        )
    return HomeSection(
        key="consultations_to_run",
        heading="Consultations",
        items=items,
        empty=f"No drafts, nothing closing in the next {CLOSING_SOON_DAYS} days and no "
        "response waiting to be published.",
        more_url=reverse("consultation:list"),
        more_label="All consultations",
    )
