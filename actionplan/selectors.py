"""Reads for the action plan: the board view, timelines, changes since a date, the feed.

Every reader takes the user and returns nothing to a user without ``actionplan.view_plan``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from outcomes.models import AreaType, Result
from pep_portal.platform.models import SentNotification
from pep_portal.platform.notifications import sent_list

from . import rag as ragmod
from .models import (
    REMINDER_TOPIC,
    Action,
    LeadRole,
    Milestone,
    MilestoneUpdate,
    Plan,
    Priority,
    StatusChoices,
    SuccessMeasure,
)

DEFAULT_SINCE_WEEKS = 6


def _may_view(user) -> bool:
    return bool(user and user.has_perm("actionplan.view_plan"))


def today_local() -> dt.date:
    return timezone.localdate()


# --- Plans ------------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet[Plan]:
    if not _may_view(user):
        return Plan.objects.none()
    return Plan.objects.all()


def plan_current(*, user) -> Plan | None:
    """The current plan (or, when none is marked current, the most recent)."""
    return plan_list(user=user).first()


def lead_role_list(*, user) -> QuerySet[LeadRole]:
    if not _may_view(user):
        return LeadRole.objects.none()
    return LeadRole.objects.prefetch_related("holders")


def milestone_lead_user_ids(*, milestone: Milestone) -> set[int]:
    """Users who lead this milestone: holders of its lead role, else of its action's leads."""
    if milestone.lead_id:
        return set(milestone.lead.holders.values_list("pk", flat=True))
    return set(
        LeadRole.holders.through.objects.filter(leadrole__actions=milestone.action_id).values_list(
            "user_id", flat=True
        )
    )


def milestone_lead_roles(milestone: Milestone) -> list[LeadRole]:
    """The lead roles shown for a milestone (uses prefetched action leads when present)."""
    if milestone.lead_id:
        return [milestone.lead]
    return list(milestone.action.leads.all())


# --- Milestones and filters -----------------------------------------------------------------


def _rag_q(rag: str) -> Q:
    return Q(rag_override=rag) | (Q(rag_override="") & Q(computed_rag=rag))


def milestone_list(
    *,
    user,
    plan: Plan | None = None,
    rag: str | None = None,
    lead: str | None = None,
    due_within_weeks: int | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Milestone]:
    """Milestones the user may see, filtered as the board view's filter form asks."""
    if not _may_view(user):
        return Milestone.objects.none()
    today = today or today_local()
    qs = Milestone.objects.select_related("action__priority__plan", "lead").prefetch_related(
        "action__leads"
    )
    if plan is not None:
        qs = qs.filter(action__priority__plan=plan)
    if rag:
        qs = qs.filter(_rag_q(rag))
    if lead:
        qs = qs.filter(
            Q(lead__code=lead) | (Q(lead__isnull=True) & Q(action__leads__code=lead))
        ).distinct()
    not_complete = ~Q(status=StatusChoices.COMPLETE)
    if due_within_weeks is not None:
        qs = qs.filter(
            not_complete,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(weeks=due_within_weeks),
        )
    if overdue:
        qs = qs.filter(not_complete, due_date__lt=today)
    return qs


def plan_board(
    *,
    user,
    plan: Plan,
    rag: str | None = None,
    lead: str | None = None,
    due_within_weeks: int | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
    none_match: bool = False,
) -> dict:
    """The plan on one page: priorities with RAG counts, their actions and milestones.

    Counts are over each priority's whole set of milestones (the plan's status); the
    actions and milestones listed are those matching the filters. With filters on, actions
    and priorities without a matching milestone are left out. ``none_match``: the filters
    could not be applied (the page says why), so no milestone is listed.
    """
    if not _may_view(user):
        return {"priorities": [], "totals": ragmod.rag_counts([]), "filtered": False, "shown": 0}
    today = today or today_local()
    filtered = none_match or bool(rag or lead or due_within_weeks is not None or overdue)
    all_milestones = list(milestone_list(user=user, plan=plan, today=today))
    shown_ids: set[int] = (
        set()
        if none_match
        else set(
            milestone_list(
                user=user,
                plan=plan,
                rag=rag,
                lead=lead,
                due_within_weeks=due_within_weeks,
                overdue=overdue,
                today=today,
            ).values_list("pk", flat=True)
        )
        if filtered
        else {m.pk for m in all_milestones}
    )
    by_action: dict[int, list[Milestone]] = defaultdict(list)
    for m in all_milestones:
        m.is_overdue = ragmod.is_overdue(status=m.status, due_date=m.due_date, today=today)
        m.lead_roles = milestone_lead_roles(m)
        by_action[m.action_id].append(m)

    priorities = []
    actions = (
        Action.objects.filter(priority__plan=plan)
        .select_related("priority")
        .prefetch_related("leads")
        .order_by("priority__number", "sort_key")
    )
    actions_by_priority: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        actions_by_priority[action.priority_id].append(action)
    for priority in Priority.objects.filter(plan=plan).order_by("number"):
        counts = ragmod.rag_counts(
            m.rag for a in actions_by_priority[priority.pk] for m in by_action[a.pk]
        )
        rows = []
        for action in actions_by_priority[priority.pk]:
            milestones = [m for m in by_action[action.pk] if m.pk in shown_ids]
            if filtered and not milestones:
                continue
            rows.append({"action": action, "milestones": milestones})
        if filtered and not rows:
            continue
        priorities.append(
            {
                "priority": priority,
                "counts": counts,
                "counts_text": ", ".join(
                    f"{n} {rag.label.lower()}" for rag, n in counts.items() if n
                )
                or "no milestones",
                "milestone_total": sum(counts.values()),
                "actions": rows,
            }
        )
    return {
        "priorities": priorities,
        "totals": ragmod.rag_counts(m.rag for m in all_milestones),
        "filtered": filtered,
        "shown": len(shown_ids),
        "total": len(all_milestones),
    }


