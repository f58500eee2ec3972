"""The register page's summary, filter lists and list, cached per register version and viewer
scope (issue 20): a change to the register shows at once; scopes never share an entry."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_file
from schools import selectors
from schools.models import OfstedInspection, School
from schools.register_cache import register_version
from tests.factories import OfstedInspectionFactory, SchoolFactory, TrustFactory

from .conftest import FULL, OFSTED

pytestmark = pytest.mark.django_db

REPORT_CARD_CELL = 'No overall grade <span class="hint">(18 Nov 2025)</span>'


def register_page(client, **params) -> str:
    """The page's HTML without its CSRF token (masked afresh on every response)."""
    response = client.get(reverse("schools:school_list"), params)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_the_register_page_shows_an_ofsted_import_at_once(client_as):
    import_file(kind="gias", path=str(FULL))
    client = client_as("board_member")
    before = register_page(client)
    assert register_page(client) == before  # the second from the cache
    assert REPORT_CARD_CELL not in before

    import_file(kind="ofsted", path=str(OFSTED))  # as the command line does: no job
    after = register_page(client)

    # Harbour Infant School's report card (18 Nov 2025) is its latest inspection now.
    assert REPORT_CARD_CELL in after
    # ... and the summary counts it (and 116002's ungraded inspection) among those without.
    assert "2 schools last inspected without an overall grade" not in before
    assert "2 schools last inspected without an overall grade" in after


def test_the_register_page_shows_a_school_and_a_trust_edited_one_at_a_time(client_as, school):
    trust = TrustFactory(name="Harbour Lights Learning Trust")
    school.trust = trust
    school.save()
    client = client_as("board_member")
    assert "Harbour Lights Learning Trust" in register_page(client)

    trust.name = "Solent Shores Learning Trust"
    trust.save()
    OfstedInspectionFactory(
        school=school, inspection_date=dt.date(2023, 6, 1), overall_effectiveness=1
    )
    after = register_page(client)

    assert "Harbour Lights Learning Trust" not in after
    assert after.count("Solent Shores Learning Trust") == 2  # the filter list and the row
    assert "100.0% good or better" in after


def test_the_register_page_shows_a_trust_renamed_by_a_command_line_import_at_once(
    client_as, full_rows, write_csv
):
    """The rename is a queryset update() of the trust alone (its schools' rows are
    unchanged, so no updated_at moves) and no import job: only the importer's
    rows_changed tells the cache."""
    import_file(kind="gias", path=str(FULL))
    client = client_as("board_member")
    assert "Solent Tide Academy Trust" in register_page(client)
    header, rows = full_rows
    for row in rows:
        if row["Trusts (code)"] == "16001":
            row["Trusts (name)"] = "Solent Shores Academy Trust"

    summary = import_file(kind="gias", path=write_csv(header, rows))

    assert summary["updated"] == 0 and not ImportJob.objects.exists()
    after = register_page(client)
    assert "Solent Tide Academy Trust" not in after
    assert "Solent Shores Academy Trust" in after


def test_bulk_writes_and_finished_register_imports_change_the_register_version(school):
    # Writes that send no signal, whoever makes them: each still changes the version.
    versions = [register_version()]
    School.objects.bulk_create([SchoolFactory.build(urn=199001, la=school.la)])
    versions.append(register_version())
    OfstedInspection.objects.bulk_create(
        [OfstedInspection(school=school, inspection_date=dt.date(2024, 1, 9))]
    )
    versions.append(register_version())
    ImportJob.objects.create(
        kind="ofsted", original_name="inspections.csv", file="x.csv", finished_at=timezone.now()
    )
    versions.append(register_version())

    assert len({v[:3] for v in versions}) == 4  # the database part alone tells them apart


def test_viewers_with_different_scopes_never_share_a_cached_read(board_member, school):
    OfstedInspectionFactory(school=school, overall_effectiveness=2)
    outsider = AnonymousUser()  # no schools.view_school_list: sees no school
    version = register_version()
    filters = {"status": selectors.STATUS_OPEN}

    def summary(user):
        return selectors.register_summary(user=user, version=version, filters=filters)

    def choices(user):
        return selectors.register_filter_choices(user=user, version=version)

    # The outsider asks first, then the board member, then the outsider again.
    assert (summary(outsider).schools, choices(outsider)) == (0, {"la": [], "trust": []})
    assert (summary(board_member).schools, summary(board_member).good_or_better) == (1, 1)
    assert choices(board_member)["la"] == [(851, "Portsmouth (851)")]
    assert (summary(outsider).schools, choices(outsider)) == (0, {"la": [], "trust": []})
    # The rendered list is keyed the same way.
    query = [("phase", ["primary"])]
    assert selectors.register_page_key(
        user=outsider, version=version, query=query
    ) != selectors.register_page_key(user=board_member, version=version, query=query)


def test_a_warm_register_page_reads_no_school(client_as):
    for n in range(5):
        school = SchoolFactory(name=f"School {n}", trust=TrustFactory())
        OfstedInspectionFactory(school=school, overall_effectiveness=1 + n % 4)
    client = client_as("board_member")
    cold = register_page(client)

    with CaptureQueriesContext(connection) as ctx:
        warm = register_page(client)

    assert warm == cold
    register_reads = [q["sql"] for q in ctx.captured_queries if "schools_" in q["sql"]]
    # Only the register version (one query); 12 queries in all before the cache, 5 of them
    # reading the register (two lists, two counts, the Ofsted summary) and a sixth the page.
    assert len(register_reads) == 1 and "MAX(updated_at)" in register_reads[0]
    assert len(ctx.captured_queries) <= 7
