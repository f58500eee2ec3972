"""No N+1: every dashboard page runs a fixed number of SQL queries whatever the number of
schools (5 against 50, each computed by the nightly run)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import data

pytestmark = pytest.mark.django_db

# The most any page may run when it is not yet cached (session, user, nav permissions,
# snapshot, page reads, and the cache key's three: the published run's stamp, the latest
# import's finish time and the viewer's confidentiality scope). A cached page runs far
# fewer: tests/dashboards/test_page_cache.py.
LIMIT = 23


def pages(built) -> dict[str, str]:
    school = next(s for s in reversed(built["schools"]) if s.trust_id)
    return {
        "overview": reverse("partnership:overview"),
        "headlines": reverse("partnership:headlines"),
        "key stage": reverse("partnership:key_stage", args=["ks2"]),
        "grid": reverse("partnership:schools_grid") + "?sort=-ks2_mat_exp",
        "grid export": reverse("partnership:schools_grid_export", args=["csv"]),
        "school page": reverse("partnership:school_page", args=[school.urn]),
        "trust page": reverse("partnership:trust_page", args=[school.trust_id]),
    }


def count(client, url: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(LIMIT), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_run_the_same_queries_for_5_and_50_schools(
    client_as, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    built = data.build(decisions=True)
    built["schools"] = data.more_schools(built, 5)
    data.run_nightly(django_capture_on_commit_callbacks)
    client = client_as("board_member")
    small = {
        name: count(client, url, django_assert_max_num_queries)
        for name, url in pages(built).items()
    }

    built["schools"] = data.more_schools(built, 45, start=600)
    data.run_nightly(django_capture_on_commit_callbacks)
    grid = client.get(reverse("partnership:schools_grid")).content.decode()
    assert grid.count("<tr data-urn=") == 2 + 5 + 45  # Weak, Strong and the added schools
    large = {
        name: count(client, url, django_assert_max_num_queries)
        for name, url in pages(built).items()
    }
    assert large == small


def test_grid_years_read_school_results_by_their_index_alone():
    """The year selector offers the years of the partnership's schools' headline results.
    Its query on the results table joins no table and names the measures by id, so
    PostgreSQL answers it from the unique index of school results (measure, school, year,
    group), one probe per school, without reading the table: joined to the measures, it
    read ~20,000 scattered pages at England scale (0.1-1.2 s, and more under load)."""
    from outcomes.models import AreaType, Measure, Result
    from partnership.dashboards.selectors import grid_years
    from tests.factories import LocalAuthorityFactory, SchoolFactory

    built = data.build()
    elsewhere = SchoolFactory(la=LocalAuthorityFactory(code=999, name="Not a partner"))
    inactive = Measure.objects.filter(is_active=False).first()
    Result.objects.bulk_create(
        [  # neither is offered: another LA's school, a measure that is not a headline
            Result(
                measure=built["maths"],
                area_type=AreaType.SCHOOL,
                school=elsewhere,
                academic_year=2010,
                value=50.0,
            ),
            Result(
                measure=inactive,
                area_type=AreaType.SCHOOL,
                school=built["weak"],
                academic_year=2011,
                value=50.0,
            ),
        ]
    )

    with CaptureQueriesContext(connection) as ctx:
        years = grid_years()

    assert years == [2016, 2015, 2014]
    on_results = [q["sql"] for q in ctx.captured_queries if "outcomes_result" in q["sql"]]
    assert len(on_results) == 1
    assert 'FROM "outcomes_result" WHERE' in on_results[0]
    assert "outcomes_measure" not in on_results[0]


def test_school_page_reads_the_run_and_similar_schools_in_few_queries(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The published run is one query (its pointer read as a subquery), and the similar
    schools two: the pool with each school's prior attainment (the school's own read by a
    union, each part by its own index; the measure named by its code in a subquery) and the
    headline figures."""
    from partnership.dashboards import selectors
    from pep_portal.nightly.selectors import current_run

    built = data.build(decisions=True)
    data.more_schools(built, 5)
    data.run_nightly(django_capture_on_commit_callbacks)
    school = built["weak"]
    with django_assert_max_num_queries(1):
        assert current_run() is not None
    with django_assert_max_num_queries(3):
        info = selectors.snapshot_info()
    with django_assert_max_num_queries(2):
        block = selectors.similar_schools(info=info, school=school)
    assert block.rows[0].school == school
    assert block.pool_size >= 5