# --- Timelines and changes ------------------------------------------------------------------


def _updates(user) -> QuerySet[MilestoneUpdate]:
    if not _may_view(user):
        return MilestoneUpdate.objects.none()
    return MilestoneUpdate.objects.select_related("author", "milestone__action__priority")


def milestone_timeline(*, user, milestone: Milestone) -> QuerySet[MilestoneUpdate]:
    """Every update to the milestone, newest first."""
    return _updates(user).filter(milestone=milestone)


def action_timeline(*, user, action: Action) -> QuerySet[MilestoneUpdate]:
    """Every update to any of the action's milestones, newest first."""
    return _updates(user).filter(milestone__action=action)


def default_since(*, today: dt.date | None = None) -> dt.date:
    """Six weeks ago: the plan page's default for "changes since". A board's meeting page (in
    the partnership app, above this one) links here with its previous meeting's date."""
    today = today or today_local()
    return today - dt.timedelta(weeks=DEFAULT_SINCE_WEEKS)


def plan_changes_since(*, user, plan: Plan, since: dt.date) -> list[dict]:
    """Milestones updated since a date (inclusive), newest change first.

    One row per milestone: the colour at the start of the period (before its first update
    since then), the colour now, the latest status, and every update in the period.
    """
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    updates = (
        _updates(user)
        .filter(milestone__action__priority__plan=plan, created_at__gte=start)
        .order_by("created_at", "pk")
    )
    rows: dict[int, dict] = {}
    for update in updates:
        row = rows.get(update.milestone_id)
        if row is None:
            row = rows[update.milestone_id] = {
                "milestone": update.milestone,
                "rag_before": update.rag_before,
                "updates": [],
            }
        row["updates"].append(update)
    result = []
    for row in rows.values():
        milestone = row["milestone"]
        latest = row["updates"][-1]
        row["rag_now"] = milestone.rag
        row["latest"] = latest
        row["changed_colour"] = row["rag_before"] != row["rag_now"]
        row["updates"].reverse()
        result.append(row)
    result.sort(key=lambda r: r["latest"].created_at, reverse=True)
    return result


# --- Success measures -------------------------------------------------------------------------


def _latest_figures(measure_ids: list[int]) -> dict[tuple[int, str], dict]:
    """Latest LA (partnership) and national values per (measure, group) from outcomes.

    Read from the outcomes results for now; the nightly snapshot replaces this later.
    """
    if not measure_ids:
        return {}
    figures: dict[tuple[int, str], dict] = {}
    results = (
        Result.objects.filter(
            measure_id__in=measure_ids,
            value__isnull=False,
        )
        .filter(Q(area_type=AreaType.LA, la__in_partnership=True) | Q(area_type=AreaType.NATIONAL))
        .select_related("la")
        .order_by("measure_id", "pupil_group", "-academic_year")
        .values("measure_id", "pupil_group", "academic_year", "area_type", "value")
    )
    for r in results:
        key = (r["measure_id"], r["pupil_group"])
        entry = figures.setdefault(key, {"year": None, "la": None, "national": None})
        if r["area_type"] == AreaType.LA:
            if entry["year"] is None:
                entry["year"] = r["academic_year"]
                entry["la"] = r["value"]
        elif entry["national"] is None:
            entry["national_year"] = r["academic_year"]
            entry["national"] = r["value"]
    for entry in figures.values():
        if entry.get("national_year") != entry["year"]:
            entry["national"] = None  # only compare like with like (the same year)
    return figures


