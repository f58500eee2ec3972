"""Reads for the schools register, scoped by the user who asks.

The register (names, types, trusts, published Ofsted judgements) is published information:
every signed-in user with ``schools.view_school_list`` sees every school. The latest Ofsted
inspection is derived by subquery annotation, never stored, so the list runs in a fixed
number of queries however many schools there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from pep_portal.accounts.models import User

from . import register_cache
from .models import LocalAuthority, OfstedGrade, OfstedInspection, School, Trust

# Values of the directory's Ofsted filter besides the grades 1-4.
OFSTED_NO_OVERALL_GRADE = "none"
OFSTED_NOT_INSPECTED = "uninspected"
OFSTED_GOOD_OR_BETTER = "good_or_better"

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUS_ALL = "all"

# "Open" everywhere in the portal: open, or open but proposed to close. A school proposed
# to open is not open yet; a closed school appears only in history.
OPEN_STATUSES = list(School.OPEN_STATUSES)

# school_list's ofsted and status values with what each means: the choices of the
# directory page's filters and of the API's, so both offer and say the same.
OFSTED_CHOICES = [
    *[(str(value), label) for value, label in OfstedGrade.choices],
    (OFSTED_GOOD_OR_BETTER, "Good or better (graded inspections only)"),
    (OFSTED_NO_OVERALL_GRADE, "No overall grade (inspected since September 2024)"),
    (OFSTED_NOT_INSPECTED, "Not inspected"),
]
STATUS_CHOICES = [
    (STATUS_OPEN, "Open"),
    (STATUS_CLOSED, "Closed"),
    (STATUS_ALL, "Open and closed"),
]


def open_schools() -> QuerySet[School]:
    """Every open school (``OPEN_STATUSES``)."""
    return School.objects.filter(status__in=OPEN_STATUSES)


def partnership_schools() -> QuerySet[School]:
    """The partnership's schools: open (``OPEN_STATUSES``), in the partnership's LA(s). The
    one definition: the nightly run gives exactly these a summary (as of its run), and every
    count and list of the partnership's schools (dashboards, grid and CSV, register,
    categorisation, consultations, predictions, soft intelligence, board pack) starts here.
    Closed schools keep their figures as history but are never counted."""
    return open_schools().filter(la__in_partnership=True)


def with_latest_ofsted(qs: QuerySet[School]) -> QuerySet[School]:
    """Annotate latest_ofsted_date / _grade / _framework from the newest inspection."""
    latest = OfstedInspection.objects.filter(school=OuterRef("pk")).order_by("-inspection_date")
    return qs.annotate(
        latest_ofsted_date=Subquery(latest.values("inspection_date")[:1]),
        latest_ofsted_grade=Subquery(latest.values("overall_effectiveness")[:1]),
        latest_ofsted_framework=Subquery(latest.values("framework")[:1]),
    )


# What of the register a user may see (register_scope): every school, or none.
SCOPE_ALL = ("all",)
SCOPE_NONE = ("none",)


def register_scope(user: User) -> tuple:
    """What of the register the user may see. school_list() scopes by it and every cached
    read of the register is keyed by it, so a cached list is only served to a viewer with
    the same scope. The register is published information: every signed-in user with
    ``schools.view_school_list`` sees every school (schools/rules.py), anyone else none."""
    return SCOPE_ALL if user.has_perm("schools.view_school_list") else SCOPE_NONE


def school_list(
    *,
    user: User,
    la: int | None = None,
    phase: str | None = None,
    category: str | None = None,
    trust: int | None = None,
    ofsted: str | None = None,
    status: str | None = STATUS_OPEN,
    q: str | None = None,
) -> QuerySet[School]:
    """Schools the user may see, filtered; each with its latest Ofsted judgement.

    la: LA code (e.g. 851); trust: trust id; ofsted: "1".."4", "good_or_better" (only where
    an overall grade exists), "none" (latest inspection has no overall grade) or
    "uninspected"; status: "open" (default, incl. proposed to close), "closed" or "all";
    q: part of the name, or a URN / LAESTAB.
    """
    if register_scope(user) != SCOPE_ALL:
        return School.objects.none()
    qs = with_latest_ofsted(School.objects.select_related("la", "trust"))
    if status == STATUS_OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == STATUS_CLOSED:
        qs = qs.filter(status=School.Status.CLOSED)
    if la:
        qs = qs.filter(la__code=la)
    if phase:
        qs = qs.filter(phase=phase)
    if category:
        qs = qs.filter(category=category)
    if trust:
        qs = qs.filter(trust_id=trust)
    if ofsted in {"1", "2", "3", "4"}:
        qs = qs.filter(latest_ofsted_grade=int(ofsted))
    elif ofsted == OFSTED_GOOD_OR_BETTER:
        qs = qs.filter(latest_ofsted_grade__in=[1, 2])
    elif ofsted == OFSTED_NO_OVERALL_GRADE:
        qs = qs.filter(latest_ofsted_date__isnull=False, latest_ofsted_grade__isnull=True)
    elif ofsted == OFSTED_NOT_INSPECTED:
        qs = qs.filter(latest_ofsted_date__isnull=True)
    if q:
        q = q.strip()
        match = Q(name__icontains=q)
        if q.isdigit():
            match |= Q(urn=int(q)) | Q(laestab=q)
        qs = qs.filter(match)
    return qs.order_by("name", "urn")


def school_get(*, user: User, urn: int) -> School | None:
    """One school with its inspections (newest first), or None if missing or not allowed."""
    if not user.has_perm("schools.view_school_list"):
        return None
    inspections = OfstedInspection.objects.order_by("-inspection_date")
    return (
        School.objects.select_related("la", "trust")
        .prefetch_related(Prefetch("inspections", queryset=inspections))
        .filter(urn=urn)
        .first()
    )


def trust_get(*, user: User, pk: int) -> Trust | None:
    if not user.has_perm("schools.view_trust"):
        return None
    return Trust.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class OfstedSummary:
    """Good-or-better among the schools that have an overall grade, and who has none."""

    schools: int
    graded: int
    good_or_better: int
    no_overall_grade: int
    not_inspected: int

    @property
    def percent_good_or_better(self) -> float | None:
        return round(100 * self.good_or_better / self.graded, 1) if self.graded else None


def ofsted_summary(schools: QuerySet[School]) -> OfstedSummary:
    """Computed in the database from a school_list() queryset (two queries).

    Each school's latest inspection is found once, as the inspection with no later one for
    the same school (an anti-join), rather than by the per-school subqueries school_list
    annotates: at England scale (20,000 schools) that is ~20 ms instead of ~200 ms.
    """
    school_ids = schools.order_by().values("pk")
    later = OfstedInspection.objects.filter(
        school=OuterRef("school"), inspection_date__gt=OuterRef("inspection_date")
    )
    latest = OfstedInspection.objects.filter(school__in=school_ids).filter(~Exists(later))
    totals = latest.aggregate(
        inspected=Count("pk"),
        graded=Count("pk", filter=Q(overall_effectiveness__isnull=False)),
        good=Count("pk", filter=Q(overall_effectiveness__in=[1, 2])),
    )
    count = schools.order_by().count()
    return OfstedSummary(
        schools=count,
        graded=totals["graded"],
        good_or_better=totals["good"],
        no_overall_grade=totals["inspected"] - totals["graded"],
        not_inspected=count - totals["inspected"],
    )


def local_authority_choices() -> list[tuple[int, str]]:
    """LAs that have schools in the register, partnership LAs first."""
    las = (
        LocalAuthority.objects.filter(schools__isnull=False)
        .distinct()
        .order_by("-in_partnership", "name")
        .values_list("code", "name")
    )
    return [(code, f"{name} ({code})") for code, name in las]


def trust_choices() -> list[tuple[int, str]]:
    return list(
        Trust.objects.filter(schools__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )


def filter_choices_named(*, la: str = "", trust: str = "") -> dict[str, list[tuple[int, str]]]:
    """The LA and trust a link names (``?la=852``, ``?trust=12``) where they exist, labelled
    as the lists label them: for a value the page's lists do not offer (an LA with no schools,
    or any for a head or trust user, whose lists are empty), so that an existing one is a
    filter that lists nothing rather than a refused value."""
    named: dict[str, list[tuple[int, str]]] = {"la": [], "trust": []}
    if la.isdigit() and len(la) <= 9:
        named["la"] = [
            (code, f"{name} ({code})")
            for code, name in LocalAuthority.objects.filter(code=int(la)).values_list(
                "code", "name"
            )
        ]
    if trust.isdigit() and len(trust) <= 9:
        named["trust"] = list(Trust.objects.filter(pk=int(trust)).values_list("pk", "name"))
    return named


def register_filter_choices(*, user: User, version: tuple) -> dict[str, list[tuple[int, str]]]:
    """The register page's LA and trust lists ({"la": ..., "trust": ...}), cached for this
    register version (``register_cache.register_version()``) and the user's scope."""
    scope = register_scope(user)

    def compute() -> dict[str, list[tuple[int, str]]]:
        if scope != SCOPE_ALL:
            return {"la": [], "trust": []}
        return {"la": local_authority_choices(), "trust": trust_choices()}

    return register_cache.cached(
        "filter_choices", version=version, scope=scope, params=None, compute=compute
    )


def register_summary(*, user: User, version: tuple, filters: dict) -> OfstedSummary:
    """ofsted_summary() of school_list(user=user, **filters), cached for this register
    version and the user's scope (its ``schools`` is the list's count)."""
    return register_cache.cached(
        "ofsted_summary",
        version=version,
        scope=register_scope(user),
        params=tuple(sorted(filters.items())),
        compute=lambda: ofsted_summary(school_list(user=user, **filters)),
    )


def register_page_key(*, user: User, version: tuple, query: list) -> str:
    """The cache key of the register page's rendered filters and list for this register
    version, the user's scope and the page's query (``request.GET.lists()``)."""
    return register_cache.key(
        "school_list_page",
        version=version,
        scope=register_scope(user),
        params=tuple(sorted((name, tuple(values)) for name, values in query)),
    )


def school_or_404(request, urn: int, **_view_kwargs) -> School:
    """The school with this URN if the user may see it, else a 404 (also the object getter
    of the permission checks on school pages: ``permission_required(..., fn=school_or_404)``)."""
    school = school_get(user=request.user, urn=urn)
    if school is None:
        raise Http404("No school with that URN in the register.")
    return school
