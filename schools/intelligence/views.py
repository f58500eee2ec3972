"""Pages for a school's own data: soft intelligence, workforce comparison, agreements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.forms import ImportUploadForm
from pep_portal.imports.services import import_job_create
from pep_portal.platform.spreadsheets import csv_response
from pep_portal.platform.uploads import upload_purpose
from schools.selectors import school_get

from . import selectors, services, soft_rag
from .forms import AgreementForm, SoftIntelligenceForm, WorkforceForm
from .importers import COLUMNS, KIND


def _school(request, urn: int, **kwargs):
    school = school_get(user=request.user, urn=urn)
    if school is None:
        raise Http404("No school with that URN.")
    return school


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


def _save(form, request, service, **extra):
    data = dict(form.cleaned_data)
    try:
        return service(data, **extra)
    except ValidationError as exc:
        for name, errs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    return None


@permission_required("schools.record_school_data")
def soft_intelligence_record(request):
    form = SoftIntelligenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = _save(
            form,
            request,
            lambda d: services.soft_intelligence_record(
                school=d["school"],
                academic_year=d["academic_year"],
                term=d["term"],
                values={k: d.get(k) for k in services.SOFT_FIELDS},
                notes=d.get("notes", ""),
                user=request.user,
            ),
        )
        if record:
            messages.success(request, f"Soft intelligence saved for {record.school.name}.")
            return redirect("schools:school_own_data", record.school.urn)
    return render(
        request,
        "schools/intelligence/record_form.html",
        {"form": form, "title": "Record soft intelligence"},
    )


@permission_required("schools.record_school_data")
def workforce_record(request):
    form = WorkforceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = _save(
            form,
            request,
            lambda d: services.workforce_record(
                school=d["school"],
                academic_year=d["academic_year"],
                values={k: d.get(k) for k in services.WORKFORCE_FIELDS},
                user=request.user,
            ),
        )
        if record:
            messages.success(request, f"Workforce figures saved for {record.school.name}.")
            return redirect("schools:workforce_comparison", record.school.urn)
    return render(
        request,
        "schools/intelligence/record_form.html",
        {"form": form, "title": "Record workforce figures"},
    )


@upload_purpose("national_data")
@permission_required("schools.import_soft_intelligence")
def soft_intelligence_import(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            kind=KIND,
            uploaded_file=form.cleaned_data["file"],
            user=request.user,
            options={"user_id": request.user.pk},
        )
        return redirect("import_detail", job.pk)
    return render(request, "schools/intelligence/import.html", {"form": form, "columns": COLUMNS})


@permission_required("schools.import_soft_intelligence")
def soft_intelligence_template(request):
    return csv_response("soft-intelligence-template.csv", COLUMNS, [])


@permission_required("schools.view_school_intelligence", fn=_school)
def school_own_data(request, urn: int):
    school = _school(request, urn)
    return render(
        request,
        "schools/intelligence/school_own_data.html",
        {"school": school, "data": selectors.school_intelligence(school=school, user=request.user)},
    )


@permission_required("schools.view_school_intelligence", fn=_school)
def workforce_comparison(request, urn: int):
    school = _school(request, urn)
    year = request.GET.get("year", "")
    data = selectors.workforce_comparison(
        school=school, user=request.user, year=int(year) if year.isdigit() else None
    )
    return render(request, "schools/intelligence/workforce.html", {"school": school, "data": data})


@permission_required("schools.record_school_data")
def agreement_record(request, urn: int):
    school = _school(request, urn)
    form = AgreementForm(request.POST or None)
    form.instance.school = school
    if request.method == "POST" and form.is_valid():
        agreement = _save(
            form,
            request,
            lambda d: services.agreement_record(
                school=school,
                version=d["version"],
                signed_by_name=d["signed_by_name"],
                signed_by_role=d.get("signed_by_role", ""),
                signed_on=d["signed_on"],
                user=request.user,
            ),
        )
        if agreement:
            messages.success(request, "Data sharing agreement recorded.")
            return redirect("schools:school_own_data", school.urn)
    return render(
        request,
        "schools/intelligence/record_form.html",
        {"form": form, "title": f"Record a data sharing agreement: {school.name}"},
    )