def test_school_page_reads_its_figures_once_for_the_page_and_its_similar_schools(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The school page's own reads: the school's summary with the published run (its
    pointer as a subquery) and the latest 3Ms decision, the similar schools' pool with
    their prior attainment, and the school's figures with the nearest schools' headline
    figures and which of the school's years are provisional for the partnership's LA (the
    page does not name it) in one query: three, where it took nine."""
    from outcomes.models import AreaType, Result, ResultStatus
    from partnership.dashboards import selectors

    built = data.build(decisions=True)
    data.more_schools(built, 5)
    data.run_nightly(django_capture_on_commit_callbacks)
    school = built["weak"]
    info = selectors.snapshot_info()
    with django_assert_num_queries(3):
        page = selectors.school_page(school=school)
    assert page.info.run == info.run
    assert page.info.la is None
    assert page.year in page.info.provisional_years
    assert page.info.provisional_years == [y for y in info.provisional_years if y == page.year]
    Result.objects.filter(area_type=AreaType.LA, academic_year=page.year).update(
        status=ResultStatus.FINAL
    )
    assert page.year not in selectors.school_page(school=school).info.provisional_years
    assert page.decision is not None
    assert page.decision.category == school.categorisations.order_by("-decided_on").first().category
    assert page.similar.rows[0].school == school
    assert page.similar.pool_size >= 5
    assert page.similar.measures  # the headline columns, from the school's own figures
    assert page.sections


def test_uncached_school_page_runs_few_queries(
    client_as, settings, django_capture_on_commit_callbacks
):
    """Uncached (the first board member after a run): the shell's queries (session, user,
    the main navigation's 4), the school for the permission and the page's three reads."""
    settings.DASHBOARD_PAGE_CACHE_SECONDS = 0
    built = data.build(decisions=True)
    data.more_schools(built, 5)
    data.run_nightly(django_capture_on_commit_callbacks)
    client = client_as("board_member")
    url = reverse("partnership:school_page", args=[built["weak"].urn])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 10


def test_grid_offers_the_years_the_nightly_run_wrote(client_as, django_capture_on_commit_callbacks):
    """The year selector's years (the partnership's schools' result years, by measure) are
    written by the nightly run and read with it, one small row: the grid no longer reads
    school results for them (~11,000 index entries at England scale, the page's largest
    query). A run published before runs wrote them: read from the results as before."""
    from outcomes.models import DashboardFigure
    from partnership.dashboards import selectors

    data.build()
    run = data.run_nightly(django_capture_on_commit_callbacks)
    client = client_as("board_member")
    url = reverse("partnership:schools_grid")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    offered = [int(y) for y in re.findall(r'<option value="(\d{4})"', html)]
    assert offered == selectors.grid_years() == [2016, 2015, 2014]
    school_results = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "outcomes_result"' in q["sql"] and "'school'" in q["sql"]
    ]
    assert school_results == []

    DashboardFigure.objects.filter(run=run, key="school_years").delete()
    html = client.get(url).content.decode()
    assert [int(y) for y in re.findall(r'<option value="(\d{4})"', html)] == offered


def test_grid_cells_are_made_once_for_the_same_stored_figures(
    client_as, settings, django_capture_on_commit_callbacks
):
    """A cell is a pure function of its stored figure (and its measure's places and
    polarity, the disadvantaged pupils' figure and England's other pupils): another request,
    sort order or viewer reuses it; a changed figure makes a new one."""
    import importlib

    from outcomes.models import SchoolFigure

    settings.DASHBOARD_PAGE_CACHE_SECONDS = 0  # every request builds its page
    cells = importlib.import_module("partnership.dashboards.selectors.grid")._snapshot_cell
    built = data.build()
    data.run_nightly(django_capture_on_commit_callbacks)
    client = client_as("board_member")
    url = reverse("partnership:schools_grid")

    def table(html: str) -> str:
        return re.search(r'<table[^>]*id="schools-grid".*?</table>', html, re.S).group(0)

    cells.cache_clear()
    first = table(client.get(url).content.decode())
    made = cells.cache_info().misses
    assert made > 0
    assert table(client.get(url).content.decode()) == first
    client.get(url + "?sort=-ks2_mat_exp")
    assert cells.cache_info().misses == made

    SchoolFigure.objects.filter(
        school=built["weak"], measure__code="ks2_mat_exp", group="all"
    ).update(value=41.0)
    html = client.get(url).content.decode()
    assert cells.cache_info().misses == made + 1
    row = re.search(rf'<tr data-urn="{built["weak"].urn}".*?</tr>', html, re.S).group(0)
    assert '<td class="num cell cell--red" data-col="ks2_mat_exp">41.0' in row
