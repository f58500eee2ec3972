"""The officer upload page for results (and statistical neighbours), the EES mapping step,
and the downloadable portal template."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.spreadsheets import XLSX_CONTENT_TYPE, csv_response, xlsx_bytes
from pep_portal.platform.uploads import upload_purpose

from . import importers, importing, layouts, selectors
from .forms import EesMappingForm, ResultsUploadForm
from .models import AreaType, Measure, PupilGroup, ResultStatus

SESSION_KEY = "outcomes_pending_uploads"


@upload_purpose("national_data")
@permission_required("outcomes.import_results")
def import_results(request):
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = importing.pending_upload_store(uploaded_file=upload)
        options = form.options()
        scan = (
            importers.mapping_needed(
                importing.pending_upload_path(token), form.cleaned_data.get("layout") or None
            )
            if form.kind == "results"
            else None
        )
        if scan is not None:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"name": upload.name, "options": options}
            request.session[SESSION_KEY] = pending
            return redirect("outcomes:import_mapping", token=token)
        job = importing.pending_upload_queue(
            token=token,
            original_name=upload.name,
            user=request.user,
            kind=form.kind,
            options=options,
        )
        return redirect("import_detail", job.pk)
    return render(
        request,
        "outcomes/import_results.html",
        {"form": form, "layouts": importers.RESULT_LAYOUTS, "columns": layouts.TEMPLATE_COLUMNS},
    )


@permission_required("outcomes.import_results")
def import_mapping(request, token: str):
    pending = request.session.get(SESSION_KEY, {})
    if token not in pending:
        raise Http404("This upload is not waiting for a mapping (or belongs to someone else).")
    upload = pending[token]
    try:
        path = importing.pending_upload_path(token)
        scan = importers.ees_scan(path)
    except (ValueError, FileNotFoundError, importers.ImportRejected):
        raise Http404("The upload is no longer available; upload the file again.") from None
    form = EesMappingForm(request.POST or None, scan=scan)
    if request.method == "POST" and ("skip" in request.POST or form.is_valid()):
        mappings = [] if "skip" in request.POST else form.mappings
        job = importing.pending_upload_queue(
            token=token,
            original_name=upload["name"],
            user=request.user,
            options=upload["options"],
            mappings=mappings,
        )
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        return redirect("import_detail", job.pk)
    return render(
        request,
        "outcomes/import_mapping.html",
        {
            "form": form,
            "scan": scan,
            "upload": upload,
            "action": reverse("outcomes:import_mapping", kwargs={"token": token}),
        },
    )


def _template_rows():
    return selectors.template_example_rows()


@permission_required("outcomes.import_results")
def results_template(request):
    fmt = request.GET.get("format", "csv")
    header = list(layouts.TEMPLATE_COLUMNS)
    if fmt == "xlsx":
        codes = [
            (m.code, m.name, m.get_unit_display(), ", ".join(m.groups))
            for m in Measure.objects.filter(is_active=True)
        ]
        lists = [
            ("area_type", ", ".join(AreaType.values)),
            ("pupil_group", ", ".join(PupilGroup.values)),
            ("status", ", ".join(ResultStatus.values)),
            ("value markers", "SUPP, NA, NE, NP, LOWCOV, NSE, NR, NEW, x, z, c, low, -"),
            ("academic_year", "the year the academic year ends: 2016 = 2015/16"),
        ]
        content = xlsx_bytes(
            {
                "Results": (header, _template_rows()),
                "Measures": (["measure_code", "name", "unit", "pupil groups"], codes),
                "Allowed values": (["column", "allowed"], lists),
            }
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="pep-results-template.xlsx"'
        return response
    if fmt != "csv":
        raise Http404("The template comes as format=csv or format=xlsx.")
    return csv_response("pep-results-template.csv", header, _template_rows())
