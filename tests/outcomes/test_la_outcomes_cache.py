"""The LA outcomes page cached per published snapshot and results version (issue 20): a
new run or new results show at once; a warm page reads no result."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.models import AreaType, Measure, Result
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

URL = "/outcomes/"


@pytest.fixture
def portsmouth_result(db, publish):
    portsmouth = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    result = Result.objects.create(
        measure=Measure.objects.get(code="ks2_rwm_exp"),
        area_type=AreaType.LA,
        la=portsmouth,
        academic_year=2016,
        value=47.6,
    )
    Result.objects.create(
        measure=result.measure, area_type=AreaType.NATIONAL, academic_year=2016, value=53.4
    )
    publish()
    return result


def outcomes_page(client, **params) -> str:
    """The page's HTML without its CSRF token (masked afresh on every response)."""
    response = client.get(URL, params)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_results_written_in_bulk_show_at_once(client_as, portsmouth_result):
    client = client_as("board_member")
    before = outcomes_page(client)
    assert outcomes_page(client) == before  # the second from the cache
    southampton = LocalAuthorityFactory(code=852, name="Southampton")

    # As an importer writes them: in bulk, no signal, no nightly run yet.
    Result.objects.bulk_create(
        [
            Result(
                measure=portsmouth_result.measure,
                area_type=AreaType.LA,
                la=southampton,
                academic_year=2016,
                value=51.0,
            )
        ]
    )
    after = outcomes_page(client)

    assert "Southampton (852)" not in before
    assert '<option value="852">Southampton (852)</option>' in after


def test_a_newly_published_run_shows_at_once(client_as, portsmouth_result, publish):
    client = client_as("board_member")
    assert "47.6" in outcomes_page(client)

    # A correction no stamp sees (an UPDATE), then the nightly run that publishes it.
    Result.objects.filter(pk=portsmouth_result.pk).update(value=49.2)
    publish()

    after = outcomes_page(client)
    assert "49.2" in after and "47.6" not in after


def test_a_warm_outcomes_page_reads_no_result(client_as, portsmouth_result):
    client = client_as("board_member")
    cold = outcomes_page(client)

    with CaptureQueriesContext(connection) as ctx:
        warm = outcomes_page(client)

    assert warm == cold
    reads = [q["sql"] for q in ctx.captured_queries if "outcomes_" in q["sql"]]
    # Only the version (one query: run, results and register stamps); 14 queries in all
    # before the cache, 8 of them the page's own reads.
    assert len(reads) == 1 and "MAX(id) FROM outcomes_result" in reads[0].replace('"', "")
    assert len(ctx.captured_queries) <= 7
