"""Dashboard pages served from the published snapshot (partnership/dashboards/page_cache.py):
rendered once per run and viewer scope, the per-user shell around them, 304 on a match."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Result, ResultStatus
from outcomes.services import ResultData, results_write_batch
from pep_portal.accounts.models import Role
from pep_portal.imports.services import import_file
from schools.models import StatisticalNeighbour
from tests.factories import UserFactory

from . import data

pytestmark = pytest.mark.django_db

# A cached page runs only the shell's and the cache key's queries: session, user, the
# user's model permissions (2, asked by the main navigation), the published run's stamp,
# the latest import's finish time, the viewer's confidentiality scope (operational group
# membership, 3). None of the page's own reads. A school's or a trust's page reads that
# school or trust once more: the permission asks about it.
CACHED_QUERIES = 9
CACHED_TABLES = {
    "django_session",
    "pep_portal_user",
    "auth_permission",
    "pep_portal_currentsnapshot",
    "partnership_board",
    "partnership_membership",
    "pep_portal_importjob",
    "schools_school",
    "schools_trust",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def signed_in_as(response) -> str:
    html = response.content.decode()
    return re.search(r"Signed in as </span>(.*?) <span", html).group(1)


def queries(client, url, **headers) -> tuple:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx.captured_queries)


def tables(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in ctx.captured_queries}


def page_urls(snapshot) -> list[str]:
    school = snapshot["schools"][0]
    urls = [
        reverse("partnership:overview"),
        reverse("partnership:headlines"),
        reverse("partnership:key_stage", args=["ks2"]),
        reverse("partnership:schools_grid") + "?sort=-ks2_mat_exp",
        reverse("partnership:school_page", args=[school.urn]),
    ]
    if school.trust_id:
        urls.append(reverse("partnership:trust_page", args=[school.trust_id]))
    return urls


def test_second_board_member_gets_each_page_from_the_cache(snapshot, board_member):
    first = signed_in(board_member)
    other = UserFactory(
        email="board2@example.org", role=Role.BOARD_MEMBER, first_name="Second", last_name="Reader"
    )
    second = signed_in(other)
    for url in page_urls(snapshot):
        built, built_queries = queries(first, url)
        served, served_queries = queries(second, url)
        assert built.status_code == served.status_code == 200, url
        allowed = CACHED_QUERIES + bool(re.search(r"/(schools|trusts)/\d+/", url))
        assert served_queries <= allowed < built_queries, url
        assert tables(second, url) <= CACHED_TABLES, url
        assert main(served.content.decode()) == main(built.content.decode()), url
        # The shell is the viewer's own: their name, not the first board member's.
        assert signed_in_as(served) == "Second Reader"
        assert signed_in_as(built) == board_member.get_full_name()
        assert board_member.get_full_name() != "Second Reader"


def test_a_head_never_gets_a_board_members_cached_page(snapshot, board_member, head, school):
    for url in [
        reverse("partnership:overview"),
        reverse("partnership:school_page", args=[school.urn]),
    ]:
        board_html = signed_in(board_member).get(url).content.decode()
        head_response, head_queries = queries(signed_in(head), url)
        assert head_response.status_code == 200
        head_html = head_response.content.decode()
        assert head_queries > CACHED_QUERIES, url  # rendered for the head's own scope
        assert 'aria-label="Dashboards"' in board_html  # the city dashboards' navigation
        assert 'aria-label="Dashboards"' not in head_html
        assert main(head_html) != main(board_html)


def test_a_new_published_run_is_a_new_page(
    snapshot, board_member, django_capture_on_commit_callbacks
):
    client = signed_in(board_member)
    url = reverse("partnership:overview")
    before = client.get(url)
    assert f"nightly run {snapshot['run'].pk}," in before.content.decode()
    run = data.run_nightly(django_capture_on_commit_callbacks)
    after, after_queries = queries(client, url)
    assert after_queries > CACHED_QUERIES
    assert f"nightly run {run.pk}," in after.content.decode()
    assert f"nightly run {snapshot['run'].pk}," not in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_conditional_get_answers_304(snapshot, board_member, head):
    client = signed_in(board_member)
    url = reverse("partnership:headlines")
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    etag, modified = first["ETag"], first["Last-Modified"]
    again, n = queries(client, url, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""
    assert n <= CACHED_QUERIES
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"stale"'}).status_code == 200
    # Another user's copy of the page never matches: their name is on it.
    other = signed_in(UserFactory(email="board3@example.org", role=Role.BOARD_MEMBER))
    assert other.get(url, headers={"if-none-match": etag}).status_code == 200


def test_the_cache_can_be_turned_off(snapshot, board_member, settings):
    settings.DASHBOARD_PAGE_CACHE_SECONDS = 0
    client = signed_in(board_member)
    url = reverse("partnership:overview")
    client.get(url)
    response, n = queries(client, url)
    assert response.status_code == 200 and n > CACHED_QUERIES
    assert "ETag" not in response
    # Nor is the cache key's published-run stamp read: there is no key to make.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert not any("switched_at" in q["sql"] for q in ctx.captured_queries)


def test_a_live_row_saved_is_a_new_page(snapshot, board_member, school):
    """A school renamed (or a 3Ms decision recorded) between runs shows at once."""
    client = signed_in(board_member)
    url = reverse("partnership:school_page", args=[school.urn])
    assert school.name in client.get(url).content.decode()
    school.name = "Renamed Primary School"
    school.save()
    response, n = queries(client, url)
    assert "Renamed Primary School" in response.content.decode()
    assert n > CACHED_QUERIES + 1


# Writes that send no model signal and start no import job (the command line's imports, the
# results service): each is seen at once all the same (versioned_cache.rows_changed, issue 20).

SCHOOLS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "schools"


def test_a_school_renamed_by_a_command_line_register_import_is_a_new_page(
    snapshot, board_member, school, tmp_path
):
    client = signed_in(board_member)
    url = reverse("partnership:school_page", args=[school.urn])
    assert "Harbour Primary School" in client.get(url).content.decode()
    gias = tmp_path / "gias.csv"
    gias.write_text(
        "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),"
        "EstablishmentStatus (name),PhaseOfEducation (name)\n"
        f"{school.urn},851,Portsmouth,Harbourside Primary Academy,Academy converter,Open,Primary\n"
    )

    assert import_file(kind="gias", path=str(gias))["updated"] == 1  # bulk_update, no job

    response, n = queries(client, url)
    assert "Harbourside Primary Academy" in response.content.decode()
    assert n > CACHED_QUERIES + 1


def test_results_corrected_through_the_results_service_are_a_new_page(snapshot, board_member):
    """Portsmouth's 2016 figures made final (in bulk, as every results importer writes
    them): the overview stops calling 2016 provisional before the next nightly run."""
    client = signed_in(board_member)
    url = reverse("partnership:overview")
    assert "<strong>Provisional:</strong>" in client.get(url).content.decode()
    rows = [
        ResultData(
            measure_id=r.measure_id,
            area_type=r.area_type,
            academic_year=r.academic_year,
            pupil_group=r.pupil_group,
            la_id=r.la_id,
            value=r.value,
            status=ResultStatus.FINAL,
        )
        for r in Result.objects.filter(la=snapshot["la"], academic_year=2016)
    ]

    assert results_write_batch(rows=rows, source="corrections")["updated"] == len(rows) > 0

    response, n = queries(client, url)
    assert "<strong>Provisional:</strong>" not in response.content.decode()
    assert n > CACHED_QUERIES


def test_neighbours_imported_from_the_command_line_are_a_new_page(snapshot, board_member):
    """Portsmouth had none when the page was cached: the import only inserts (no delete,
    so no signal at all)."""
    StatisticalNeighbour.objects.filter(la=snapshot["la"]).delete()
    client = signed_in(board_member)
    url = reverse("partnership:key_stage", args=["ks2"])
    assert "Statistical neighbours:" not in client.get(url).content.decode()

    import_file(kind="statistical_neighbours", path=str(SCHOOLS_DIR / "lait_sn_april_2021.csv"))

    assert "Statistical neighbours: Southampton, " in client.get(url).content.decode()


def test_a_measure_renamed_is_a_new_page(snapshot, board_member):
    client = signed_in(board_member)
    url = reverse("partnership:key_stage", args=["ks2"])
    assert "KS2: % expected standard in maths" in client.get(url).content.decode()
    maths = snapshot["maths"]
    maths.name = "KS2: % meeting the expected standard in maths"
    maths.save()

    assert "KS2: % meeting the expected standard in maths" in client.get(url).content.decode()
