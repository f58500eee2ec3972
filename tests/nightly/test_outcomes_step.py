"""The outcomes steps of the nightly run on a hand-worked dataset (eager, in-process)."""

import pytest
from django.urls import reverse

from outcomes.calculations import rag
from outcomes.models import DashboardFigure, IndicatorFigure, SchoolFigure, SchoolSummary
from pep_portal.nightly import selectors, services
from pep_portal.nightly.models import NightlyRun

from . import handworked

pytestmark = pytest.mark.django_db


def recompute(capture):
    with capture(execute=True):
        run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
    run.refresh_from_db()
    assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
    return run


def reason(figure) -> str:
    """The RAG reason's words, as pages and the API format them from the stored code."""
    return rag.figure_reason(
        words=figure.rag_reason,
        code=figure.rag_code,
        value=figure.value,
        national=figure.national,
        tolerance=figure.rag_tolerance,
        higher_is_better=figure.measure.higher_is_better,
        precision=figure.measure.decimal_places,
    )


def test_la_ranks_quartiles_and_rag_match_the_hand_worked_table(
    django_capture_on_commit_callbacks,
):
    data = handworked.build()
    run = recompute(django_capture_on_commit_callbacks)
    assert handworked.la_table(run.pk, data) == handworked.EXPECTED_LA
    amber = IndicatorFigure.objects.get(run=run, la=data["las"]["E"], measure=data["rwm"])
    assert amber.gap == pytest.approx(-1.0)
    assert reason(amber) == "1.0 below national, within the tolerance of 2.0."
    bottom = IndicatorFigure.objects.get(run=run, la=data["las"]["L30"], measure=data["rwm"])
    assert reason(bottom) == "In the bottom quartile of local authorities (band D)."
    alone = IndicatorFigure.objects.get(run=run, la=data["las"]["A"], year=2015)
    assert (alone.value, alone.gap, alone.rank, alone.rank_n, alone.quartile) == (
        58.0,
        pytest.approx(5.0),
        None,
        1,
        "",
    )


def test_schools_get_indicator_rag_overall_rag_and_3ms_with_reasons(
    django_capture_on_commit_callbacks,
):
    data = handworked.build()
    run = recompute(django_capture_on_commit_callbacks)
    weak = SchoolSummary.objects.get(run=run, school=data["weak"])
    assert weak.rag == "red"
    assert weak.rag_reason.startswith("Headline progress well below average (DfE band 5).")
    assert weak.concern == "maximum"
    assert any("not improving over three years" in r for r in weak.concern_reasons)
    assert any("Requires improvement" in r for r in weak.concern_reasons)
    rwm = SchoolFigure.objects.get(run=run, school=data["weak"], measure=data["rwm"])
    assert (rwm.year, rwm.value, rwm.la_value, rwm.national) == (2016, 40.0, 60.0, 53.0)
    assert rwm.gap == pytest.approx(-13.0) and rwm.gap_la == pytest.approx(-20.0)
    assert rwm.gap_pupils == -4  # 13 points of a cohort of 30
    assert rwm.history == {"2014": 50.0, "2015": 45.0, "2016": 40.0}
    assert rwm.trend_direction == "declining" and rwm.rag == "red"
    prog = SchoolFigure.objects.get(run=run, school=data["weak"], measure=data["prog"])
    assert prog.significance == "significantly below national"
    assert (prog.progress_band, prog.rag) == ("Well below average", "red")
    assert not SchoolSummary.objects.filter(run=run, school=data["closed"]).exists()
    closed = SchoolFigure.objects.get(run=run, school=data["closed"], measure=data["rwm"])
    assert closed.value == 30.0  # history kept
    strong = SchoolSummary.objects.get(run=run, school=data["strong"])
    assert (strong.rag, strong.concern, strong.ofsted_grade) == ("green", "minimum", 2)


def test_the_dashboard_block_counts_the_las_schools(django_capture_on_commit_callbacks):
    data = handworked.build()
    run = recompute(django_capture_on_commit_callbacks)
    block = DashboardFigure.objects.get(run=run, key="overview", la=data["las"]["A"]).data
    assert block["schools"]["count"] == 2
    assert block["schools"]["by_concern"] == {"maximum": 1, "minimum": 1}
    assert block["schools"]["good_or_better"] == 1
    headline = next(h for h in block["headlines"] if h["measure"] == "ks2_rwm_exp")
    assert (headline["value"], headline["rank"], headline["rag"]) == (60.0, 1, "green")


