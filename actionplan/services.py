"""Writes for the action plan: building plans, recording updates, RAG, reminders."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pep_portal.platform.notifications import NotificationKey, send_once
from pep_portal.platform.site import site_url
from pep_portal.platform.uploads import check_upload
from pep_portal.platform.validated import save_validated

if TYPE_CHECKING:
    from outcomes.models import Measure, Target
    from pep_portal.accounts.models import User

from . import rag as ragmod
from . import selectors
from .models import (
    REMINDER_TOPIC,
    Action,
    LeadRole,
    Milestone,
    MilestoneUpdate,
    Plan,
    Priority,
    ReminderStage,
    StatusChoices,
    SuccessMeasure,
)

logger = logging.getLogger(__name__)

REMINDER_WINDOW_DAYS = 14


def evidence_max_bytes() -> int:
    return int(getattr(settings, "ACTIONPLAN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


# --- Building a plan ----------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    title: str,
    period: str = "",
    published_on: dt.date | None = None,
    introduction: str = "",
    is_current: bool = False,
    amber_window_days: int = ragmod.DEFAULT_AMBER_WINDOW_DAYS,
) -> Plan:
    plan = Plan(
        title=title.strip(),
        period=period.strip(),
        published_on=published_on,
        introduction=introduction.strip(),
        amber_window_days=amber_window_days,
    )
    plan.full_clean()
    plan.save()
    if is_current:
        plan_make_current(plan=plan)
    return plan


@transaction.atomic
def plan_make_current(*, plan: Plan) -> Plan:
    """Make this the one current plan (the board view opens on it)."""
    Plan.objects.exclude(pk=plan.pk).filter(is_current=True).update(is_current=False)
    plan.is_current = True
    plan.full_clean()
    plan.save(update_fields=["is_current"])
    return plan


@transaction.atomic
def lead_role_upsert(*, code: str, title: str) -> LeadRole:
    role = LeadRole.objects.filter(code=code.strip()).first() or LeadRole(code=code.strip())
    role.title = title.strip()
    return save_validated(role)


def parse_lead_codes(who: str, known: set[str]) -> list[str]:
    """The lead-role codes named in a Who cell ("DCS / DDCS", "HSI PTSA Challenge Partners")."""
    found: list[str] = []
    for token in re.split(r"[\s/,;&+]+", who or ""):
        token = token.strip().strip(".()")
        if token in known and token not in found:
            found.append(token)
    return found


@transaction.atomic
def priority_create(
    *,
    plan: Plan,
    number: int,
    title: str,
    ofsted_areas: str = "",
    success_looks_like: str | list[str] = "",
) -> Priority:
    if isinstance(success_looks_like, list):
        success_looks_like = "\n".join(s.strip() for s in success_looks_like if s.strip())
    priority = Priority(
        plan=plan,
        number=number,
        title=title.strip(),
        ofsted_areas=ofsted_areas.strip(),
        success_looks_like=success_looks_like.strip(),
    )
    return save_validated(priority)


@transaction.atomic
def action_create(
    *,
    priority: Priority,
    number: str,
    description: str,
    who: str = "",
    when: str = "",
    due_date: dt.date | None = None,
    lead_codes: list[str] | None = None,
) -> Action:
    """Create an action; its lead roles are the codes given, or those named in ``who``."""
    action = Action(
        priority=priority,
        number=number.strip(),
        description=description.strip(),
        who=who.strip(),
        when=when.strip(),
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    if lead_codes is None:
        lead_codes = parse_lead_codes(who, set(LeadRole.objects.values_list("code", flat=True)))
    leads = list(LeadRole.objects.filter(code__in=lead_codes))
    missing = set(lead_codes) - {lr.code for lr in leads}
    if missing:
        raise ValidationError({"leads": f"Unknown lead role(s): {', '.join(sorted(missing))}."})
    action.leads.set(leads)
    return action


@transaction.atomic
def milestone_create(
    *,
    action: Action,
    title: str,
    order: int | None = None,
    due_date: dt.date | None = None,
    lead: LeadRole | None = None,
) -> Milestone:
    if order is None:
        order = action.milestones.count() + 1
    milestone = Milestone(
        action=action, title=title.strip(), order=order, due_date=due_date, lead=lead
    )
    return save_validated(milestone)


@transaction.atomic
def success_measure_create(
    *,
    plan: Plan,
    area: str,
    description: str,
    order: int = 1,
    priority: Priority | None = None,
    measure: Measure | None = None,
    pupil_group: str = "all",
    target: Target | None = None,
    target_text: str = "",
    target_date: dt.date | None = None,
) -> SuccessMeasure:
    sm = SuccessMeasure(
        plan=plan,
        area=area.strip(),
        description=description.strip(),
        order=order,
        priority=priority,
        measure=measure,
        pupil_group=pupil_group or "all",
        target=target,
        target_text=target_text.strip(),
        target_date=target_date,
    )
    return save_validated(sm)


# --- Updates ------------------------------------------------------------------------------


def _store_evidence(update: MilestoneUpdate, uploaded: UploadedFile) -> None:
    """Check the upload (pep_portal.platform.uploads), then store it under MEDIA_ROOT with a fixed name."""
    try:
        checked = check_upload(uploaded, max_bytes=evidence_max_bytes())
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from None
    update.evidence_name = checked.name[:255]
    update.evidence_content_type = checked.content_type
    update.evidence_size = checked.size
    update.evidence_file.save(
        f"evidence{checked.kind.extension}", ContentFile(checked.data), save=False
    )


@transaction.atomic
def milestone_update_record(
    *,
    milestone: Milestone,
    author: User,
    status: str,
    progress: int,
    note: str,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    rag_override: str = "",
    override_reason: str = "",
    today: dt.date | None = None,
    recorded_at: dt.datetime | None = None,
) -> MilestoneUpdate:
    """Record an update (kept for good), move the milestone on, and recompute its RAG.

    Only officers, admins and the milestone's lead may update. A complete milestone is at
    100%. An override of the RAG needs a reason; an update without an override clears the
    previous one (each update states the colour it asks for). ``recorded_at`` (default now)
    and ``today`` let the demo and tests load a history of past updates.
    """
    if not author.has_perm("actionplan.update_milestone", milestone):
        raise PermissionDenied("Only officers and the milestone's lead may update it.")
    recorded_at = recorded_at or timezone.now()
    today = today or timezone.localdate(recorded_at)
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("action__priority__plan")
        .get(pk=milestone.pk)
    )
    if status == StatusChoices.COMPLETE:
        progress = 100
    update = MilestoneUpdate(
        milestone=milestone,
        author=author,
        status=status,
        progress=progress,
        note=(note or "").strip(),
        evidence_url=(evidence_url or "").strip(),
        rag_override=rag_override or "",
        override_reason=(override_reason or "").strip() if rag_override else "",
        rag_before=milestone.rag,
        created_at=recorded_at,
    )
    if rag_override and not update.override_reason:
        raise ValidationError({"override_reason": "Give a reason for overriding the RAG."})
    if evidence_file is not None:
        _store_evidence(update, evidence_file)

    was_complete = milestone.status == StatusChoices.COMPLETE
    milestone.status = status
    milestone.progress = progress
    milestone.last_updated_at = recorded_at
    if status == StatusChoices.COMPLETE:
        milestone.completed_on = milestone.completed_on if was_complete else today
    else:
        milestone.completed_on = None
    milestone.rag_override = update.rag_override
    milestone.override_reason = update.override_reason
    milestone.computed_rag = ragmod.milestone_rag(
        status=status,
        due_date=milestone.due_date,
        today=today,
        amber_window_days=milestone.action.priority.plan.amber_window_days,
    ).value
    milestone.rag_computed_on = today
    update.computed_rag = milestone.computed_rag
    update.rag_after = milestone.rag
    update.full_clean()
    milestone.full_clean()
    milestone.save()
    update.save()
    _roll_up_actions([milestone.action_id])
    return update


# --- RAG: recompute and roll up -------------------------------------------------------------


def _roll_up_actions(action_ids: list[int] | None = None) -> tuple[int, int]:
    """Recompute action RAG (worst milestone) and then priority RAG (worst action)."""
    queryset = (
        Action.objects.all() if action_ids is None else Action.objects.filter(pk__in=action_ids)
    )
    actions = list(queryset.prefetch_related("milestones"))
    changed_actions = _rolled_up(actions, lambda action: action.milestones.all())
    Action.objects.bulk_update(changed_actions, ["rag"])
    priority_ids = {a.priority_id for a in actions}
    priorities = Priority.objects.filter(pk__in=priority_ids).prefetch_related("actions")
    changed_priorities = _rolled_up(priorities, lambda priority: priority.actions.all())
    Priority.objects.bulk_update(changed_priorities, ["rag"])
    return len(changed_actions), len(changed_priorities)


_P = TypeVar("_P", Action, Priority)


def _rolled_up(parents: Iterable[_P], children: Callable[[_P], Iterable[Any]]) -> list[_P]:
    """Set each parent's RAG to the worst of its children's; the parents that changed."""
    changed = []
    for parent in parents:
        new = ragmod.roll_up(child.rag for child in children(parent))
        new_value = new.value if new else ""
        if parent.rag != new_value:
            parent.rag = new_value
            changed.append(parent)
    return changed


@transaction.atomic
def milestone_rag_recompute(
    *, today: dt.date | None = None, plan: Plan | None = None
) -> dict[str, int]:
    """Recompute every milestone's RAG for today and roll it up (the nightly step).

    Idempotent: a second run the same day changes nothing.
    """
    today = today or selectors.today_local()
    milestones = Milestone.objects.select_related("action__priority__plan")
    if plan is not None:
        milestones = milestones.filter(action__priority__plan=plan)
    changed = []
    total = 0
    for m in milestones.iterator(chunk_size=2000):
        total += 1
        new = ragmod.milestone_rag(
            status=m.status,
            due_date=m.due_date,
            today=today,
            amber_window_days=m.action.priority.plan.amber_window_days,
        ).value
        if m.computed_rag != new or m.rag_computed_on != today:
            m.computed_rag = new
            m.rag_computed_on = today
            changed.append(m)
    Milestone.objects.bulk_update(changed, ["computed_rag", "rag_computed_on"], batch_size=1000)
    action_ids = (
        None
        if plan is None
        else list(Action.objects.filter(priority__plan=plan).values_list("pk", flat=True))
    )
    actions_changed, priorities_changed = _roll_up_actions(action_ids)
    return {
        "milestones": total,
        "milestones_recomputed": len(changed),
        "actions_changed": actions_changed,
        "priorities_changed": priorities_changed,
    }


# --- Reminders ------------------------------------------------------------------------------


def _lead_users(milestone: Milestone) -> list[User]:
    if milestone.lead is not None:
        holders = list(milestone.lead.holders.all())
    else:
        holders = [u for role in milestone.action.leads.all() for u in role.holders.all()]
    unique = {u.pk: u for u in holders if u.is_active and u.email}
    return list(unique.values())


def reminder_key(milestone: Milestone, user: User, stage: str) -> NotificationKey:
    """The key a lead's reminder of a milestone goes once under (the data migration that
    moved ReminderSent's rows into the platform log builds the same key)."""
    due = milestone.due_date
    return NotificationKey(
        topic=REMINDER_TOPIC,
        kind=stage,
        subject=milestone,
        recipient=user,
        occasion=due.isoformat() if due else "",
    )


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Email each lead about their milestones due in the next 14 days and those overdue.

    Each (milestone, stage, due date, person) is emailed once ever (send_once, whose log has a
    unique key). One email per person per run lists all their new reminders. Each person's
    log rows and email are one transaction (a failed send leaves no log rows, so the
    reminder goes next night); the run as a whole is not, so one bad address never undoes
    reminders already sent to others.
    """
    today = today or selectors.today_local()
    window = int(getattr(settings, "ACTIONPLAN_REMINDER_DAYS", REMINDER_WINDOW_DAYS))
    milestones = list(selectors.milestones_needing_reminders(today=today, window_days=window))
    already = set(
        selectors.reminders_sent(milestones=milestones).values_list(
            "subject_id", "recipient_id", "kind", "occasion"
        )
    )
    by_person: dict[int, dict[str, Any]] = {}
    without_lead = 0
    for m in milestones:
        if m.due_date is None:  # the selector keeps only milestones with a due date
            continue
        stage = ReminderStage.OVERDUE if m.due_date < today else ReminderStage.DUE_SOON
        users = _lead_users(m)
        if not users:
            without_lead += 1
        for user in users:
            if (m.pk, user.pk, stage.value, m.due_date.isoformat()) in already:
                continue
            entry = by_person.setdefault(user.pk, {"user": user, "items": []})
            entry["items"].append((m, stage))

    emails = failed = reminders = 0
    base = site_url()
    for entry in by_person.values():
        user, items = entry["user"], entry["items"]
        listed = {
            stage: [
                {"m": m, "url": base + reverse("actionplan:milestone", args=[m.pk])}
                for m, s in items
                if s == stage
            ]
            for stage in ReminderStage
        }
        overdue, due_soon = listed[ReminderStage.OVERDUE], listed[ReminderStage.DUE_SOON]
        try:
            email = partial(
                send_mail,
                subject=_reminder_subject(len(overdue), len(due_soon)),
                message=render_to_string(
                    "actionplan/email/reminder.txt",
                    {
                        "user": user,
                        "overdue": overdue,
                        "due_soon": due_soon,
                        "today": today,
                        "window": window,
                        "plan_url": base + reverse("actionplan:plan"),
                    },
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
            keys = [reminder_key(m, user, s) for m, s in items]
            if not send_once(keys=keys, send=email, recipients=[user.email]):
                continue  # another run claimed these first: it sent them, so this one does not
        except Exception:
            logger.exception("Action-plan reminder to %s failed", user.email)
            failed += 1
            continue
        emails += 1
        reminders += len(items)
    return {
        "emails": emails,
        "reminders": reminders,
        "failed": failed,
        "milestones_without_lead_user": without_lead,
    }


def _reminder_subject(overdue: int, due_soon: int) -> str:
    parts = []
    if overdue:
        parts.append(f"{overdue} overdue")
    if due_soon:
        parts.append(f"{due_soon} due soon")
    return f"Action plan: milestones you lead ({', '.join(parts)})"
