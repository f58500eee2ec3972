"""A probe step for the nightly-run tests, registered in the test process (fixture) or in a
real worker (``celery worker --include tests.nightly.steps``).

It writes one DashboardFigure per part, holding the value the test put in the cache, and
behaves as the test asks through the (shared, Redis in CI) cache:

- ``nightly-probe-mode`` = "raise": part 2 raises (after part 1 wrote its rows);
- ``nightly-probe-mode`` = "sleep": every part sleeps ``nightly-probe-sleep`` seconds first.
"""

import time

from django.core.cache import cache

from outcomes.models import DashboardFigure
from pep_portal.nightly import nightly_step

PARTS = 3
MODE = "nightly-probe-mode"
VALUE = "nightly-probe-value"
SLEEP = "nightly-probe-sleep"


class ProbeFailure(RuntimeError):
    pass


def probe_chunks(run_id):
    return [[i] for i in range(PARTS)]


@nightly_step(
    "test_probe", order=15, chunks=probe_chunks, snapshot_models=["outcomes.DashboardFigure"]
)
def probe(*, run_id, chunk):
    (part,) = chunk
    mode = cache.get(MODE, "")
    if mode == "sleep":
        time.sleep(float(cache.get(SLEEP, 1)))
    if mode == "raise" and part == 1:
        raise ProbeFailure("the probe was told to fail half-way")
    DashboardFigure.objects.create(
        run_id=run_id, key=f"probe-{part}", la=None, data={"value": cache.get(VALUE)}
    )
    return 1
