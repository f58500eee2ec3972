"""`make demo` starts quietly and prints the logins last: load_demo's quiet mode and
--logins-only (the real demo load is tested by each app's test_demo)."""

import io
import logging

import pytest
from django.core.mail import send_mail
from django.core.management import call_command

from pep_portal.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_quiet_load_prints_one_line_and_no_emails_or_logs(monkeypatch, capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    def noisy_load_all(stdout=None):
        print("Task pep_portal.tasks.nightly_chunk_task succeeded")
        logging.getLogger("celery.app.trace").info("Task succeeded in 0.2s")
        send_mail("Action plan: milestones you lead", "Dear Ben", None, ["board@pep.example"])
        if stdout:
            stdout.write("Loading demo data: schools")
        return []

    monkeypatch.setattr(
        "pep_portal.platform.management.commands.load_demo.load_all", noisy_load_all
    )
    out = io.StringIO()
    call_command("load_demo", verbosity=0, no_logins=True, stdout=out)
    printed = out.getvalue().strip().splitlines() + capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1
    assert printed[0].startswith("Demo data loaded (")
    assert "1 reminder email not shown." in printed[0]


def test_logins_only_lists_the_demo_accounts_that_exist():
    UserFactory(email="officer@pep.example", officer=True)
    UserFactory(email="board@pep.example", role=Role.BOARD_MEMBER)
    out = io.StringIO()
    call_command("load_demo", logins_only=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo logins (password for all: pep-demo-2016)"
    assert [line.split()[-1] for line in lines[1:]] == ["officer@pep.example", "board@pep.example"]
