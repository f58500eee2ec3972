"""Saving, uploading, submitting and chasing: all-or-nothing, deadline enforced, one chase a day."""

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from outcomes.models import Prediction, PredictionSubmission
from outcomes.predictions import services
from pep_portal.imports.framework import ImportRejected
from pep_portal.platform.models import SentNotification

from .conftest import row

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_a_file_with_one_bad_row_names_row_column_and_why_and_writes_nothing(
    collection, school, head
):
    with pytest.raises(ImportRejected) as caught:
        services.predictions_upload(
            collection=collection,
            school=school,
            path=str(DATA / "predictions_one_bad_row.csv"),
            name="predictions.csv",
            user=head,
        )
    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "predicted_pupils")
    assert "14 predicted pupils is more than the cohort of 12" in error.message
    assert not PredictionSubmission.objects.exists()
    assert not Prediction.objects.exists()


def test_a_bad_file_leaves_the_previous_draft_untouched(collection, school, head):
    services.predictions_save(
        collection=collection, school=school, rows=[row("ks2_rwm_exp", "all", 30, 10)], user=head
    )
    with pytest.raises(ImportRejected):
        services.predictions_upload(
            collection=collection,
            school=school,
            path=str(DATA / "predictions_one_bad_row.csv"),
            name="p.csv",
            user=head,
        )
    (kept,) = Prediction.objects.all()
    assert (kept.cohort, kept.predicted_pupils) == (30, 10)


def test_the_fixed_file_is_saved_as_a_draft_with_percentages_worked_out(collection, school, head):
    submission = services.predictions_upload(
        collection=collection,
        school=school,
        path=str(DATA / "predictions_fixed.csv"),
        name="p.csv",
        user=head,
    )
    assert submission.status == PredictionSubmission.Status.DRAFT
    values = {
        (p.measure.code, p.pupil_group): p.value
        for p in submission.predictions.select_related("measure")
    }
    assert values[("ks2_rwm_exp", "all")] == pytest.approx(60.0)
    assert values[("ks2_read_prog", "disadvantaged")] == pytest.approx(-0.8)


def test_an_xlsx_template_round_trips(collection, school, head, tmp_path):
    from pep_portal.platform.spreadsheets import xlsx_bytes

    rows = services.template_rows(collection, None)
    rows[0][4], rows[0][5] = 30, 12  # RWM all pupils: 12 of 30
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx_bytes({"Predictions": (services.TEMPLATE_COLUMNS, rows)}))
    services.predictions_upload(
        collection=collection, school=school, path=str(path), name="p.xlsx", user=head
    )
    assert Prediction.objects.get().value == pytest.approx(40.0)


def test_unknown_measure_and_duplicate_rows_are_named(collection, school, head):
    with pytest.raises(ImportRejected) as caught:
        services.predictions_save(
            collection=collection,
            school=school,
            user=head,
            rows=[
                (2, {"measure_code": "ks4_att8", "pupil_group": "all"}),
                (
                    3,
                    {
                        "measure_code": "ks2_rwm_exp",
                        "pupil_group": "all",
                        "cohort": "30",
                        "predicted_pupils": "10",
                    },
                ),
                (
                    4,
                    {
                        "measure_code": "ks2_rwm_exp",
                        "pupil_group": "all",
                        "cohort": "30",
                        "predicted_pupils": "11",
                    },
                ),
            ],
        )
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {(2, "measure_code"), (4, "measure_code")}


def test_nothing_can_be_saved_or_submitted_after_the_deadline(collection, school, head):
    services.predictions_save(
        collection=collection, school=school, rows=[row("ks2_rwm_exp", "all", 30, 10)], user=head
    )
    later = collection.deadline + dt.timedelta(seconds=1)
    with pytest.raises(services.DeadlinePassed):
        services.submission_submit(collection=collection, school=school, user=head, now=later)
    with pytest.raises(services.DeadlinePassed):
        services.predictions_save(
            collection=collection,
            school=school,
            rows=[row("ks2_rwm_exp", "all", 30, 11)],
            user=head,
            now=later,
        )
    submission = PredictionSubmission.objects.get()
    assert submission.status == PredictionSubmission.Status.DRAFT
    assert Prediction.objects.get().predicted_pupils == 10
    # At the deadline itself it is still open.
    services.submission_submit(
        collection=collection, school=school, user=head, now=collection.deadline
    )
    assert PredictionSubmission.objects.get().status == PredictionSubmission.Status.SUBMITTED


def test_an_empty_return_cannot_be_submitted(collection, school, head):
    with pytest.raises(ImportRejected):
        services.predictions_save(
            collection=collection, school=school, rows=[], user=head, submit=True
        )
    assert not PredictionSubmission.objects.exists()


def test_chase_emails_the_school_at_most_once_a_day(
    collection, school, head, school_colleague, officer
):
    now = timezone.now()
    assert services.collection_chase(collection=collection, school=school, user=officer, now=now)
    assert not services.collection_chase(
        collection=collection, school=school, user=officer, now=now
    )
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {head.email, school_colleague.email}
    assert school.name in mail.outbox[0].subject
    assert SentNotification.objects.count() == 1
    # The next day a second chase goes.
    assert services.collection_chase(
        collection=collection, school=school, user=officer, now=now + dt.timedelta(days=1)
    )
    assert len(mail.outbox) == 2


def test_a_school_that_has_submitted_is_not_chased(submitted, collection, school, officer):
    assert not services.collection_chase(collection=collection, school=school, user=officer)
    assert mail.outbox == []


def test_chase_log_is_unique_per_school_collection_and_day(collection, school, officer):
    from django.db import IntegrityError, transaction

    key = services.chase_key(collection, school, dt.date(2017, 3, 1)).fields()
    SentNotification.objects.create(**key)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotification.objects.create(**key)


def test_collection_measures_must_belong_to_its_key_stage(measures, school, officer):
    from django.core.exceptions import ValidationError

    from outcomes.models import Measure

    with pytest.raises(ValidationError):
        services.collection_create(
            title="KS2",
            key_stage="ks2",
            academic_year=2017,
            term="spring",
            measures=[Measure.objects.get(code="ks4_att8")],
            groups=["all"],
            schools=[school],
            deadline=timezone.now(),
            user=officer,
        )


def test_an_infant_school_is_not_asked_for_key_stage_2_predictions(measures, school, officer):
    from django.core.exceptions import ValidationError

    from outcomes.models import DataCollection, Measure
    from tests.factories import SchoolFactory

    infant = SchoolFactory(
        name="Copnor Meadow Infant School", statutory_low_age=4, statutory_high_age=7
    )
    with pytest.raises(ValidationError, match="Copnor Meadow Infant School"):
        services.collection_create(
            title="KS2",
            key_stage="ks2",
            academic_year=2017,
            term="spring",
            measures=[Measure.objects.get(code="ks2_rwm_exp")],
            groups=["all"],
            schools=[school, infant],
            deadline=timezone.now(),
            user=officer,
        )
    assert not DataCollection.objects.filter(title="KS2").exists()  # nothing half-written


def test_a_chase_that_fails_to_send_is_not_logged_so_the_school_can_be_chased_again(
    collection, school, head, officer, monkeypatch
):
    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(services, "send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        services.collection_chase(collection=collection, school=school, user=officer)
    assert not SentNotification.objects.exists()
    monkeypatch.undo()
    assert services.collection_chase(collection=collection, school=school, user=officer)
    assert len(mail.outbox) == 1
