"""What every page that changes something does with a post: validate the form, call one
service, flash what happened, and put a refusal (the service's ValidationError) where people
read it: onto the form's fields, or as messages when the page has no form to show again.

    if saved := form_saved(request, form, lambda data: services.thing_create(**data),
                           message="Thing added."):
        return redirect("thing_detail", pk=saved.result.pk)
    return render(request, "thing_form.html", {"form": form})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

Message = str | Callable[[Any], str]


@dataclass(frozen=True)
class Saved:
    """The service's answer to a post it accepted (truthy even when that answer is None)."""

    result: Any


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a refusal, whether it names fields or not."""
    if hasattr(exc, "error_dict"):
        return [m for field_messages in exc.message_dict.values() for m in field_messages]
    return list(exc.messages)


def errors_onto_form(form: BaseForm, exc: ValidationError, *, field: str | None = None) -> None:
    """A refusal onto the form: each message on the field it names (when the form has that
    field), otherwise on ``field`` (None: above the form)."""
    if hasattr(exc, "error_dict") and field is None:
        for name, field_messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, field_messages)
    else:
        form.add_error(field, exc.messages)


def fields(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named fields of a form's cleaned data, to pass to a service as keywords."""
    return {name: data[name] for name in names}


def _flash(request: HttpRequest, message: Message, result: Any) -> None:
    if message:
        messages.success(request, message(result) if callable(message) else message)


def form_saved(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    message: Message = "",
    error_field: str | None = None,
) -> Saved | None:
    """On a valid POST, ``save(form.cleaned_data)`` and flash ``message`` (text, or made from
    the result). None when nothing was saved: not a POST, an invalid form, or a refusal, which
    then stands on the form (all on ``error_field`` when given)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        errors_onto_form(form, exc, field=error_field)
        return None
    _flash(request, message, result)
    return Saved(result)


def action_done(
    request: HttpRequest, action: Callable[[], Any], *, message: Message = ""
) -> Saved | None:
    """A post with no form to show again (a button): run ``action``, flash ``message`` when
    it is done, or each message of its refusal as an error."""
    try:
        result = action()
    except ValidationError as exc:
        for text in error_messages(exc):
            messages.error(request, text)
        return None
    _flash(request, message, result)
    return Saved(result)
