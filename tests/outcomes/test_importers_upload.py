"""The officer upload page: permissions, template download, queued jobs, EES mapping step."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from outcomes.models import IndicatorMapping, Result
from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_file
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

ALLOWED = {"officer", "portal_admin"}


def upload(fixture_path, name, content_name=None):
    data = Path(fixture_path(name)).read_bytes()
    return SimpleUploadedFile(content_name or name, data, content_type="text/csv")


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_and_admins_may_open_the_upload_page(client_as, role):
    response = client_as(role).get(reverse("outcomes:import_results"))
    if role == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    elif role in ALLOWED:
        assert response.status_code == 200
        assert b"Import results" in response.content
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_and_admins_may_upload(client_as, role, fixture_path):
    response = client_as(role).post(
        reverse("outcomes:import_results"),
        {"file": upload(fixture_path, "lait_2016.csv"), "status": "provisional"},
    )
    if role in ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_and_admins_may_download_the_template(client_as, role):
    response = client_as(role).get(reverse("outcomes:results_template") + "?format=csv")
    expected = 200 if role in ALLOWED else (302 if role == "anonymous" else 403)
    assert response.status_code == expected


def test_downloaded_csv_template_imports_as_it_is(client_as, register, tmp_path):
    response = client_as("officer").get(reverse("outcomes:results_template") + "?format=csv")
    content = b"".join(response.streaming_content)
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:6] == [
        "measure_code",
        "area_type",
        "area_code",
        "academic_year",
        "pupil_group",
        "value",
    ]
    path = tmp_path / "template.csv"
    path.write_bytes(content)

    import_file(kind="results", path=str(path))

    prog = Result.objects.get(measure__code="ks2_read_prog", school__urn=116111)
    assert (prog.value, prog.ci_lower, prog.ci_upper) == (-1.6, -3.1, -0.1)


def test_downloaded_xlsx_template_lists_the_measures_and_imports(client_as, register, tmp_path):
    response = client_as("officer").get(reverse("outcomes:results_template") + "?format=xlsx")
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path, read_only=True)
    codes = [row[0] for row in workbook["Measures"].iter_rows(min_row=2, values_only=True)]
    assert "ks2_rwm_exp" in codes and "abs_persistent_pct" in codes
    workbook.close()

    import_file(kind="results", path=str(path))

    assert Result.objects.get(measure__code="ks2_rwm_exp", la__code=851).value == 47.6


def test_upload_queues_a_job_and_shows_its_outcome(
    client_as, portsmouth, fixture_path, django_capture_on_commit_callbacks
):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:import_results"),
            {"file": upload(fixture_path, "lait_2016.csv"), "status": "final"},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    result = Result.objects.get(measure__code="ks2_rwm_exp", la__code=851)
    assert result.status == "final"
    assert "lait_2016.csv" in result.source


def test_rejected_upload_shows_row_and_column_on_the_job_page(
    client_as, register, fixture_path, django_capture_on_commit_callbacks
):
    client = client_as("officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outcomes:import_results"),
            {"file": upload(fixture_path, "ks2_2016_bad.csv"), "status": "provisional"},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "PTREAD_EXP" in page and "7 8%" in page
    assert not Result.objects.exists()


def test_statistical_neighbours_upload(
    client_as, portsmouth, fixture_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("officer").post(
            reverse("outcomes:import_results"),
            {
                "file": upload(fixture_path, "statistical_neighbours.csv"),
                "layout": "statistical_neighbours",
                "status": "provisional",
            },
        )
    assert ImportJob.objects.get().kind == "statistical_neighbours"
    assert portsmouth.neighbour_links.count() == 3


def test_ees_upload_with_unmapped_indicators_asks_for_a_mapping_and_reuses_it(
    client_as, officer, portsmouth, fixture_path, django_capture_on_commit_callbacks, tmp_path
):
    client = client_as("officer")
    response = client.post(
        reverse("outcomes:import_results"),
        {"file": upload(fixture_path, "ees_ks4_disadvantaged_2016.csv"), "status": "final"},
    )
    assert response.status_code == 302
    mapping_url = response["Location"]
    assert not ImportJob.objects.exists()  # nothing queued until the officer decides

    page = client.get(mapping_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "avg_att8_custom" in html and "t_pupils" in html
    assert "Not disadvantaged" in html  # the breakdown filter's values are offered

    form = page.context["form"]
    names = {row["indicator"]: row["prefix"] for row in form.layout_rows if row["k"] == 0}
    second = {row["indicator"]: row["prefix"] for row in form.layout_rows if row["k"] == 1}
    att8 = Result._meta.get_field("measure").related_model.objects.get(code="ks4_att8")
    data = {"save": "1"}
    for indicator in ("avg_att8_custom", "t_pupils"):
        holds = "value" if indicator == "avg_att8_custom" else "cohort"
        for prefix, breakdown, group in (
            (names[indicator], "Disadvantaged", "disadvantaged"),
            (second[indicator], "Not disadvantaged", "non_disadvantaged"),
        ):
            data.update(
                {
                    f"{prefix}_measure": att8.pk,
                    f"{prefix}_group": group,
                    f"{prefix}_field": holds,
                    f"{prefix}_f0": breakdown,
                }
            )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mapping_url, data)
    assert response.status_code == 302, response.context["form"].errors
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors

    dis = Result.objects.get(measure=att8, la__code=851, pupil_group="disadvantaged")
    assert (dis.value, dis.cohort, dis.status) == (37.5, 500, "final")
    nat = Result.objects.get(measure=att8, area_type="national", pupil_group="non_disadvantaged")
    assert (nat.value, nat.cohort) == (53.5, 390000)
    saved = IndicatorMapping.objects.get(
        indicator="avg_att8_custom", filters={"breakdown": "Disadvantaged"}
    )
    assert saved.created_by == officer and not saved.is_builtin

    # Next year's file: the saved mappings apply with no set-up.
    next_year = tmp_path / "ees_2017.csv"
    next_year.write_text(
        Path(fixture_path("ees_ks4_disadvantaged_2016.csv"))
        .read_text(encoding="utf-8-sig")
        .replace("2016,", "2017,")
        .replace(",37.5", ",38.9")
    )
    import_file(kind="results", path=str(next_year))
    assert (
        Result.objects.get(
            measure=att8, la__code=851, pupil_group="disadvantaged", academic_year=2017
        ).value
        == 38.9
    )


def test_mapping_page_is_only_for_the_officer_who_uploaded(
    client_as, fixture_path, client, django_user_model
):
    response = client_as("officer").post(
        reverse("outcomes:import_results"),
        {"file": upload(fixture_path, "ees_ks4_disadvantaged_2016.csv"), "status": "final"},
    )
    mapping_url = response["Location"]
    assert client_as("portal_admin").get(mapping_url).status_code == 404
    assert client_as("board_member").get(mapping_url).status_code == 403


def test_skipping_the_mapping_imports_nothing_for_unmapped_file(
    client_as, fixture_path, django_capture_on_commit_callbacks
):
    client = client_as("officer")
    response = client.post(
        reverse("outcomes:import_results"),
        {"file": upload(fixture_path, "ees_ks4_disadvantaged_2016.csv"), "status": "final"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"skip": "1"})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "avg_att8_custom" in job.errors[0]["message"]
    assert not IndicatorMapping.objects.filter(is_builtin=False).exists()


def _download(client, fmt: str) -> bytes:
    response = client.get(reverse("outcomes:results_template") + f"?format={fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_uploaded_back_unchanged_is_accepted_on_any_register(
    client_as, portsmouth, django_capture_on_commit_callbacks, fmt
):
    """The template's examples name this register's LA and schools (here no school has the
    URN the layout's examples use), so the file as downloaded imports through the page."""
    from tests.factories import SchoolFactory

    school = SchoolFactory(urn=140001, la=portsmouth, name="Only Primary")
    client = client_as("officer")
    content = _download(client, fmt)
    kind = "text/csv" if fmt == "csv" else "application/octet-stream"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:import_results"),
            {
                "file": SimpleUploadedFile(f"pep-results-template.{fmt}", content, kind),
                "status": "provisional",
            },
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    prog = Result.objects.get(measure__code="ks2_read_prog", school=school)
    assert (prog.value, prog.ci_lower, prog.ci_upper) == (-1.6, -3.1, -0.1)
    assert Result.objects.get(measure__code="ks2_rwm_exp", la=portsmouth).value == 47.6


def test_template_round_trip_leaves_stored_results_as_they_were(client_as, register, tmp_path):
    """Where the example's area already has that result, the template carries the stored
    figures: downloading and uploading it back changes no figure."""
    from outcomes.models import Measure

    harbour = register[116111]
    Result.objects.create(
        measure=Measure.objects.get(code="ks2_read_prog"),
        area_type="school",
        school=harbour,
        academic_year=2017,
        value=2.4,
        cohort=61,
        ci_lower=0.9,
        ci_upper=3.9,
        status="final",
    )
    Result.objects.create(
        measure=Measure.objects.get(code="ks2_rwm_exp"),
        area_type="school",
        school=harbour,
        academic_year=2017,
        pupil_group="eal",
        value=None,
        suppression="small_cohort",
        status="final",
    )
    before = sorted(
        Result.objects.values_list(
            "measure__code",
            "area_type",
            "pupil_group",
            "academic_year",
            "value",
            "suppression",
            "cohort",
            "ci_lower",
            "ci_upper",
            "status",
        )
    )
    rows = list(csv.reader(io.StringIO(_download(client_as("officer"), "csv").decode("utf-8-sig"))))
    assert rows[2] == [
        "ks2_read_prog",
        "school",
        "116111",
        "2017",
        "all",
        "2.4",
        "61",
        "0.9",
        "3.9",
        "final",
    ]
    assert rows[4][5] == "SMALL_COHORT"
    path = tmp_path / "template.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")

    import_file(kind="results", path=str(path))

    after = sorted(
        Result.objects.exclude(area_type__in=["la", "national"]).values_list(
            "measure__code",
            "area_type",
            "pupil_group",
            "academic_year",
            "value",
            "suppression",
            "cohort",
            "ci_lower",
            "ci_upper",
            "status",
        )
    )
    assert after == [r for r in before if r[1] == "school"]
