"""Demo data for the portal: the loaders each app contributes, and the demo logins.

Each app declares its loaders in its own ``demo`` module with ``@demo_loader(order=...)``:
``manage.py load_demo`` finds those modules with Django's ``autodiscover_modules("demo")``
(the portal never imports the apps above it) and calls every loader, lowest order first:

    10 schools (the register)   20 outcomes (results)   30 actionplan   40 consultation
    50 partnership   60 schools' own data   70 predictions   80 the demo logins (pep_portal.accounts.demo)
    90 the nightly run (pep_portal.nightly.demo)   95 partnership: board members' logins

Every loader is idempotent: running load_demo twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

Loader = Callable[..., object]


@dataclass(frozen=True)
class DemoLoader:
    order: int
    key: str  # module.function: registering again (a module imported twice) replaces it
    load: Loader
    name: str = ""  # when given, load_demo prints "Loading demo data: <name>" first


DEMO_LOADERS: dict[str, DemoLoader] = {}


def demo_loader(order: int, *, name: str = "") -> Callable[[Loader], Loader]:
    """Register ``func(stdout=None)`` as a demo loader run at ``order`` (lower first)."""

    def register(func: Loader) -> Loader:
        key = f"{func.__module__}.{func.__qualname__}"
        DEMO_LOADERS[key] = DemoLoader(order=order, key=key, load=func, name=name)
        return func

    return register


def demo_loaders() -> list[DemoLoader]:
    """Every installed app's demo loaders, in the order they run."""
    autodiscover_modules("demo")
    return sorted(DEMO_LOADERS.values(), key=lambda loader: (loader.order, loader.key))


def load_all(stdout=None) -> list[dict]:
    """Run every demo loader; the demo logins made (what load_demo prints last)."""
    from pep_portal.accounts.demo import load_users

    users: list[dict] = []
    for loader in demo_loaders():
        if stdout and loader.name:
            stdout.write(f"Loading demo data: {loader.name}")
        result = loader.load(stdout=stdout)
        if loader.load is load_users:
            users = result  # type: ignore[assignment]
    return users
