"""Pages for in-year predictions: collections, a school's return, the Operational Group's
view and the accuracy check. Views validate, call one service or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pep_portal.accounts.permissions import permission_required
from pep_portal.imports.framework import ImportRejected
from pep_portal.platform.form_pages import fields, form_saved
from pep_portal.platform.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from pep_portal.platform.uploads import upload_purpose
from schools.selectors import school_or_404

from ..models import PupilGroup
from . import selectors, services
from .forms import CollectionChoiceForm, CollectionForm, PredictionsUploadForm


def _collection(request, pk: int, **kwargs):
    collection = selectors.collection_get(user=request.user, pk=pk)
    if collection is None:
        raise Http404("No such collection.")
    return collection


@permission_required("outcomes.view_collections")
def collection_list(request):
    collections = selectors.collection_list(user=request.user)
    own = None
    asked: set[int] = set()
    if request.user.school_id:
        own = {s.collection_id: s for s in request.user.school.prediction_submissions.all()}
        # A head who also sits on the Operational Group sees every collection, but has a
        # return to make only in those that ask their school.
        asked = set(request.user.school.collections.values_list("pk", flat=True))
    rows = [
        {
            "collection": c,
            "open": services.is_open(c),
            "submission": own.get(c.pk) if own is not None else None,
            "asked": c.pk in asked,
        }
        for c in collections
    ]
    return render(
        request,
        "outcomes/predictions/collection_list.html",
        {"rows": rows, "own_school": request.user.school if own is not None else None},
    )


@permission_required("outcomes.manage_collections")
def collection_create(request):
    form = CollectionForm(request.POST or None)
    if saved := form_saved(
        request,
        form,
        lambda data: services.collection_create(
            schools=data["school_list"],
            user=request.user,
            **fields(
                data,
                "title",
                "key_stage",
                "academic_year",
                "term",
                "measures",
                "groups",
                "deadline",
            ),
        ),
        message=lambda collection: f"Collection '{collection.title}' opened.",
    ):
        return redirect("outcomes:collection_detail", saved.result.pk)
    return render(request, "outcomes/predictions/collection_form.html", {"form": form})


@permission_required("outcomes.manage_collections")
def collection_detail(request, pk: int):
    collection = _collection(request, pk)
    returns = selectors.collection_returns(collection=collection, user=request.user)
    return render(
        request,
        "outcomes/predictions/collection_detail.html",
        {
            "collection": collection,
            "returns": returns,
            "open": services.is_open(collection),
            "outstanding": sum(1 for r in returns if r.status != "submitted"),
            "slots": services.collection_slots(collection),
        },
    )


@require_POST
@permission_required("outcomes.chase_submissions")
def collection_chase(request, pk: int):
    collection = _collection(request, pk)
    urn = request.POST.get("urn")
    schools = collection.schools.all()
    if urn != "all":
        schools = schools.filter(urn=urn) if (urn or "").isdigit() else schools.none()
        if not schools:
            raise Http404("That school is not in this collection.")
    sent = skipped = 0
    for school in schools:
        if services.collection_chase(collection=collection, school=school, user=request.user):
            sent += 1
        else:
            skipped += 1
    if sent:
        messages.success(request, f"Reminder emailed to {sent} school(s).")
    if skipped:
        messages.info(
            request,
            f"{skipped} school(s) not emailed: already submitted, already chased today, "
            "or no head or colleague with a login.",
        )
    return redirect("outcomes:collection_detail", collection.pk)


def _school_for_submission(request, pk: int, urn: int):
    return school_or_404(request, urn)


def _grid(collection, submission, posted=None):
    """Rows for the entry table: the slot, and the values shown in its inputs."""
    saved = {}
    if submission is not None:
        saved = {(p.measure.code, p.pupil_group): p for p in submission.predictions.all()}
    grid = []
    for slot in services.collection_slots(collection):
        prefix = f"{slot.measure.code}__{slot.group}"
        p = saved.get(slot.key)
        percent = slot.measure.unit == "percent"
        if posted is not None:
            values = {c: posted.get(f"{prefix}__{c}", "") for c in ("cohort", "pupils", "value")}
        else:
            values = {
                "cohort": "" if not p or p.cohort is None else p.cohort,
                "pupils": "" if not p or p.predicted_pupils is None else p.predicted_pupils,
                "value": (
                    ""
                    if not p or p.value is None or (percent and p.predicted_pupils is not None)
                    else f"{p.value:g}"
                ),
            }
        grid.append(
            {
                "slot": slot,
                "prefix": prefix,
                "percent": percent,
                "group_label": PupilGroup(slot.group).label,
                "values": values,
            }
        )
    return grid


def _posted_rows(collection, post):
    for slot in services.collection_slots(collection):
        prefix = f"{slot.measure.code}__{slot.group}"
        yield (
            None,
            {
                "measure_code": slot.measure.code,
                "pupil_group": slot.group,
                "cohort": post.get(f"{prefix}__cohort", ""),
                "predicted_pupils": post.get(f"{prefix}__pupils", ""),
                "predicted_value": post.get(f"{prefix}__value", ""),
            },
        )


def _asked(request, pk: int, urn: int):
    """The collection, the school it asks (else 404) and the school's submission so far."""
    collection = _collection(request, pk)
    school = school_or_404(request, urn)
    if not collection.schools.filter(pk=school.pk).exists():
        raise Http404("This school is not asked for this collection.")
    return collection, school, selectors.submission_for(collection=collection, school=school)