def test_a_repeat_run_writes_identical_figures(django_capture_on_commit_callbacks):
    data = handworked.build()
    first = recompute(django_capture_on_commit_callbacks)
    second = recompute(django_capture_on_commit_callbacks)
    fields = [
        "la_id",
        "measure_id",
        "year",
        "group",
        "value",
        "rank",
        "quartile",
        "rag",
        "rag_code",
        "rag_tolerance",
    ]
    a = sorted(IndicatorFigure.objects.filter(run=first).values_list(*fields))
    b = sorted(IndicatorFigure.objects.filter(run=second).values_list(*fields))
    assert a == b and a
    school_fields = ["school_id", "rag", "concern", "concern_reasons"]
    assert sorted(
        SchoolSummary.objects.filter(run=first).values_list(*school_fields), key=str
    ) == sorted(SchoolSummary.objects.filter(run=second).values_list(*school_fields), key=str)
    assert selectors.current_run_id() == second.pk
    assert data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("portal_admin", 200),
        ("board_member", 403),
        ("head", 403),
        ("school_colleague", 403),
        ("trust_user", 403),
    ],
)
def test_only_officers_and_admins_see_the_nightly_page(client_as, role, status):
    assert client_as(role).get(reverse("nightly_runs")).status_code == status


@pytest.mark.parametrize(
    ("role", "allowed"), [("officer", True), ("board_member", False), ("head", False)]
)
def test_recompute_now_is_for_officers_only(
    client_as, role, allowed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(role).post(reverse("nightly_recompute"))
    if allowed:
        run = NightlyRun.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("nightly_run_detail", args=[run.pk])
        assert run.trigger == "officer" and run.triggered_by.email.startswith("officer")
        progress = client_as(role).get(reverse("nightly_run_progress", args=[run.pk])).json()
        assert progress["status"] == "succeeded" and progress["finished"]
        page = client_as(role).get(reverse("nightly_run_detail", args=[run.pk])).content.decode()
        assert "the pages show this run" in page
    else:
        assert response.status_code == 403
        assert not NightlyRun.objects.exists()


def test_recompute_now_while_running_says_so_and_starts_nothing(client_as):
    running = services.nightly_run_start(trigger=NightlyRun.Trigger.SCHEDULE, enqueue=False)
    response = client_as("officer").post(reverse("nightly_recompute"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("nightly_run_detail", args=[running.pk])
    assert "already in progress" in response.content.decode()
    assert NightlyRun.objects.count() == 1


def test_recompute_now_needs_a_post(client_as):
    assert client_as("officer").get(reverse("nightly_recompute")).status_code == 405


def test_an_officer_can_change_the_nightly_time_in_the_admin(client_as):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="pep_portal.tasks.nightly_scheduled_task")
    client = client_as("officer")
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    page = client.get(f"/admin/django_celery_beat/crontabschedule/{task.crontab_id}/change/")
    assert page.status_code == 200


def test_a_board_member_cannot_reach_the_schedule(client_as):
    response = client_as("board_member").get("/admin/django_celery_beat/periodictask/")
    assert response.status_code in (302, 403)


@pytest.mark.django_db(transaction=True)
def test_recompute_now_without_a_broker_returns_at_once_and_shows_progress(
    client_as, settings, monkeypatch
):
    """The demo (eager Celery): the request returns while the run is still queued, the run
    page polls its progress, and the run then finishes in the background thread."""
    import threading

    settings.NIGHTLY_EAGER_IN_THREAD = True
    started, release = threading.Event(), threading.Event()
    begin = services.nightly_run_begin

    def held_begin(**kwargs):
        started.set()
        assert release.wait(30)
        begin(**kwargs)

    monkeypatch.setattr(services, "nightly_run_begin", held_begin)
    client = client_as("officer")
    try:
        response = client.post(reverse("nightly_recompute"))
        run = NightlyRun.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("nightly_run_detail", args=[run.pk])
        assert started.wait(10)  # the run is under way in its thread
        progress = client.get(reverse("nightly_run_progress", args=[run.pk])).json()
        assert progress["finished"] is False and progress["status"] == "queued"
        page = client.get(reverse("nightly_run_detail", args=[run.pk])).content.decode()
        assert "nightly_progress" in page and 'id="run-status"' in page
    finally:
        release.set()
        services.nightly_background_join(60)
    progress = client.get(reverse("nightly_run_progress", args=[run.pk])).json()
    assert progress["finished"] is True and progress["status"] == "succeeded"


def test_deleting_a_school_deletes_its_snapshot_rows(
    django_capture_on_commit_callbacks,
):
    """The snapshot tables carry no database key constraints (the nightly run writes them
    from rows it has just read): deleting a school through the portal still deletes its
    figures and summary, so no figure is left naming a school that is gone. (A measure or
    an LA with results cannot be deleted: their results protect them.)"""
    data = handworked.build()
    run = recompute(django_capture_on_commit_callbacks)
    weak = data["weak"]
    assert SchoolFigure.objects.filter(run=run, school=weak).exists()
    assert SchoolSummary.objects.filter(run=run, school=weak).exists()
    weak.delete()
    assert not SchoolFigure.objects.filter(school_id=weak.pk).exists()
    assert not SchoolSummary.objects.filter(school_id=weak.pk).exists()
    assert SchoolFigure.objects.filter(run=run, school=data["strong"]).exists()
