"""Writes for in-year data collections: open a collection, save and submit predictions,
upload a filled-in template, chase schools that have not submitted.

Every write checks everything first and writes nothing when any row is wrong; the deadline
is enforced here, on the server, whatever the page showed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pep_portal.accounts.models import Role, User
from pep_portal.imports.framework import ImportRejected, RowError, quoted_columns, read_csv_rows
from pep_portal.imports.models import ImportJob
from pep_portal.imports.workbooks import is_blank, sheet_rows
from pep_portal.platform.audit import audit_bulk
from pep_portal.platform.notifications import NotificationKey, send_once
from pep_portal.platform.site import site_url
from pep_portal.platform.validated import save_validated
from schools.models import School

from ..calculations.phases import teaches
from ..models import DataCollection, Measure, Prediction, PredictionSubmission
from . import calculations as calc
from .models import CHASE_KIND, CHASE_TOPIC

TEMPLATE_COLUMNS = [
    "measure_code",
    "measure",
    "pupil_group",
    "group",
    "cohort",
    "predicted_pupils",
    "predicted_value",
]
REQUIRED_COLUMNS = ["measure_code", "pupil_group", "cohort", "predicted_pupils", "predicted_value"]


class DeadlinePassed(ValidationError):
    pass


@dataclass(frozen=True)
class Slot:
    """One thing a collection asks for: a measure and a pupil group."""

    measure: Measure
    group: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.measure.code, self.group)


def collection_slots(collection: DataCollection) -> list[Slot]:
    """Measures x groups asked for (a group only where the catalogue publishes it)."""
    slots = []
    for measure in collection.measures.order_by("sort_order", "code"):
        published = measure.groups or ["all"]
        for group in collection.groups:
            if group == "all" or group in published:
                slots.append(Slot(measure, group))
    return slots


@transaction.atomic
def collection_create(
    *,
    title: str,
    key_stage: str,
    academic_year: int,
    term: str,
    measures: Iterable[Measure],
    groups: list[str],
    schools: Iterable[School],
    deadline: dt.datetime,
    user: User | None,
) -> DataCollection:
    measures, schools = list(measures), list(schools)
    collection = DataCollection(
        title=title,
        key_stage=key_stage,
        academic_year=academic_year,
        term=term,
        groups=list(groups),
        deadline=deadline,
        created_by=user,
    )
    collection.full_clean()
    wrong = [m.name for m in measures if m.key_stage != key_stage]
    if wrong:
        raise ValidationError({"measures": f"Not in the chosen key stage: {', '.join(wrong)}."})
    if not measures:
        raise ValidationError({"measures": "Choose at least one measure."})
    if not schools:
        raise ValidationError({"schools": "Choose at least one school."})
    not_taught = [
        s.name
        for s in schools
        if s.statutory_low_age is not None  # an unknown age range is not refused
        and s.statutory_high_age is not None
        and not teaches(key_stage, s.statutory_low_age, s.statutory_high_age, s.phase)
    ]
    if not_taught:
        raise ValidationError(
            {
                "schools": "These schools do not teach the chosen key stage, so cannot be asked "
                f"for its predictions: {', '.join(sorted(not_taught))}."
            }
        )
    collection.save()
    collection.measures.set(measures)
    collection.schools.set(schools)
    return collection


def is_open(collection: DataCollection, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) <= collection.deadline


def _check_open(collection: DataCollection, now: dt.datetime | None) -> None:
    if not is_open(collection, now):
        local = timezone.localtime(collection.deadline)
        raise DeadlinePassed(
            f"The deadline ({local:%d %B %Y, %H:%M}) has passed: the collection is closed. "
            "Ask the LA's data officer if you need to send a late return."
        )


def validate_rows(
    collection: DataCollection, rows: Iterable[tuple[int | None, dict[str, Any]]]
) -> tuple[dict[tuple[str, str], calc.CheckedRow], list[RowError]]:
    """Check every row; returns the clean rows by (measure code, group) and the problems.

    ``rows`` yields (row number or None, {"measure_code", "pupil_group", "cohort",
    "predicted_pupils", "predicted_value"}).
    """
    slots = {s.key: s for s in collection_slots(collection)}
    clean: dict[tuple[str, str], calc.CheckedRow] = {}
    seen: dict[tuple[str, str], int | None] = {}
    errors: list[RowError] = []
    for row_no, fields in rows:
        code = str(fields.get("measure_code") or "").strip()
        group = str(fields.get("pupil_group") or "").strip()
        key = (code, group)
        slot = slots.get(key)
        if slot is None:
            if not any(k[0] == code for k in slots):
                errors.append(
                    RowError(
                        f"'{code}' is not a measure this collection asks for",
                        row_no,
                        "measure_code",
                    )
                )
            else:
                errors.append(
                    RowError(
                        f"'{group}' is not a pupil group this collection asks for",
                        row_no,
                        "pupil_group",
                    )
                )
            continue
        if key in seen:
            where = f"row {seen[key]}" if seen[key] else "another row"
            errors.append(
                RowError(f"{code} / {group} is given twice (also {where})", row_no, "measure_code")
            )
            continue
        seen[key] = row_no
        checked = calc.check_row(
            code=code,
            unit=slot.measure.unit,
            cohort=fields.get("cohort"),
            predicted_pupils=fields.get("predicted_pupils"),
            value=fields.get("predicted_value"),
        )
        for column, message in checked.problems:
            label = f"{slot.measure.short_name or slot.measure.name}, {group}"
            errors.append(RowError(f"{label}: {message}", row_no, column))
        if checked.ok:
            clean[key] = checked
    return clean, errors


class PredictionsRejected(ImportRejected):
    """Some rows were wrong: nothing was saved."""


@transaction.atomic
def predictions_save(
    *,
    collection: DataCollection,
    school: School,
    rows: Iterable[tuple[int | None, dict[str, Any]]],
    user: User | None,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> PredictionSubmission:
    """Save a school's predictions (replacing its previous draft), and submit if asked.

    All-or-nothing: any bad row raises PredictionsRejected and nothing changes. After the
    deadline nothing can be saved or submitted (DeadlinePassed).
    """
    _check_open(collection, now)
    if not collection.schools.filter(pk=school.pk).exists():
        raise ValidationError(f"{school.name} is not asked for this collection.")
    clean, errors = validate_rows(collection, rows)
    if errors:
        raise PredictionsRejected(errors)
    submission, _ = PredictionSubmission.objects.select_for_update().get_or_create(
        collection=collection, school=school, defaults={"updated_by": user}
    )
    measures = {m.code: m for m in collection.measures.all()}
    submission.predictions.all().delete()
    objs = []
    for (code, group), checked in clean.items():
        if checked.empty:
            continue
        prediction = Prediction(
            submission=submission,
            measure=measures[code],
            pupil_group=group,
            cohort=checked.cohort,
            predicted_pupils=checked.predicted_pupils,
            value=checked.value,
        )
        prediction.full_clean(exclude=["submission"])
        objs.append(prediction)
    Prediction.objects.bulk_create(objs)
    # bulk_create sends no signals: the audit log gets each new value here (the replaced ones
    # were logged as deleted by the delete above).
    audit_bulk(Prediction, created=objs, actor=user)
    submission.updated_by = user
    if submit:
        if not objs:
            raise PredictionsRejected(
                [RowError("There is nothing to submit: enter at least one prediction.")]
            )
        submission.status = PredictionSubmission.Status.SUBMITTED
        submission.submitted_at = now or timezone.now()
        submission.submitted_by = user
    return save_validated(submission)


@transaction.atomic
def submission_submit(
    *, collection: DataCollection, school: School, user: User | None, now: dt.datetime | None = None
) -> PredictionSubmission:
    """Submit the saved draft as it stands."""
    _check_open(collection, now)
    submission = (
        PredictionSubmission.objects.select_for_update()
        .filter(collection=collection, school=school)
        .first()
    )
    if submission is None or not submission.predictions.exists():
        raise PredictionsRejected(
            [RowError("There is nothing to submit: enter at least one prediction.")]
        )
    submission.status = PredictionSubmission.Status.SUBMITTED
    submission.submitted_at = now or timezone.now()
    submission.submitted_by = user
    submission.updated_by = user
    return save_validated(submission)


# --- Upload -------------------------------------------------------------------------------


def read_upload(path: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    """Read a filled-in template (CSV or XLSX) into (row number, fields). Raises
    ImportRejected for a file that is not the template."""
    if name.lower().endswith(".xlsx") or zipfile.is_zipfile(path):
        header, rows = _read_xlsx(path)
    else:
        header, raw = read_csv_rows(path)
        rows = list(raw)
    header = [str(h or "").strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRejected.single(
            "This is not the predictions template: the first row is missing the column(s) "
            f"{quoted_columns(missing)}. Download the template from this page and fill it in.",
            row=1,
        )
    out = []
    for row_no, fields in rows:
        padded = list(fields) + [None] * (len(header) - len(fields))
        out.append((row_no, dict(zip(header, padded, strict=False))))
    if not out:
        raise ImportRejected.single("The file has a header but no rows.", row=2)
    return out


def _read_xlsx(path: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    sheet = sheet_rows(
        path,
        not_a_workbook="This file cannot be read as an Excel workbook (.xlsx). Save it again "
        "as .xlsx or CSV.",
    )
    try:
        _, header = next(sheet)
    except StopIteration:
        raise ImportRejected.single("The workbook is empty.") from None
    return header, [(line, row) for line, row in sheet if not is_blank(row)]


def predictions_upload_start(
    *,
    collection: DataCollection,
    school: School,
    uploaded_file: UploadedFile,
    user: User,
    return_url: str = "",
    now: dt.datetime | None = None,
) -> ImportJob:
    """Store a filled-in template and queue the job that reads and saves it as the draft."""
    from pep_portal.imports.services import import_job_create

    _check_open(collection, now)
    if not collection.schools.filter(pk=school.pk).exists():
        raise ValidationError(f"{school.name} is not asked for this collection.")
    return import_job_create(
        kind="predictions",
        uploaded_file=uploaded_file,
        user=user,
        options={
            "collection_id": collection.pk,
            "school_id": school.pk,
            "user_id": user.pk,
            "return_url": return_url,
        },
    )


def predictions_upload(
    *,
    collection: DataCollection,
    school: School,
    path: str,
    name: str,
    user: User | None,
    now: dt.datetime | None = None,
) -> PredictionSubmission:
    """Save a filled-in template as the school's draft (all-or-nothing)."""
    _check_open(collection, now)
    rows = read_upload(path, name)
    return predictions_save(collection=collection, school=school, rows=rows, user=user, now=now)


