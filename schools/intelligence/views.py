"""Pages for a school's own data: soft intelligence, workforce comparison, agreements."""

from __future__ import annotations

from django.shortcuts import redirect, render

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.forms import ImportUploadForm
from pep_portal.imports.pages import import_upload_page
from pep_portal.platform.form_pages import form_saved
from pep_portal.platform.spreadsheets import csv_response
from pep_portal.platform.uploads import upload_purpose
from schools.selectors import school_or_404

from . import selectors, services, soft_rag
from .forms import AgreementForm, SoftIntelligenceForm, WorkforceForm, WorkforceYearForm
from .importers import COLUMNS, KIND


@permission_required("schools.view_intelligence_overview")
def overview(request):
    return render(
        request,
        "schools/intelligence/overview.html",
        {
            "data": selectors.soft_intelligence_overview(user=request.user),
            "rules": soft_rag.rules_table(),
        },
    )


def _record_page(request, form, save, *, what: str, then: str, title: str):
    """A page recording one school's figures: on success, back to ``then`` for that school."""
    if saved := form_saved(
        request, form, save, message=lambda record: f"{what} saved for {record.school.name}."
    ):
        return redirect(then, saved.result.school.urn)
    return render(request, "schools/intelligence/record_form.html", {"form": form, "title": title})


@permission_required("schools.record_school_data")
def soft_intelligence_record(request):
    return _record_page(
        request,
        SoftIntelligenceForm(request.POST or None),
        lambda d: services.soft_intelligence_record(
            school=d["school"],
            academic_year=d["academic_year"],
            term=d["term"],
            values={k: d.get(k) for k in services.SOFT_FIELDS},
            notes=d.get("notes", ""),
            user=request.user,
        ),
        what="Soft intelligence",
        then="schools:school_own_data",
        title="Record soft intelligence",
    )


@permission_required("schools.record_school_data")
def workforce_record(request):
    return _record_page(
        request,
        WorkforceForm(request.POST or None),
        lambda d: services.workforce_record(
            school=d["school"],
            academic_year=d["academic_year"],
            values={k: d.get(k) for k in services.WORKFORCE_FIELDS},
            user=request.user,
        ),
        what="Workforce figures",
        then="schools:workforce_comparison",
        title="Record workforce figures",
    )


@upload_purpose("national_data")
@permission_required("schools.import_soft_intelligence")
def soft_intelligence_import(request):
    return import_upload_page(
        request,
        ImportUploadForm(request.POST or None, request.FILES or None),
        kind=KIND,
        options=lambda: {"user_id": request.user.pk},
        template="schools/intelligence/import.html",
        context={"columns": COLUMNS},
    )


@permission_required("schools.import_soft_intelligence")
def soft_intelligence_template(request):
    return csv_response("soft-intelligence-template.csv", COLUMNS, [])


@permission_required("schools.view_school_intelligence", fn=school_or_404)
def school_own_data(request, urn: int):
    school = school_or_404(request, urn)
    return render(
        request,
        "schools/intelligence/school_own_data.html",
        {"school": school, "data": selectors.school_intelligence(school=school, user=request.user)},
    )


@permission_required("schools.view_school_intelligence", fn=school_or_404)
def workforce_comparison(request, urn: int):
    school = school_or_404(request, urn)
    form = WorkforceYearForm(request.GET or None, years=selectors.workforce_years(school=school))
    filters = form.applied()  # None: the year was refused; the page says so, compares nothing
    data = (
        None
        if filters is None
        else selectors.workforce_comparison(
            school=school, user=request.user, year=filters.get("year")
        )
    )
    return render(
        request,
        "schools/intelligence/workforce.html",
        {"school": school, "data": data, "form": form},
    )


@permission_required("schools.record_school_data")
def agreement_record(request, urn: int):
    school = school_or_404(request, urn)
    form = AgreementForm(request.POST or None)
    form.instance.school = school
    if form_saved(
        request,
        form,
        lambda d: services.agreement_record(
            school=school,
            version=d["version"],
            signed_by_name=d["signed_by_name"],
            signed_by_role=d.get("signed_by_role", ""),
            signed_on=d["signed_on"],
            user=request.user,
        ),
        message="Data sharing agreement recorded.",
    ):
        return redirect("schools:school_own_data", school.urn)
    return render(
        request,
        "schools/intelligence/record_form.html",
        {"form": form, "title": f"Record a data sharing agreement: {school.name}"},
    )
