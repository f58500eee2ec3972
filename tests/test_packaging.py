"""The production image installs only the runtime dependencies (pyproject's `dependencies`,
pinned by requirements.lock as constraints): check that they cover everything the portal's
own code imports, and that the test tools are not among them."""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
APPS = ("pep_portal", "schools", "outcomes", "actionplan", "consultation", "partnership")
DEV_ONLY = {"pytest", "pytest-django", "factory-boy", "hypothesis", "schemathesis", "playwright"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution a fresh install of these requirements brings in."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = _norm(req.name)
        extras = set(req.extras)
        key = name + "[" + ",".join(sorted(extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        seen.add(name)
        for text in metadata.requires(req.name) or []:
            sub = Requirement(text)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append(sub)
    return {s for s in seen if "[" not in s}


def _third_party_imports() -> set[str]:
    modules: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in APPS}


def test_runtime_dependencies_cover_every_import_in_the_portals_code():
    runtime = _closure(_pyproject()["project"]["dependencies"])
    providers = metadata.packages_distributions()
    imports = _third_party_imports()
    # The scan finds real imports (a broken scan would find nothing missing).
    assert {"django", "pandas", "openpyxl", "rest_framework"} <= imports
    missing = {
        module: providers.get(module)
        for module in imports
        if not any(_norm(d) in runtime for d in providers.get(module, []))
    }
    assert not missing, f"imported by the portal but not a runtime dependency: {missing}"


def test_test_tools_are_not_installed_in_production():
    runtime = _closure(_pyproject()["project"]["dependencies"])
    assert not (DEV_ONLY & runtime)


def test_every_runtime_dependency_is_pinned_in_the_lock():
    pinned = {
        _norm(line.split("==")[0])
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    runtime = _closure(_pyproject()["project"]["dependencies"])
    assert runtime <= pinned, f"not pinned in requirements.lock: {runtime - pinned}"
