"""Print the test paths for what changed, for `make test-fast`.

Changed = files differing from FAST_BASE (default main: committed on this branch or not yet
committed) plus untracked files. A changed test file is run itself; a changed file of the
portal's code runs tests/<app>/ and every tests/<name>/ named by a part of its path
(partnership/dashboards/selectors.py -> tests/partnership, tests/dashboards; pep_portal/api/
auth.py -> tests/pep_portal, tests/api). Prints nothing when nothing relevant changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _git(*args: str) -> list[str]:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line]


def changed_files(base: str) -> set[str]:
    files = set(_git("diff", "--name-only", f"{base}...HEAD"))
    files |= set(_git("diff", "--name-only", "HEAD"))
    files |= set(_git("ls-files", "--others", "--exclude-standard"))
    return files


def test_paths(files: set[str]) -> list[str]:
    test_dirs = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith("_")}
    paths: set[str] = set()
    for name in files:
        path = Path(name)
        if path.suffix not in {".py", ".html", ".txt", ".csv", ".xlsx"}:
            continue
        if path.parts[0] == "tests":
            if path.name.startswith("test_") and (ROOT / path).exists():
                paths.add(name)
            elif len(path.parts) > 2 and (TESTS / path.parts[1]).is_dir():
                paths.add(f"tests/{path.parts[1]}")  # a conftest, factory or fixture
            continue
        if "migrations" in path.parts or path.parts[0] in {"bench", "tools", ".ci"}:
            continue
        parts = [*path.parts[:-1], path.stem]
        for part in parts:
            for candidate in (part, part.split("_")[0]):
                if candidate in test_dirs:
                    paths.add(f"tests/{candidate}")
    paths = {p for p in paths if not p.startswith("tests/browser")}
    # A file inside a directory that runs anyway is not named twice.
    return sorted(p for p in paths if not any(p.startswith(d + "/") for d in paths))


def main() -> int:
    base = os.environ.get("FAST_BASE", "main")
    print(" ".join(test_paths(changed_files(base))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
