"""Reads for support deployments and the support figures, scoped by the user's role."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q, QuerySet
from django.utils import timezone

from pep_portal.accounts.roles import (
    is_school_staff,
    is_trust_user,
    sees_whole_partnership,
)

from ..calculations.academic_year import academic_year_bounds, academic_year_of
from ..calculations.support import DeploymentRow, SupportFigures, support_figures
from ..categorisation.selectors import latest_categorisations
from .models import Deployment

logger = logging.getLogger(__name__)


# --- School-to-school support -----------------------------------------------------------------


def deployment_list(*, user) -> QuerySet[Deployment]:
    qs = Deployment.objects.select_related(
        "leader", "home_school", "home_trust", "supported_school"
    )
    if sees_whole_partnership(user):
        return qs
    if is_school_staff(user):
        return qs.filter(Q(supported_school_id=user.school_id) | Q(home_school_id=user.school_id))
    if is_trust_user(user):
        return qs.filter(
            Q(supported_school__trust_id=user.trust_id)
            | Q(home_school__trust_id=user.trust_id)
            | Q(home_trust_id=user.trust_id)
        )
    return qs.none()


def support_figures_for_year(*, year: int, as_of: dt.date | None = None) -> SupportFigures:
    """Figures for the academic year starting in ``year`` (to ``as_of`` when given)."""
    start, end = academic_year_bounds(year)
    if as_of is not None:
        end = min(end, as_of)
    rows = [
        DeploymentRow(
            supported_school_id=d.supported_school_id,
            focus=d.focus,
            days=d.days,
            from_mat=d.from_mat,
            cancelled=d.status == Deployment.Status.CANCELLED,
        )
        for d in Deployment.objects.filter(start_date__gte=start, start_date__lte=end)
        .select_related("home_trust")
        .order_by("pk")
    ]
    latest = {
        school_id: decision.category
        for school_id, decision in latest_categorisations(as_of=end).items()
    }
    return support_figures(rows, latest)


def current_academic_year() -> int:
    return academic_year_of(timezone.localdate())
