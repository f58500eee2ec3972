"""The nightly run's demo loader (``pep_portal.platform.demo``): after the demo data, compute
the snapshot once."""

from __future__ import annotations

from pep_portal.platform.demo import demo_loader


@demo_loader(order=90)
def run_nightly_after_demo_load(stdout=None) -> None:
    """`make demo`: compute the snapshot once, so the demo pages have figures to show."""
    from . import services
    from .models import NightlyRun

    if stdout:
        stdout.write("Running the nightly computation once")
    run = services.nightly_run_wait(
        services.nightly_run_start_or_join(trigger=NightlyRun.Trigger.DEMO), timeout=3600
    )
    if stdout:
        stdout.write(f"  nightly run {run.pk}: {run.get_status_display()}, {run.rows_written} rows")
        for error in run.errors:
            stdout.write(f"  error: {error}")
