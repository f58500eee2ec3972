"""The form page shared by the partnership's pages: validate, call one service, flash a
message, redirect; a refused write goes back onto the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse


def error_messages(exc: ValidationError) -> list[str]:
    return exc.messages


def form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def form_context(form, title, board=None, meeting=None, multipart=False, intro=""):
    back = (
        reverse("partnership:meeting_detail", args=[meeting.pk])
        if meeting
        else reverse("partnership:board_detail", args=[board.slug])
        if board
        else None
    )
    return {
        "form": form,
        "title": title,
        "back": back,
        "multipart": multipart,
        "intro": intro,
    }


def form_page(
    request,
    form,
    *,
    save: Callable[[dict], Any],
    success: Callable[[Any], HttpResponse],
    title: str,
    message: str | Callable[[Any], str] = "",
    back: str | None = None,
    error_field: str | None = None,
    **ctx,
) -> HttpResponse:
    """Shared form page: on a valid POST call ``save(cleaned_data)``, return ``success(result)``.

    ``message`` (text, or made from the result) is flashed on success. A ValidationError from
    ``save`` goes onto the form (all onto ``error_field`` if given) and the page is shown again.
    ``back`` overrides the Cancel link; ``ctx`` goes to ``form_context`` (board, meeting, ...).
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            if error_field:
                for error in exc.messages:
                    form.add_error(error_field, error)
            else:
                form_error(form, exc)
        else:
            if message:
                messages.success(request, message(result) if callable(message) else message)
            return success(result)
    context = form_context(form, title, **ctx)
    if back is not None:
        context["back"] = back
    return render(request, "partnership/form_page.html", context)
