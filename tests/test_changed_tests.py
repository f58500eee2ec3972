"""`make test-fast` runs the tests of what changed: tools/changed_tests.py maps files to tests."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("changed_tests", ROOT / "tools" / "changed_tests.py")
changed_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(changed_tests)


def test_an_apps_code_runs_its_tests_and_those_named_by_its_path():
    paths = changed_tests.test_paths(
        {"partnership/dashboards/selectors.py", "pep_portal/api_auth.py", "schools/models.py"}
    )
    assert paths == [
        "tests/api",
        "tests/dashboards",
        "tests/partnership",
        "tests/pep_portal",
        "tests/schools",
    ]


def test_a_changed_test_file_runs_alone_unless_its_folder_runs_anyway():
    assert changed_tests.test_paths({"tests/schools/test_selectors.py"}) == [
        "tests/schools/test_selectors.py"
    ]
    assert changed_tests.test_paths(
        {"tests/schools/test_selectors.py", "tests/schools/factories.py"}
    ) == ["tests/schools"]


def test_browser_tests_migrations_docs_and_benchmarks_are_left_out():
    assert (
        changed_tests.test_paths(
            {
                "tests/browser/test_dashboards.py",
                "schools/migrations/0002_x.py",
                "README.md",
                "bench/load.py",
            }
        )
        == []
    )
