"""Where apps meet (issue 17), read from the source with ``ast``: beside the layer contract
(``.importlinter``, run by ``make check``), no app imports another app's private names (a
leading underscore) or writes to models another app owns (``Model.objects.create(...)``,
``.update()``, ``.delete()`` ...): it calls the owning app's services instead.

Every module of the portal is read except tests and migrations. The few cross-app writes
that are legitimate are allow-listed below, each with its reason.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[1]
TOP_PACKAGES = ["pep_portal", "schools", "outcomes", "actionplan", "consultation", "partnership"]
# Packages that are an app's own (pep_portal.api is the DRF base, not a Django app; the
# project package itself holds settings, URLs and the Celery app).
EXTRA_OWNERS = ["pep_portal.api", "pep_portal"]
WRITES = {
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}

# (module, model) -> why that module may write the model another app owns.
DEMO_AREAS = (
    "demo data: the synthetic LAs and Portsmouth's statistical neighbours the demo results "
    "are drawn for, bulk-created with them (the register has no bulk service)"
)
BENCHMARK = "benchmark generator: bulk-loads a synthetic England-scale register in one go"
ALLOWED_WRITES: dict[tuple[str, str], str] = {
    ("outcomes.demo", "LocalAuthority"): DEMO_AREAS,
    ("outcomes.demo", "StatisticalNeighbour"): DEMO_AREAS,
    ("outcomes.management.commands.generate_england", "LocalAuthority"): BENCHMARK,
    ("outcomes.management.commands.generate_england", "StatisticalNeighbour"): BENCHMARK,
    ("outcomes.management.commands.generate_england", "School"): BENCHMARK,
    ("outcomes.management.commands.generate_england", "OfstedInspection"): BENCHMARK,
}


def owners() -> list[str]:
    names = {
        config.name
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in TOP_PACKAGES
    }
    return sorted(names | set(EXTRA_OWNERS), key=len, reverse=True)


def owner_of(module: str) -> str:
    return next(o for o in owners() if module == o or module.startswith(o + "."))


def source_modules() -> list[tuple[str, Path]]:
    found = []
    for top in TOP_PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts or parts[-1].startswith("test_"):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found.append((".".join(parts), path))
    return found


def absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@dataclass
class Bindings:
    modules: dict[str, str]  # local name -> another module (import a.b as c; from a import b)
    models: dict[str, type[models.Model]]  # local name -> a model class imported by name


def resolve(module: str, name: str) -> object:
    """What ``from module import name`` binds (a submodule, or an attribute)."""
    try:
        return importlib.import_module(f"{module}.{name}")
    except ImportError:
        pass
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def read(module: str, path: Path) -> tuple[ast.Module, Bindings, list[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = owner_of(module)
    bindings = Bindings(modules={}, models={})
    private: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.split(".")[0] in TOP_PACKAGES:
                    bindings.modules[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node, path.name == "__init__.py")
            if source.split(".")[0] not in TOP_PACKAGES:
                continue
            foreign = owner_of(source) != me
            for alias in node.names:
                local = alias.asname or alias.name
                if foreign and is_private(alias.name):
                    private.append(f"{module}:{node.lineno} imports {source}.{alias.name}")
                bound = resolve(source, alias.name)
                if isinstance(bound, type(importlib)):
                    bindings.modules[local] = bound.__name__
                elif isinstance(bound, type) and issubclass(bound, models.Model):
                    bindings.models[local] = bound
    return tree, bindings, private


def objects_base(node: ast.expr) -> str | None:
    """``Name`` in ``Name.objects.<...>.<method>``: walk down the chain of calls."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.value
        else:
            return None


def problems() -> tuple[list[str], list[str], set[tuple[str, str]]]:
    private_uses: list[str] = []
    writes: list[str] = []
    allowed: set[tuple[str, str]] = set()
    for module, path in source_modules():
        me = owner_of(module)
        tree, bindings, private = read(module, path)
        private_uses += private
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bindings.modules
                and is_private(node.attr)
                and owner_of(bindings.modules[node.value.id]) != me
            ):
                private_uses.append(
                    f"{module}:{node.lineno} uses {bindings.modules[node.value.id]}.{node.attr}"
                )
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                continue
            name = objects_base(node.func.value)
            model = bindings.models.get(name) if name else None
            if model is None or model._meta.app_config.name == me:
                continue
            if (module, model.__name__) in ALLOWED_WRITES:
                allowed.add((module, model.__name__))
                continue
            writes.append(
                f"{module}:{node.lineno} {model.__name__}.objects...{node.func.attr}() "
                f"(owned by {model._meta.app_config.name})"
            )
    return private_uses, writes, allowed


@pytest.fixture(scope="module")
def found() -> tuple[list[str], list[str], set[tuple[str, str]]]:
    return problems()


def test_the_scan_reads_every_app():
    modules = {module for module, _ in source_modules()}
    assert {"schools.models", "outcomes.selectors", "partnership.school_api"} <= modules
    assert {owner_of(m) for m in modules} >= {
        "pep_portal.accounts",
        "pep_portal.nightly",
        "schools",
        "outcomes",
        "actionplan",
        "consultation",
        "partnership",
    }
    assert not any(".migrations." in m for m in modules)


def test_the_scan_sees_a_write_and_a_private_import(tmp_path):
    """The checks find what they look for (a module written for the purpose)."""
    path = tmp_path / "probe.py"
    path.write_text(
        "from schools.models import School\n"
        "from schools.selectors import _visible\n"
        "from schools import selectors as register\n"
        "School.objects.filter(urn=1).update(name='x')\n"
        "register._hidden()\n"
    )
    tree, bindings, private = read("partnership.probe", path)
    assert private == ["partnership.probe:2 imports schools.selectors._visible"]
    assert bindings.models == {"School": apps.get_model("schools", "School")}
    assert bindings.modules == {"register": "schools.selectors"}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [objects_base(c.func) for c in calls if isinstance(c.func, ast.Attribute)][0] == (
        "School"
    )


def test_no_app_imports_another_apps_private_names(found):
    private_uses, _, _ = found
    assert private_uses == []


def test_no_app_writes_models_another_app_owns(found):
    _, writes, _ = found
    assert writes == []


def test_every_allowed_write_is_still_there(found):
    """An allowance whose write has gone is taken off the list (it only shrinks)."""
    _, _, allowed = found
    assert set(ALLOWED_WRITES) - allowed == set()
