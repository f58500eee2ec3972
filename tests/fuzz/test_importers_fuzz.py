"""Fuzz every registered importer through pep_portal.imports.services.import_file.

The only outcomes allowed for any file, however broken:
- ImportRejected with at least one message, and every table's row count unchanged; or
- a successful import returning its summary.
Anything else (another exception, a hang past the per-file alarm, a partial write) fails,
and Hypothesis shrinks the file to a minimal one. Found bugs stay as @example cases.

Each example runs inside a transaction that is rolled back afterwards, so every file meets
the same register. Bounded: a fixed number of examples per importer and a per-file alarm.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from pep_portal.imports.framework import ImportRejected, importer_kinds
from pep_portal.imports.services import import_file

from .strategies import (
    XLSX_SAMPLE,
    csv_files,
    csv_shapes,
    load_seed,
    random_bytes,
    template_workbook,
    xlsx_files,
)

pytestmark = pytest.mark.django_db

PER_FILE_SECONDS = 20
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "70"))  # raise it for a deeper run

OUTCOME_SEEDS = {
    "ks2_performance_tables": [
        "outcomes/ks2_2016_performance_tables.csv",
        "outcomes/ks2_2016_bad.csv",
    ],
    "ks4_performance_tables": ["outcomes/ks4_2016_performance_tables.csv"],
    "ees": ["outcomes/ees_absence_201516.csv", "outcomes/ees_ks4_disadvantaged_2016.csv"],
    "lait": ["outcomes/lait_2016.csv"],
    "template": ["outcomes/results_template.csv"],
    "statistical_neighbours": ["outcomes/statistical_neighbours.csv"],
}
CSV_SEEDS = {
    "gias": [
        "gias/edubasealldata_bom_crlf.csv",
        "gias/edubasealldata_newer_lf.csv",
        "gias/names_only_cp1252.csv",
    ],
    "ofsted": ["gias/ofsted_inspections.csv"],
    "soft_intelligence": ["../fuzz/data/soft_intelligence.csv"],
    **OUTCOME_SEEDS,
    # "results" detects the layout from the header: every results layout (and neighbours,
    # which it must refuse with a message).
    "results": sorted({s for seeds in OUTCOME_SEEDS.values() for s in seeds}),
    "actionplan_xlsx": [],
    # A head's return for one school in one collection (conftest's fuzz_import_options).
    "predictions": [
        "../predictions/data/predictions_fixed.csv",
        "../predictions/data/predictions_one_bad_row.csv",
    ],
}
WORKBOOK_KINDS = {"actionplan_xlsx", "template", "results"}

# Files that once broke an importer, replayed on every run (see each @example's comment).
REGRESSIONS: list[bytes] = [
    b"",
    b"\xef\xbb\xbf",
    b"\n\n\n",
    b",,,\n,,,\n",
    b'"',
    b'"unterminated\n',
    b"\xff\xfeU\x00R\x00N\x00",  # UTF-16 with BOM
    b"URN\n\x81\n",  # a cp1252-undefined byte
]


def found_for(kind: str) -> list[bytes]:
    """The fuzzer's findings (test_regressions.CASES) for this importer; 'results' gets
    every results layout's."""
    from .test_regressions import CASES

    outcome_kinds = set(OUTCOME_SEEDS) - {"statistical_neighbours"}
    return [
        data
        for case_kind, data, *_ in CASES
        if case_kind == kind or (kind == "results" and case_kind in outcome_kinds)
    ]


class Hang(BaseException):
    """Raised by the alarm: BaseException, so an importer's `except Exception` cannot eat it."""


@contextmanager
def alarm(seconds: int):
    def on_alarm(signum, frame):
        raise Hang(f"the import took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def row_counts() -> dict[str, int]:
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def assert_clean_outcome(kind: str, payload: bytes, directory, options=None) -> None:
    suffix = ".xlsx" if kind == "actionplan_xlsx" else ".csv"
    path = directory / f"2016_upload{suffix}"  # a year in the name, as uploads usually have
    path.write_bytes(payload)
    with transaction.atomic():
        before = row_counts()
        try:
            with alarm(PER_FILE_SECONDS):
                summary = import_file(kind=kind, path=str(path), **(options or {}))
        except ImportRejected as exc:
            messages = [str(e.message).strip() for e in exc.errors]
            after = row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            assert not changed, f"rejected but rows were written: {changed}"
            assert messages, "rejected without a message"
            assert all(messages), messages
            event("rejected")
        except Hang as exc:
            pytest.fail(f"{kind}: {exc} on a {len(payload)}-byte file")
        else:
            assert isinstance(summary, dict), summary
            event("imported")
        transaction.set_rollback(True)


def payloads(kind: str, workbook_sources) -> st.SearchStrategy[bytes]:
    seeds = [load_seed(s) for s in CSV_SEEDS[kind]]
    options = [random_bytes]
    if seeds:
        options += [csv_files(seeds), csv_files(seeds), csv_shapes(seeds)]
    if kind in WORKBOOK_KINDS:
        options += [xlsx_files(workbook_sources[kind])] * 2
    return st.one_of(options)


def _fuzz_test(kind: str):
    template_seed = load_seed("outcomes/results_template.csv")

    def test(fuzz_register, fuzz_dir, fuzz_import_options):
        workbooks = {
            "actionplan_xlsx": [XLSX_SAMPLE],
            "template": [template_workbook(template_seed, fuzz_dir / "template.xlsx")],
        }
        workbooks["results"] = workbooks["template"]
        directory = fuzz_dir / kind
        directory.mkdir(exist_ok=True)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            print_blob=True,
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
        )
        @given(payload=payloads(kind, workbooks))
        def check(payload):
            assert_clean_outcome(kind, payload, directory, fuzz_import_options.get(kind))

        for regression in REGRESSIONS + found_for(kind):
            check = example(payload=regression)(check)
        check()

    test.__name__ = f"test_{kind}_importer_rejects_cleanly_or_imports_whatever_the_file"
    return test


for _kind in CSV_SEEDS:
    _test = _fuzz_test(_kind)
    globals()[_test.__name__] = _test


def test_every_registered_importer_is_fuzzed():
    assert set(importer_kinds()) == set(CSV_SEEDS), (
        "A new importer was registered: add its sample files to CSV_SEEDS in this module."
    )
