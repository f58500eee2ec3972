import contextlib
import io
import logging
import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from pep_portal.accounts.demo import DEMO_PASSWORD, demo_login_list
from pep_portal.platform.demo import load_all


class Command(BaseCommand):
    help = "Load the Portsmouth demo data and one login per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-only",
            action="store_true",
            help="Load nothing: print the demo logins (make demo prints them last).",
        )
        parser.add_argument(
            "--no-logins", action="store_true", help="Load the data without listing the logins."
        )

    def handle(self, *args, **options):
        if options["logins_only"]:
            self._print_logins(demo_login_list())
            return
        started = time.monotonic()
        if options["verbosity"] > 0:
            users = load_all(stdout=self.stdout)
            note = ""
        else:
            users, note = self._load_quietly()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded ({time.monotonic() - started:.0f} s).{note}")
        )
        if not options["no_logins"]:
            self.stdout.write("")
            self._print_logins(users)

    def _load_quietly(self):
        """Verbosity 0 (make demo): no task logs, progress lines or emails on the console.
        The emails the loaders send (reminders due on the demo's dates) are kept in memory
        and counted; errors still stop the load."""
        from django.core import mail

        logging.disable(logging.WARNING)
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                contextlib.redirect_stdout(io.StringIO()),
            ):
                mail.outbox = []
                users = load_all(stdout=None)
                sent = len(mail.outbox)
        finally:
            logging.disable(logging.NOTSET)
        note = f" {sent} reminder email{'s' if sent != 1 else ''} not shown." if sent else ""
        return users, note

    def _print_logins(self, users):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for u in users:
            extra = f" — {u['for']}" if u["for"] else ""
            self.stdout.write(f"  {u['role']:<40} {u['email']}{extra}")
