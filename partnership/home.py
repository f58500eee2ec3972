"""The partnership's home sections: my school, my trust, my next meetings (with the pack and
papers), the latest dashboards."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_board_member,
    is_school_staff,
    is_staff_officer,
    is_trust_user,
    sees_whole_partnership,
)
from pep_portal.nightly.selectors import current_run
from pep_portal.platform.homepage import MINE, TASK, HomeItem, HomeSection, home_section
from schools.selectors import open_schools

from .dashboards.selectors import KEY_STAGE_PAGES
from .governance import selectors as governance
from .governance.models import BoardPack

NEXT_MEETINGS = 3
PAPERS_SHOWN = 6
PAPERS_DAYS_AHEAD = 7  # papers go out at least a week before a meeting


@home_section(order=5)
def my_school(*, user, now) -> HomeSection | None:
    if not is_school_staff(user):
        return None
    school = user.school
    links = [
        (
            "Its register entry and Ofsted history",
            reverse("schools:school_detail", args=[school.urn]),
        )
    ]
    if user.has_perm("outcomes.view_school_predictions", school):
        links.append(("Its predictions", reverse("outcomes:school_predictions", args=[school.urn])))
    return HomeSection(
        key="my_school",
        heading="My school",
        kind=MINE,
        items=[
            HomeItem(
                title=f"{school.name}: school on a page",
                url=reverse("partnership:school_page", args=[school.urn]),
                detail=f"URN {school.urn}, {school.get_phase_display().lower()}. Results beside "
                "LA and national over three years; prints on one sheet.",
                links=tuple(links),
            )
        ],
    )


@home_section(order=6)
def my_trust(*, user, now) -> HomeSection | None:
    if not is_trust_user(user):
        return None
    trust = user.trust
    schools = list(open_schools().filter(trust=trust).order_by("name"))
    items = [
        HomeItem(
            title=f"{trust.name}: trust dashboard",
            url=reverse("partnership:trust_page", args=[trust.pk]),
            detail=f"{len(schools)} open school{'s' if len(schools) != 1 else ''}: results, "
            "RAG and Ofsted side by side, with exports.",
            links=(("Its register entry", reverse("schools:trust_detail", args=[trust.pk])),),
        )
    ]
    items += [
        HomeItem(
            title=s.name,
            url=reverse("partnership:school_page", args=[s.urn]),
            detail=f"URN {s.urn}"
            + (f", {s.get_phase_display().lower()}" if s.phase != "not_applicable" else ""),
        )
        for s in schools
    ]
    return HomeSection(key="my_trust", heading="My trust and its schools", kind=MINE, items=items)


def _day(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local.day} {local:%B}"


def _meeting_item(meeting, user, now) -> HomeItem:
    links: list[tuple[str, str]] = []
    pack = governance.latest_board_pack(meeting=meeting)
    if (
        pack is not None
        and pack.status == BoardPack.Status.READY
        and user.has_perm("partnership.view_board_pack", pack)
    ):
        links.append(
            (
                f"Board pack (PDF, {pack.pages} pages)",
                reverse("partnership:board_pack_download", args=[pack.pk]),
            )
        )
    papers = list(governance.papers_for_meeting(meeting=meeting))
    for paper in papers[:PAPERS_SHOWN]:
        if user.has_perm("partnership.view_paper", paper):
            links.append(
                (f"Paper: {paper.title}", reverse("partnership:paper_download", args=[paper.pk]))
            )
    due = meeting.starts_at - dt.timedelta(days=PAPERS_DAYS_AHEAD)
    if meeting.papers_published_at:
        n = len(papers)
        detail = f"Papers sent out {_day(meeting.papers_published_at)}" + (
            f": {n} paper{'s' if n != 1 else ''}." if n else " (no papers attached)."
        )
    elif due < now:
        detail = f"Papers are late: they were due by {_day(due)}."
    else:
        detail = f"Papers due by {_day(due)}."
    return HomeItem(
        title=f"{meeting.board.name}, {meeting.location}",
        url=reverse("partnership:meeting_detail", args=[meeting.pk]),
        when=meeting.starts_at,
        when_label="Meets",
        detail=detail,
        overdue=not meeting.papers_published_at and due < now,
        links=tuple(links),
    )


@home_section(order=7)
def next_meetings(*, user, now) -> HomeSection | None:
    """Board members: their boards' next meetings. Officers: every board's (as a task when
    papers are due out within the week)."""
    if not (is_board_member(user) or is_staff_officer(user)):
        return None
    meetings = list(
        governance.upcoming_meetings(user=user, now=now).filter(starts_at__gte=now)[:NEXT_MEETINGS]
    )
    items = [_meeting_item(m, user, now) for m in meetings]
    officer = is_staff_officer(user)
    # A board member's meeting in the next fortnight is a task: read the pack and papers.
    soon = bool(meetings) and meetings[0].starts_at <= now + dt.timedelta(days=14)
    return HomeSection(
        key="next_meetings",
        heading="Next meetings" if officer else "Your next meetings",
        kind=TASK if soon and not officer else MINE,
        summary="Read the pack and papers before your next meeting."
        if soon and not officer
        else "",
        items=items,
        empty="No meeting is scheduled for your boards."
        if not officer
        else "No meeting is scheduled.",
        more_url=reverse("partnership:my_meetings")
        if not officer
        else reverse("partnership:board_list"),
        more_label="All your meetings and the calendar feed"
        if not officer
        else "Boards and meetings",
    )


@home_section(order=8)
def latest_dashboards(*, user, now) -> HomeSection | None:
    if not (is_board_member(user) or (sees_whole_partnership(user) and not is_staff_officer(user))):
        return None
    run = current_run()
    as_of = run.published_at if run is not None else None
    detail = "Figures from the nightly run published then." if as_of else "No figures computed yet."
    items = [
        HomeItem(
            title="City overview",
            url=reverse("partnership:overview"),
            when=as_of,
            when_label="Figures of",
            detail=detail,
        ),
        HomeItem(title="Headlines in plain sentences", url=reverse("partnership:headlines")),
    ]
    items += [
        HomeItem(title=title, url=reverse("partnership:key_stage", args=[slug]))
        for slug, (title, _) in KEY_STAGE_PAGES.items()
    ]
    items.append(HomeItem(title="Schools grid", url=reverse("partnership:schools_grid")))
    return HomeSection(key="dashboards", heading="Latest dashboards", kind=MINE, items=items)
