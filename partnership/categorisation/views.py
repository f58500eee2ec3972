"""Pages for categorisation and letters of concern."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from pep_portal.accounts.permissions import permission_required
from pep_portal.platform.filter_forms import choice_filter
from schools.models import School

from ..form_pages import form_page, page_form
from ..support import selectors as support_selectors
from . import selectors, services
from .forms import (
    CategorisationForm,
    CategorisationReviewForm,
    LetterForm,
    LetterResponseForm,
    LetterSentForm,
)
from .models import Concern

# --- Categorisation -------------------------------------------------------------------------


@permission_required("partnership.view_categorisation_list")
def categorisation_list(request):
    schools = list(selectors.categorisation_school_list(user=request.user).order_by("name"))
    ids = [s.pk for s in schools]
    latest = selectors.latest_categorisations(school_ids=ids)
    suggestions = selectors.concern_suggestions(school_ids=ids)
    rows = [
        {
            "school": s,
            "decision": latest.get(s.pk),
            "suggestion": suggestions.get(s.pk),
        }
        for s in schools
    ]
    filter_form = choice_filter(
        request.GET, name="category", label="Latest decision", choices=Concern.choices
    )
    filters = filter_form.applied()  # None: refused; the page says why and lists none
    if filters is None:
        rows = []
    elif filters:
        category = filters["category"]
        rows = [r for r in rows if r["decision"] and r["decision"].category == category]
    return render(
        request,
        "partnership/categorisation_list.html",
        {
            "rows": rows,
            "category": request.GET.get("category", ""),
            "filter_form": filter_form,
            "categories": Concern.choices,
            "reviews": selectors.categorisation_review_list()[:10],
            "can_record": request.user.has_perm("partnership.record_categorisation"),
            "any_suggestion": any(r["suggestion"] for r in rows),
        },
    )


def _school(request, pk):
    return get_object_or_404(School, pk=pk)


@permission_required("partnership.view_school_categorisation", fn=_school)
def categorisation_school(request, pk):
    school = _school(request, pk)
    form, answer = page_form(
        request,
        CategorisationForm,
        allowed=request.user.has_perm("partnership.record_categorisation"),
        save=lambda data: services.categorisation_record(
            school=school, recorded_by=request.user, **data
        ),
        message="Decision recorded.",
    )
    if answer is not None:
        return answer
    return render(
        request,
        "partnership/categorisation_school.html",
        {
            "school": school,
            "history": selectors.categorisation_history(school=school),
            "suggestion": selectors.concern_suggestion(school=school),
            "form": form,
            "deployments": support_selectors.deployment_list(user=request.user).filter(
                supported_school=school
            ),
        },
    )


@permission_required("partnership.record_categorisation")
def categorisation_review_create(request):
    return form_page(
        request,
        CategorisationReviewForm(request.POST or None),
        save=lambda data: services.categorisation_review_create(**data),
        success=lambda review: redirect("partnership:categorisation_list"),
        message=lambda review: f"Review “{review}” created: record decisions per school.",
        title="New categorisation review",
        back=reverse("partnership:categorisation_list"),
    )


# --- Letters of concern ---------------------------------------------------------------------


@permission_required("partnership.manage_letters")
def letter_list(request):
    today = timezone.localdate()
    letters = [
        (letter, letter.status_on(today)) for letter in selectors.letter_list(user=request.user)
    ]
    return render(request, "partnership/letter_list.html", {"letters": letters})


@permission_required("partnership.manage_letters")
def letter_create(request):
    return form_page(
        request,
        LetterForm(request.POST or None),
        save=lambda data: services.letter_generate(created_by=request.user, **data),
        success=lambda letter: redirect("partnership:letter_detail", pk=letter.pk),
        title="Generate a letter of concern",
        back=reverse("partnership:letter_list"),
    )


@permission_required("partnership.manage_letters")
def letter_detail(request, pk):
    letter = get_object_or_404(selectors.letter_list(user=request.user), pk=pk)
    sent_form = LetterSentForm(prefix="sent")
    response_form = LetterResponseForm(prefix="response")
    if request.method == "POST":
        try:
            if "sent-sent_on" in request.POST:
                sent_form = LetterSentForm(request.POST, prefix="sent")
                if sent_form.is_valid():
                    services.letter_mark_sent(letter=letter, **sent_form.cleaned_data)
                    messages.success(request, "Recorded as sent.")
                    return redirect("partnership:letter_detail", pk=letter.pk)
            else:
                response_form = LetterResponseForm(request.POST, prefix="response")
                if response_form.is_valid():
                    services.letter_record_response(letter=letter, **response_form.cleaned_data)
                    messages.success(request, "Response recorded.")
                    return redirect("partnership:letter_detail", pk=letter.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return render(
        request,
        "partnership/letter_detail.html",
        {
            "letter": letter,
            "status": letter.status_on(timezone.localdate()),
            "sent_form": sent_form,
            "response_form": response_form,
        },
    )
