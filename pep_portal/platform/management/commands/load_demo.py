from django.core.management.base import BaseCommand

from pep_portal.platform.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Load the Portsmouth demo data and one login per role (idempotent)."

    def handle(self, *args, **options):
        users = load_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for u in users:
            extra = f" — {u['for']}" if u["for"] else ""
            self.stdout.write(f"  {u['role']:<40} {u['email']}{extra}")
