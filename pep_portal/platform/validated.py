"""How a single-object service writes: the model's own checks (``full_clean``), then save.

Services call it so that a rule the model declares (field limits, ``clean()``, constraints)
holds whether the write comes from a page, the API, an import or the shell.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


def save_validated(obj: _M) -> _M:
    """``obj.full_clean()`` then ``obj.save()``; ValidationError when a check fails."""
    obj.full_clean()
    obj.save()
    return obj
