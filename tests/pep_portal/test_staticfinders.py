"""plotly.js is served by the portal itself, from the installed plotly package (no CDN)."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from plotly.offline import get_plotlyjs_version

pytestmark = pytest.mark.django_db

FINDER = "pep_portal.platform.staticfinders.PlotlyFinder"
PORTAL_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    FINDER,
]
URL = "/static/vendor/plotly.min.js"


def _banner(response) -> str:
    head = next(iter(response.streaming_content))[:200]
    return head.decode("utf-8")


def _expected_banner() -> str:
    return f"plotly.js v{get_plotlyjs_version()}"


def test_portal_settings_use_the_plotly_finder():
    assert FINDER in django_settings.STATICFILES_FINDERS


def test_runserver_serves_plotly_from_the_installed_package(client, settings):
    # As under DEBUG / runserver: WhiteNoise looks files up through the finders.
    settings.STATICFILES_FINDERS = PORTAL_FINDERS
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert _expected_banner() in _banner(response)


def test_collectstatic_copies_plotly_and_whitenoise_serves_it(client, settings, tmp_path):
    # As in production: collectstatic into STATIC_ROOT, WhiteNoise serves from there.
    settings.STATICFILES_FINDERS = PORTAL_FINDERS
    settings.STATIC_ROOT = str(tmp_path)
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    copied = tmp_path / "vendor" / "plotly.min.js"
    assert copied.is_file()
    assert _expected_banner() in copied.read_text(encoding="utf-8")[:200]

    response = client.get(URL)
    assert response.status_code == 200
    assert _expected_banner() in _banner(response)


def test_findstatic_locates_plotly_in_the_plotly_package(settings, capsys):
    settings.STATICFILES_FINDERS = PORTAL_FINDERS
    call_command("findstatic", "vendor/plotly.min.js", verbosity=1)
    found = capsys.readouterr().out
    assert re.search(r"plotly[/\\]package_data[/\\]plotly\.min\.js", found)


def test_the_plotly_include_loads_the_portal_copy():
    from django.template.loader import render_to_string

    html = render_to_string("includes/plotly.html")
    assert '<script src="/static/vendor/plotly.min.js"></script>' in html
    assert "cdn" not in html.lower() and "http" not in html.lower()