@upload_purpose("predictions")
@permission_required("outcomes.submit_predictions", fn=_school_for_submission)
def submission_edit(request, pk: int, urn: int):
    collection, school, submission = _asked(request, pk, urn)
    upload_form = PredictionsUploadForm()
    errors: list = []
    posted = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("save", "submit"):
        posted = request.POST
        try:
            services.predictions_save(
                collection=collection,
                school=school,
                rows=list(_posted_rows(collection, request.POST)),
                user=request.user,
                submit=action == "submit",
            )
        except ImportRejected as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        else:
            messages.success(
                request,
                "Predictions submitted to the LA." if action == "submit" else "Draft saved.",
            )
            return redirect("outcomes:submission_edit", collection.pk, school.urn)
    elif action == "submit_draft":
        try:
            services.submission_submit(collection=collection, school=school, user=request.user)
        except ImportRejected as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        else:
            messages.success(request, "Predictions submitted to the LA.")
            return redirect("outcomes:submission_edit", collection.pk, school.urn)
    elif action == "upload":
        upload_form = PredictionsUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            # Read and saved by a background job (never in the request): its page shows
            # progress, the outcome or the row errors, and links back here.
            try:
                job = services.predictions_upload_start(
                    collection=collection,
                    school=school,
                    uploaded_file=upload_form.cleaned_data["file"],
                    user=request.user,
                    return_url=request.path,
                )
            except ValidationError as exc:
                errors = [str(m) for m in exc.messages]
            else:
                return redirect("import_detail", job.pk)
    return render(
        request,
        "outcomes/predictions/submission_form.html",
        {
            "collection": collection,
            "school": school,
            "submission": submission,
            "open": services.is_open(collection),
            "grid": _grid(collection, submission, posted),
            "errors": errors,
            "upload_form": upload_form,
            "now": timezone.now(),
        },
        status=400 if errors or upload_form.errors else 200,
    )


@permission_required("outcomes.submit_predictions", fn=_school_for_submission)
def submission_template(request, pk: int, urn: int):
    collection, school, submission = _asked(request, pk, urn)
    rows = services.template_rows(collection, submission)
    stem = f"predictions-{collection.pk}-{school.urn}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes({"Predictions": (services.TEMPLATE_COLUMNS, rows)}),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    response = HttpResponse(
        services.template_csv_bytes(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


@permission_required("outcomes.view_school_predictions", fn=school_or_404)
def school_predictions(request, urn: int):
    school = school_or_404(request, urn)
    # The collections the school has submitted to, as the page's list offers them.
    form = CollectionChoiceForm(
        request.GET or None, collections=selectors.school_collections(school=school)
    )
    collection = form.chosen(default=lambda: None)  # none asked for: the latest
    refused = form.applied() is None  # the page says which, and shows no predictions
    return render(
        request,
        "outcomes/predictions/school_predictions.html",
        {
            "school": school,
            "form": form,
            "data": None
            if refused
            else selectors.school_predictions(
                school=school, user=request.user, collection=collection
            ),
            "signal": None
            if refused
            else selectors.prediction_signal(school=school, user=request.user),
        },
    )


def _default_collection(collections):
    """The first collection with a submitted return, else the first."""
    closed_or_open = [c for c in collections if c.submissions.filter(status="submitted").exists()]
    return (closed_or_open or collections or [None])[0]


def _collection_page(request, template: str, selector):
    """A page about one collection, chosen from those the user sees (?collection=). One that
    is not among them is named, and the page shows none (not the default in its place)."""
    collections = list(selectors.collection_list(user=request.user))
    form = CollectionChoiceForm(request.GET or None, collections=collections)
    chosen = form.chosen(default=lambda: _default_collection(collections))
    data = selector(collection=chosen, user=request.user) if chosen else None
    return render(
        request,
        template,
        {"collections": collections, "chosen": chosen, "data": data, "form": form},
    )


@permission_required("outcomes.view_predictions_overview")
def overview(request):
    return _collection_page(
        request, "outcomes/predictions/overview.html", selectors.prediction_overview
    )


@permission_required("outcomes.view_predictions_overview")
def accuracy(request):
    return _collection_page(
        request, "outcomes/predictions/accuracy.html", selectors.prediction_accuracy
    )
