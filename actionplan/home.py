"""The action plan on the home page: officers see overdue milestones; leads, their own."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from pep_portal.accounts.roles import is_staff_officer
from pep_portal.platform.homepage import HomeItem, HomeSection, home_section

from . import selectors

SHOWN = 8


def _item(m) -> HomeItem:
    return HomeItem(
        title=f"{m}",
        url=reverse("actionplan:milestone", args=[m.pk]),
        when=m.due_date,
        when_label="Was due",
        detail=f"Reported: {m.get_status_display()}, {m.progress}% done.",
        overdue=True,
    )


@home_section(order=25)
def overdue_milestones(*, user, now) -> HomeSection | None:
    """Officers: every milestone past its due date and not complete, oldest first."""
    if not is_staff_officer(user):
        return None
    today = timezone.localtime(now).date()
    overdue = selectors.milestone_list(user=user, overdue=True, today=today).order_by(
        "due_date", "pk"
    )
    total = overdue.count()
    items = [_item(m) for m in overdue[:SHOWN]]
    return HomeSection(
        key="overdue_milestones",
        heading="Overdue milestones",
        items=items,
        summary=f"{total} milestone{'s' if total != 1 else ''} past due and not complete"
        + (f" (the {SHOWN} oldest shown)" if total > SHOWN else "")
        if total
        else "",
        empty="No milestone is overdue.",
        more_url=reverse("actionplan:plan") + "?overdue=1",
        more_label="The action plan, overdue milestones",
    )