def success_measure_rows(*, user, plan: Plan) -> list[dict]:
    """The plan's success measures with the current figure where outcomes has one."""
    if not _may_view(user):
        return []
    measures = list(
        SuccessMeasure.objects.filter(plan=plan)
        .select_related("priority", "measure", "target")
        .order_by("order", "pk")
    )
    figures = _latest_figures([m.measure_id for m in measures if m.measure_id])
    rows = []
    for sm in measures:
        figure = figures.get((sm.measure_id, sm.pupil_group)) if sm.measure_id else None
        places = sm.measure.decimal_places if sm.measure_id else 1
        row = {
            "success_measure": sm,
            "figure": None,
            "figure_year": None,
            "national": None,
            "gap": None,
        }
        if figure and figure["la"] is not None:
            row["figure"] = round(figure["la"], places)
            row["figure_year"] = figure["year"]
            if figure["national"] is not None:
                row["national"] = round(figure["national"], places)
                row["gap"] = round(figure["la"] - figure["national"], places)
        rows.append(row)
    return rows


# --- The JSON feed ----------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def plan_feed(*, user, plan: Plan | None = None) -> dict | None:
    """The whole plan as plain dicts (for the REST API): priorities, actions, milestones."""
    if not _may_view(user):
        return None
    plan = plan or plan_current(user=user)
    if plan is None:
        return None
    board = plan_board(user=user, plan=plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "period": plan.period,
        "published_on": _iso(plan.published_on),
        "is_current": plan.is_current,
        "amber_window_days": plan.amber_window_days,
        "rag_counts": {str(k): v for k, v in board["totals"].items()},
        "rag_definitions": [
            {"rag": str(d["rag"]), "label": d["label"], "definition": d["definition"]}
            for d in ragmod.rag_definitions(plan.amber_window_days)
        ],
        "priorities": [
            {
                "number": p["priority"].number,
                "title": p["priority"].title,
                "ofsted_areas": p["priority"].ofsted_areas,
                "success_looks_like": p["priority"].success_statements,
                "rag": p["priority"].rag or None,
                "rag_counts": {str(k): v for k, v in p["counts"].items()},
                "actions": [
                    {
                        "id": a["action"].pk,
                        "number": a["action"].number,
                        "description": a["action"].description,
                        "who": a["action"].who,
                        "leads": [lr.code for lr in a["action"].leads.all()],
                        "when": a["action"].when,
                        "due_date": _iso(a["action"].due_date),
                        "rag": a["action"].rag or None,
                        "milestones": [
                            {
                                "id": m.pk,
                                "title": m.title,
                                "lead": [lr.code for lr in m.lead_roles],
                                "due_date": _iso(m.due_date),
                                "status": m.status,
                                "progress": m.progress,
                                "computed_rag": m.computed_rag or None,
                                "rag_override": m.rag_override or None,
                                "override_reason": m.override_reason,
                                "rag": m.rag or None,
                                "overdue": m.is_overdue,
                                "completed_on": _iso(m.completed_on),
                                "last_updated_at": _iso(m.last_updated_at),
                            }
                            for m in a["milestones"]
                        ],
                    }
                    for a in p["actions"]
                ],
            }
            for p in board["priorities"]
        ],
        "success_measures": [
            {
                "area": r["success_measure"].area,
                "description": r["success_measure"].description,
                "measure": r["success_measure"].measure.code
                if r["success_measure"].measure_id
                else None,
                "pupil_group": r["success_measure"].pupil_group,
                "target": r["success_measure"].target_text,
                "target_date": _iso(r["success_measure"].target_date),
                "figure": r["figure"],
                "figure_year": r["figure_year"],
                "national": r["national"],
            }
            for r in success_measure_rows(user=user, plan=plan)
        ],
    }


# --- Reminders ------------------------------------------------------------------------------


def reminders_sent(*, milestones: Milestone | Sequence[Milestone]) -> QuerySet[SentNotification]:
    """The reminders leads were sent about these milestones (``recipient`` is the user,
    ``kind`` the stage, ``occasion`` the due date they were for), newest first."""
    return sent_list(topic=REMINDER_TOPIC, subject=milestones)


def milestones_needing_reminders(*, today: dt.date, window_days: int = 14) -> QuerySet[Milestone]:
    """The current plan's milestones not complete and overdue or due within the window."""
    return (
        Milestone.objects.exclude(status=StatusChoices.COMPLETE)
        .filter(
            action__priority__plan__is_current=True,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=window_days),
        )
        .select_related("action__priority__plan", "lead")
        .prefetch_related(Prefetch("lead__holders"), Prefetch("action__leads__holders"))
    )
