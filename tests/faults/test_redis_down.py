"""Redis down: pages still render, /healthz says the cache is failing (503), and work queued
during the outage runs once Redis is back, exactly once in effect.

Uses a PRIVATE Redis on a free port (tests/faults/private.py), never the shared one.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from pep_portal.accounts.models import Role
from pep_portal.imports import outbox
from pep_portal.imports.models import ImportJob
from pep_portal.imports.services import import_job_create
from pep_portal.navigation import NAV
from schools.models import OfstedInspection
from tests.conftest import PASSWORD
from tests.factories import LocalAuthorityFactory, SchoolFactory, UserFactory
from tests.outcomes.factories import ResultFactory

from .conftest import require_postgres_test_database, tolerant_cache
from .private import wait_until

pytestmark = [pytest.mark.services]


def nav_urls() -> list[str]:
    urls = []
    for _label, name, _perm in NAV:
        try:
            urls.append(reverse(name))
        except Exception:  # noqa: S112 (a section not installed yet)
            continue
    return urls


@pytest.mark.django_db
def test_pages_render_and_healthz_fails_while_redis_is_down(client, private_redis, settings):
    settings.CACHES = tolerant_cache(private_redis.url)
    # Some content for the pages to render: a partnership LA with a school and a result.
    la = LocalAuthorityFactory(code=851, name="Portsmouth", in_partnership=True)
    SchoolFactory(la=la, urn=116001)
    ResultFactory(la=la)
    officer = UserFactory(email="outage-admin@example.org", admin=True)
    officer.set_password(PASSWORD)
    officer.save()
    assert client.get("/healthz").status_code == 200

    private_redis.stop()

    started = time.monotonic()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["database"] == "ok"
    assert health.json()["checks"]["cache"].startswith("error")
    # Signing in works (allauth keeps its rate-limit counters in the cache).
    response = client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    # Every section of the navigation still renders for an admin (who sees them all).
    urls = nav_urls()
    assert len(urls) >= 5
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
    # An unreachable cache costs little: no socket waits on a refused connection.
    assert time.monotonic() - started < 30

    private_redis.start()
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_import_queued_while_redis_is_down_runs_once_it_is_back(
    private_redis, celery_on, settings, tmp_path
):
    require_postgres_test_database()
    settings.CACHES = tolerant_cache(private_redis.url)
    settings.MEDIA_ROOT = str(tmp_path)
    start_worker = celery_on(private_redis.url)
    start_worker(concurrency=2)
    officer = UserFactory(email="outage-officer@example.org", role=Role.OFFICER)
    school = SchoolFactory(urn=116001)
    csv = (
        "URN,Inspection date,Overall effectiveness\n"
        f"{school.urn},12-03-2019,2\n{school.urn},09-05-2014,3\n"
    ).encode()

    private_redis.stop()
    # The officer's upload succeeds while Redis is down: the job is stored, queued.
    with transaction.atomic():
        job = import_job_create(
            kind="ofsted",
            uploaded_file=SimpleUploadedFile("ofsted.csv", csv),
            user=officer,
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert OfstedInspection.objects.count() == 0
    # Beat's requeue during the outage cannot send it either, and nothing fails.
    assert outbox.import_jobs_requeue(older_than=0) == 0

    private_redis.start()
    # Back: beat's requeue sends it; to prove "once in effect", it is sent three times.
    assert outbox.import_jobs_requeue(older_than=0) == 1
    assert outbox.import_jobs_requeue(older_than=0) == 1
    assert outbox.publish(
        __import__("pep_portal.imports.tasks").imports.tasks.import_job_run_task, job.pk
    )

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)

    wait_until(finished, 60, "the import job to run after Redis came back", interval=0.2)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    time.sleep(2)  # let the duplicate deliveries reach the worker and be refused
    job.refresh_from_db()
    assert job.summary["created"] == 2  # the run that counted is the one that created them
    assert OfstedInspection.objects.filter(school=school).count() == 2
    assert outbox.import_jobs_requeue(older_than=0) == 0  # nothing left queued
