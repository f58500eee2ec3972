"""Every URL pattern, signed in as an officer on the demo data, with bad numbers: no 5xx.

The resolver is walked, not a hand-kept list, so a page added later is fuzzed too. For each
pattern the path numbers are first filled with real ids from the demo (so the view gets past
its object lookup), then:

- each path number in turn is replaced by out-of-range, zero, huge, negative and non-numeric
  values (the ``int`` converter only matches digits, so the last two reach views whose
  patterns are regexes, such as the API's detail routes);
- the query parameters the page actually reads (recorded while it answers a plain request)
  are each given empty, zero, negative, out-of-range, huge and non-numeric values.

Every answer must be below 500; a 400 must say what was wrong (JSON under /api/).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

from pep_portal.accounts.models import User
from pep_portal.nightly import services as nightly
from pep_portal.nightly.models import NightlyRun
from pep_portal.platform import demo

pytestmark = pytest.mark.django_db

PATH_VALUES = ["0", "2147483648", "99999999999999999999", "-1", "abc", ""]
QUERY_VALUES = ["", "0", "-1", "9999", "2147483648", "99999999999999999999", "abc", "1e999"]
# Pages that stream files, sign out or change state on GET are not fuzzed for their query.
SKIP_QUERY = ("accounts/logout/", "healthz")
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _template(route: str) -> tuple[str, list[str]] | None:
    """'consultations/<int:pk>/' -> ('consultations/{pk}/', ['pk']); regex routes too."""
    route = route.replace("^", "").replace("$", "").replace("\\.", ".")
    names: list[str] = []

    def sub(m):
        name = m.group("name") or m.group("rname")
        names.append(name)
        return "{" + name + "}"

    text = _PARAM.sub(sub, route)
    if any(c in text for c in "()[]*+?|\\"):
        return None  # a regex we cannot fill (e.g. the API's catch-all 404)
    return text, names


def _first(app_label, model, field="pk"):
    obj = apps.get_model(app_label, model).objects.order_by("pk").first()
    return None if obj is None else getattr(obj, field)


def valid_values() -> list[tuple[re.Pattern, dict]]:
    """(route regex, {param: real value}) in order; the first match wins."""
    school = apps.get_model("schools", "School").objects.filter(la__code=851).first()
    consultation = apps.get_model("consultation", "Consultation").objects.order_by("pk").first()
    question = consultation.questions.order_by("pk").first() if consultation else None
    answer = apps.get_model("consultation", "Answer").objects.order_by("pk").first()
    response = apps.get_model("consultation", "Response").objects.order_by("pk").first()
    attachment = apps.get_model("consultation", "Attachment").objects.order_by("pk").first()
    table = [
        (r"^imports/", {"pk": _first("imports", "ImportJob")}),
        (r"^nightly/", {"pk": _first("nightly", "NightlyRun")}),
        (r"trusts/", {"pk": school.trust_id or _first("schools", "Trust")}),
        (r"predictions/collections/", {"pk": _first("outcomes", "DataCollection")}),
        (r"^action-plan/actions/", {"pk": _first("actionplan", "Action")}),
        (r"^action-plan/milestones/", {"pk": _first("actionplan", "Milestone")}),
        (r"^action-plan/updates/", {"pk": _first("actionplan", "MilestoneUpdate")}),
        (
            r"^consultations/",
            {
                "pk": (answer.response.consultation_id if answer else consultation.pk),
                "question_pk": (answer.question_id if answer else getattr(question, "pk", 1)),
                "answer_pk": getattr(answer, "pk", 1),
                "response_pk": getattr(response, "pk", 1),
                "attachment_pk": getattr(attachment, "pk", 1),
            },
        ),
        (r"^partnership/meetings/", {"pk": _first("partnership", "Meeting")}),
        (r"^partnership/actions/", {"pk": _first("partnership", "Action")}),
        (r"^partnership/papers/", {"pk": _first("partnership", "Paper")}),
        (r"^partnership/packs/", {"pk": _first("partnership", "BoardPack")}),
        (r"^partnership/support/", {"pk": _first("partnership", "Deployment")}),
        (r"^partnership/categorisation/schools/", {"pk": school.pk}),
        (r"^partnership/letters/", {"pk": _first("partnership", "LetterOfConcern")}),
        (r"^partnership/boards/", {"slug": _first("partnership", "Board", "slug")}),
        (r"^api/v1/local-authorities/", {"code": 851}),
        (r"^api/v1/plans/", {"pk": _first("actionplan", "Plan")}),
        (r"^api/v1/priorities/", {"pk": _first("actionplan", "Priority")}),
        (r"^api/v1/actions/", {"pk": _first("actionplan", "Action")}),
        (r"^api/v1/milestones/", {"pk": _first("actionplan", "Milestone")}),
        (r"^api/v1/categorisations/", {"pk": _first("partnership", "CategorisationDecision")}),
        (r"^api/v1/deployments/", {"pk": _first("partnership", "Deployment")}),
        (r"^api/v1/measures/", {"code": _first("outcomes", "Measure", "code")}),
        (r"key-stages/", {"slug": "ks2"}),
        (r"", {"urn": school.urn, "fmt": "csv", "pk": 1, "slug": "x", "token": "x"}),
    ]
    return [(re.compile(pattern), values) for pattern, values in table]


def fill(template: str, names: list[str], table, override: dict | None = None) -> str:
    values = {}
    for name in names:
        for pattern, candidates in table:
            if pattern.search(template) and candidates.get(name) is not None:
                values[name] = candidates[name]
                break
        else:
            values[name] = 1
    values.update(override or {})
    return "/" + template.format(**{k: quote(str(v), safe="") for k, v in values.items()})


class RecordingQueryDict(QueryDict):
    """Records the names a view reads from request.GET."""

    read: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, default=None, force_list=False):
        RecordingQueryDict.read.add(key)
        return super()._getlist(key, default, force_list)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)


FAILURES: list[str] = []


def _check(response, url):
    if response.status_code >= 500:
        FAILURES.append(f"{url} -> {response.status_code}")
    elif (
        response.status_code == 400
        and url.startswith("/api/")
        and not response["Content-Type"].startswith("application/json")
    ):
        FAILURES.append(f"{url} -> 400 not JSON")


def test_no_url_answers_5xx_to_bad_numbers(
    client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.REQUIRE_MFA_FOR_STAFF = False
    # The demo, then its nightly run (queued on commit, which a test transaction never reaches).
    from pep_portal.nightly.demo import run_nightly_after_demo_load

    loaders = {
        loader.key: loader
        for loader in demo.demo_loaders()
        if loader.load is not run_nightly_after_demo_load
    }
    monkeypatch.setattr(demo, "DEMO_LOADERS", loaders)
    demo.load_all()
    with django_capture_on_commit_callbacks(execute=True):
        nightly.nightly_run_start(trigger=NightlyRun.Trigger.DEMO)
    officer = User.objects.get(email="officer@pep.example")
    client.force_login(officer)
    client.raise_request_exception = False
    table = valid_values()

    def recording_get(self):
        return RecordingQueryDict(self.environ.get("QUERY_STRING", ""), encoding=self._encoding)

    monkeypatch.setattr(WSGIRequest, "GET", property(recording_get), raising=True)

    FAILURES.clear()
    routes = sorted(set(walk(get_resolver())))
    fuzzed_paths = fuzzed_queries = reached = 0
    for route in routes:
        parsed = _template(route)
        if parsed is None:
            continue
        template, names = parsed
        base = fill(template, names, table)
        if "logout" in base:
            continue
        for name in names:
            for bad in PATH_VALUES:
                url = fill(template, names, table, {name: bad})
                _check(client.get(url), url)
                fuzzed_paths += 1
        if route.startswith("admin/") or any(s in base for s in SKIP_QUERY):
            continue
        RecordingQueryDict.read = set()
        response = client.get(base)
        _check(response, base)
        if response.status_code != 200:
            continue
        reached += 1
        for param in sorted(RecordingQueryDict.read):
            for bad in QUERY_VALUES:
                url = f"{base}?{urlencode({param: bad})}"
                _check(client.get(url), url)
                fuzzed_queries += 1
    assert not FAILURES, f"{len(FAILURES)} failures:\n" + "\n".join(FAILURES[:60])
    # The test must have reached real pages, not only 404s.
    assert reached > 80, reached
    assert fuzzed_paths > 200 and fuzzed_queries > 200, (fuzzed_paths, fuzzed_queries)