def template_rows(
    collection: DataCollection, submission: PredictionSubmission | None
) -> list[list[Any]]:
    """The template's rows for a school, filled with its saved draft where it has one."""
    saved = {}
    if submission is not None:
        saved = {
            (p.measure.code, p.pupil_group): p
            for p in submission.predictions.select_related("measure")
        }
    from ..models import PupilGroup

    rows = []
    for slot in collection_slots(collection):
        p = saved.get(slot.key)
        percent = slot.measure.unit == calc.PERCENT
        rows.append(
            [
                slot.measure.code,
                slot.measure.name,
                slot.group,
                PupilGroup(slot.group).label,
                p.cohort if p else None,
                (p.predicted_pupils if p and percent else None),
                (None if p is None or (percent and p.predicted_pupils is not None) else p.value),
            ]
        )
    return rows


def template_csv_bytes(rows: list[list[Any]]) -> bytes:
    import csv

    from pep_portal.platform.spreadsheets import safe_row

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_COLUMNS)
    for row in rows:
        writer.writerow(safe_row(["" if v is None else v for v in row]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Chasing ------------------------------------------------------------------------------


def chase_recipients(school: School) -> list[str]:
    return list(
        User.objects.filter(
            school=school, role__in=(Role.HEADTEACHER, Role.SCHOOL_STAFF), is_active=True
        )
        .order_by("email")
        .values_list("email", flat=True)
    )


def chase_key(collection: DataCollection, school: School, day: dt.date) -> NotificationKey:
    """The key a chase goes once a day under (the data migration that moved ChaseSent's rows
    into the platform log builds the same key)."""
    return NotificationKey(
        topic=CHASE_TOPIC,
        kind=CHASE_KIND,
        subject=collection,
        recipient=school,
        occasion=day.isoformat(),
    )


def collection_chase(
    *, collection: DataCollection, school: School, user: User | None, now: dt.datetime | None = None
) -> bool:
    """Email the school's head and delegated colleagues a reminder; at most once per day per
    school per collection (a unique sent-log row is the guard). Returns whether one was sent.
    """
    now = now or timezone.now()
    if PredictionSubmission.objects.filter(
        collection=collection, school=school, status=PredictionSubmission.Status.SUBMITTED
    ).exists():
        return False
    recipients = chase_recipients(school)
    if not recipients:
        return False
    local = timezone.localtime(collection.deadline)
    overdue = now > collection.deadline
    link = reverse("outcomes:submission_edit", args=[collection.pk, school.urn])
    base = site_url()
    body = (
        f"Dear colleague,\n\n{school.name} has not yet submitted its return for "
        f"'{collection.title}'. The deadline {'was' if overdue else 'is'} "
        f"{local:%d %B %Y at %H:%M}.\n\nEnter or upload your predictions here: {base}{link}\n\n"
        "Thank you,\nThe Portsmouth Education Partnership data team\n"
    )
    subject = f"Reminder: {collection.title} for {school.name}"
    # The log row and the email together: a failed send leaves no row, so the school can be
    # chased again; a second chase the same day is refused by the log's unique key.
    return send_once(
        keys=chase_key(collection, school, timezone.localdate(now)),
        send=lambda: send_mail(subject, body, None, recipients),
        recipients=recipients,
        sent_by=user,
    )
