"""The form page shared by the partnership's pages: validate, call one service, flash a
message, redirect; a refused write goes back onto the form. And the form a detail page shows
to those who may use it (``page_form``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pep_portal.platform.form_pages import form_saved


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
    if saved := form_saved(request, form, save, message=message, error_field=error_field):
        return success(saved.result)
    context = form_context(form, title, **ctx)
    if back is not None:
        context["back"] = back
    return render(request, "partnership/form_page.html", context)


def page_form(
    request,
    form_class: type[BaseForm],
    *,
    allowed: bool,
    save: Callable[[dict], Any],
    message: str,
    **form_kwargs,
) -> tuple[BaseForm | None, HttpResponse | None]:
    """The form a detail page shows to those ``allowed``, and the answer to a post when the
    post decides it: ``(form, None)`` to show the page, ``(form, the page again)`` once a
    valid post is saved (``message`` flashed), ``(None, 405)`` for a post from anyone else
    (who sees the page without the form)."""
    if not allowed:
        return None, HttpResponse(status=405) if request.method == "POST" else None
    form = form_class(request.POST or None, **form_kwargs)
    if form_saved(request, form, save, message=message):
        return form, redirect(request.path)
    return form, None
