"""`manage.py recompute`: run the nightly computation now and print its outcome.

Without REDIS_URL (the embedded default) the run happens in this process; with Redis it is
queued for the Celery workers and this command waits for it, printing progress.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pep_portal.nightly import selectors, services
from pep_portal.nightly.models import NightlyRun


class Command(BaseCommand):
    help = "Recompute every snapshot figure now (the nightly run) and wait for the outcome."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the run and return at once."
        )
        parser.add_argument(
            "--timeout", type=float, default=3600, help="Seconds to wait (default 3600)."
        )

    def handle(self, *args, no_wait=False, timeout=3600, **options):
        where = "in this process" if settings.CELERY_TASK_ALWAYS_EAGER else "on the workers"
        try:
            run = services.nightly_run_start(trigger=NightlyRun.Trigger.COMMAND)
        except services.NightlyRunAlreadyRunning as exc:
            raise CommandError(f"{exc} Not started twice.")
        self.stdout.write(f"Nightly run {run.pk} started {where}.")
        if no_wait:
            return
        last = [None]

        def progress(r: NightlyRun) -> None:
            p = selectors.nightly_run_progress(run=r)
            line = f"  stage {p['stage']}/{p['stages_total']} {p['stage_name']}: {p['chunks_done']}/{p['chunks_total']} parts"
            if line != last[0] and r.status == NightlyRun.Status.RUNNING:
                self.stdout.write(line)
                last[0] = line

        try:
            run = services.nightly_run_wait(run, timeout=timeout, on_progress=progress)
        except TimeoutError as exc:
            raise CommandError(str(exc))
        seconds = run.duration.total_seconds() if run.duration else 0
        if run.status != NightlyRun.Status.SUCCEEDED:
            for error in run.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"Nightly run {run.pk} failed after {seconds:.1f} s; "
                "the previous snapshot is still served."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Nightly run {run.pk} succeeded in {seconds:.1f} s: "
                f"{run.rows_written} rows written, now served."
            )
        )
