"""Fixtures shared by every test: one user per role, and the CI rule for services.

In CI (PEP_REQUIRE_SERVICES=1) a test that needs PostgreSQL, Redis, a Celery worker or
Chromium fails when the service is missing; on a developer's machine it skips, saying why.
"""

import io
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from pep_portal.accounts.models import Role

from .factories import SchoolFactory, TrustFactory, UserFactory

PASSWORD = "correct-horse-battery"

# --reuse-db (pyproject.toml) keeps the test databases between runs. A transactional test
# (real commits: live server, Celery worker, threads) ends with a flush that also empties
# the rows data migrations seeded (measure catalogue, nightly schedule). A process that ran
# one leaves a flag for its database (var/test-db.flushed.main, .gw0, .gw1...), and the next
# run using that database rebuilds it instead of reusing it.
VAR = Path(__file__).resolve().parents[1] / "var"


def _flushed_flag(database: str) -> Path:
    return VAR / f"test-db.flushed.{database}"


def _rebuild_if_flushed(config: pytest.Config, database: str) -> bool:
    flag = _flushed_flag(database)
    rebuild = bool(config.option.create_db) or (
        flag.exists() and bool(config.getoption("reuse_db", False))
    )
    flag.unlink(missing_ok=True)
    return rebuild


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_configure(config: pytest.Config) -> None:
    worker = getattr(config, "workerinput", None)
    if worker is not None:  # a pytest-xdist worker: the controller decided
        config.option.create_db = bool(worker.get("pep_create_db"))
    elif not getattr(config.option, "numprocesses", None):  # one process, one database
        config.option.create_db = _rebuild_if_flushed(config, "main")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist: each worker has its own database (suffix _gw0...), decided here."""
    node.workerinput["pep_create_db"] = _rebuild_if_flushed(
        node.config, node.workerinput["workerid"]
    )


def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _is_transactional(item):
        VAR.mkdir(exist_ok=True)
        _flushed_flag(os.environ.get("PYTEST_XDIST_WORKER") or "main").touch()


def require_service(name: str, available: bool, why: str = "") -> None:
    """Skip locally, fail in CI, when a service a test needs is missing."""
    if available:
        return
    message = f"{name} is not available{': ' + why if why else ''}"
    if os.environ.get("PEP_REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required in CI)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def trust(db):
    return TrustFactory(name="Solent Academies Trust")


@pytest.fixture
def other_trust(db):
    return TrustFactory(name="Meon Learning Trust")


@pytest.fixture
def school(db, trust):
    return SchoolFactory(name="Harbour Primary School", trust=trust, category="academy_converter")


@pytest.fixture
def other_school(db, other_trust):
    return SchoolFactory(
        name="Spinnaker Primary School", trust=other_trust, category="academy_sponsor_led"
    )


@pytest.fixture
def officer(db):
    return UserFactory(email="officer@example.org", officer=True)


@pytest.fixture
def portal_admin(db):
    return UserFactory(email="admin@example.org", admin=True)


@pytest.fixture
def board_member(db):
    return UserFactory(email="board@example.org", role=Role.BOARD_MEMBER)


@pytest.fixture
def head(db, school):
    return UserFactory(email="head@example.org", role=Role.HEADTEACHER, school=school)


@pytest.fixture
def other_head(db, other_school):
    return UserFactory(email="otherhead@example.org", role=Role.HEADTEACHER, school=other_school)


@pytest.fixture
def school_colleague(db, school):
    return UserFactory(email="deputy@example.org", role=Role.SCHOOL_STAFF, school=school)


@pytest.fixture
def trust_user(db, trust):
    return UserFactory(email="trust@example.org", role=Role.TRUST_USER, trust=trust)


@pytest.fixture
def other_trust_user(db, other_trust):
    return UserFactory(email="othertrust@example.org", role=Role.TRUST_USER, trust=other_trust)


ROLES = [
    "anonymous",
    "board_member",
    "officer",
    "portal_admin",
    "head",
    "other_head",
    "school_colleague",
    "trust_user",
    "other_trust_user",
]


@pytest.fixture
def client_as(client, request):
    """client_as("officer") -> a test client signed in as that fixture's user."""

    def _client_as(role: str):
        if role == "anonymous":
            client.logout()
            return client
        user = request.getfixturevalue(role)
        client.force_login(user)
        return client

    return _client_as


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and progress live in the cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()
    return


@pytest.fixture(autouse=True)
def _catalogue_as_migrated(request):
    """Every database test starts with the measure catalogue its data migration ships.

    A transactional test (live server, browser, real workers) ends with a flush that also
    empties the catalogue; without this, whichever test runs next on that worker finds no
    measures (``Measure.DoesNotExist``) depending on the order xdist picked.
    """
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db or request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("measure_catalogue")


def load_measure_catalogue():
    """The measure catalogue as its data migration ships it, loaded when it is missing.

    Transactional tests (browser, live server, real workers) end with a flush, which also
    empties tables that data migrations filled; a test that needs the catalogue after one of
    those reloads it through this (the ``measure_catalogue`` fixture, or a module fixture).
    """
    import importlib

    from django.apps import apps

    from outcomes.models import Measure

    if not Measure.objects.exists():
        migration = importlib.import_module("outcomes.migrations.0002_measure_catalogue")
        migration.load(apps, None)
    return Measure.objects.all()


@contextmanager
def demo_after_nightly(django_db_blocker, media: Path):
    """For a module fixture: ``load_demo``, then the nightly run (its on-commit work done, so
    the dashboards have their snapshot), all in one transaction rolled back on leaving the
    block; uploads go to ``media``. Inside the block the fixture may add to the demo."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import TestCase, override_settings

    from pep_portal.nightly import services as nightly_services
    from pep_portal.nightly.demo import run_nightly_after_demo_load
    from pep_portal.nightly.models import NightlyRun
    from pep_portal.platform import demo as platform_demo

    loaders = {
        loader.key: loader
        for loader in platform_demo.demo_loaders()
        if loader.load is not run_nightly_after_demo_load
    }
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        load_measure_catalogue()
        saved = dict(platform_demo.DEMO_LOADERS)
        # The demo without its nightly run: the run below, its callbacks executed.
        platform_demo.DEMO_LOADERS.clear()
        platform_demo.DEMO_LOADERS.update(loaders)
        try:
            call_command("load_demo", verbosity=0, no_logins=True, stdout=io.StringIO())
        finally:
            platform_demo.DEMO_LOADERS.clear()
            platform_demo.DEMO_LOADERS.update(saved)
        with TestCase.captureOnCommitCallbacks(execute=True):
            run = nightly_services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
        run.refresh_from_db()
        assert run.status == NightlyRun.Status.SUCCEEDED, run.errors
        yield
        transaction.set_rollback(True)


@pytest.fixture
def measure_catalogue(db):
    """The measure catalogue as its data migration ships it (see load_measure_catalogue)."""
    return load_measure_catalogue()


@pytest.fixture
def publish(db, django_capture_on_commit_callbacks):
    """publish() -> run the nightly run now and publish its snapshot: every page reads its
    comparative figures from the published snapshot, so a test that changes results
    publishes before it reads a page."""
    from tests.dashboards.data import run_nightly

    return lambda: run_nightly(django_capture_on_commit_callbacks)
