"""Writes for system leaders and support deployments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from pep_portal.platform.validated import save_validated
from schools.models import School

from .models import Deployment, SystemLeader

if TYPE_CHECKING:
    from pep_portal.accounts.models import User


# --- School-to-school support --------------------------------------------------------------------


@transaction.atomic
def system_leader_create(
    *, name: str, designation: str, home_school: School | None = None, specialism: str = ""
) -> SystemLeader:
    return save_validated(
        SystemLeader(
            name=name, designation=designation, home_school=home_school, specialism=specialism
        )
    )


@transaction.atomic
def deployment_create(
    *,
    leader: SystemLeader,
    supported_school: School,
    focus: str,
    commissioned_by: str,
    days: Decimal,
    start_date: dt.date,
    end_date: dt.date | None = None,
    focus_detail: str = "",
    status: str = Deployment.Status.PLANNED,
    created_by: User | None = None,
) -> Deployment:
    """Record a deployment. The leader's home school and its trust are kept as they are now."""
    if leader.home_school_id and leader.home_school_id == supported_school.pk:
        raise ValidationError({"supported_school": "A leader is not deployed to their own school."})
    home = leader.home_school
    return save_validated(
        Deployment(
            leader=leader,
            designation=leader.designation,
            home_school=home,
            home_trust=home.trust if home else None,
            supported_school=supported_school,
            focus=focus,
            focus_detail=focus_detail,
            commissioned_by=commissioned_by,
            days=days,
            start_date=start_date,
            end_date=end_date,
            status=status,
            created_by=created_by,
        )
    )


@transaction.atomic
def deployment_set_status(*, deployment: Deployment, status: str) -> Deployment:
    if status == Deployment.Status.CLOSED:
        raise ValidationError("Close a deployment with its impact note.")
    if deployment.status == Deployment.Status.CLOSED:
        raise ValidationError("This deployment is closed.")
    deployment.status = status
    return save_validated(deployment)


@transaction.atomic
def deployment_close(
    *, deployment: Deployment, impact_note: str, end_date: dt.date, days: Decimal | None = None
) -> Deployment:
    if not impact_note.strip():
        raise ValidationError({"impact_note": "Say what impact the support had."})
    deployment.status = Deployment.Status.CLOSED
    deployment.impact_note = impact_note.strip()
    deployment.end_date = end_date
    if days is not None:
        deployment.days = days
    return save_validated(deployment)
