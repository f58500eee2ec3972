"""What every page that changes something does with a post (pep_portal/platform/form_pages.py)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from pep_portal.platform.form_pages import action_done, fields, form_saved


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def _post(data=None):
    request = RequestFactory().post("/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _said(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_a_valid_post_is_saved_and_said():
    request = _post({"name": "Harbour"})
    form = NameForm(request.POST)
    saved = form_saved(
        request, form, lambda data: data["name"].upper(), message=lambda r: f"{r} saved."
    )
    assert saved and saved.result == "HARBOUR"
    assert _said(request) == [("success", "HARBOUR saved.")]


def test_a_service_that_returns_nothing_still_counts_as_saved():
    request = _post({"name": "Harbour"})
    assert form_saved(request, NameForm(request.POST), lambda data: None)


def test_a_refusal_naming_a_field_stands_on_that_field_and_nothing_is_said():
    request = _post({"name": "Harbour"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "Taken.", "elsewhere": "Not a field of the form."})

    assert form_saved(request, form, refuse, message="Saved.") is None
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field of the form."]
    assert _said(request) == []


def test_a_refusal_can_be_put_on_one_field():
    request = _post({"name": "Harbour"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError(["Too late.", "Closed."])

    assert form_saved(request, form, refuse, error_field="note") is None
    assert form.errors["note"] == ["Too late.", "Closed."]


def test_nothing_is_saved_on_a_get_or_an_invalid_form():
    called = []
    get = RequestFactory().get("/")
    assert form_saved(get, NameForm(), called.append) is None
    invalid = _post({})
    assert form_saved(invalid, NameForm(invalid.POST), called.append) is None
    assert called == []


def test_a_refused_button_says_every_reason():
    request = _post()

    def refuse():
        raise ValidationError(
            {"closes_at": ["Set a later closing time."], "__all__": ["No questions."]}
        )

    assert action_done(request, refuse, message="Scheduled.") is None
    assert sorted(_said(request)) == [
        ("error", "No questions."),
        ("error", "Set a later closing time."),
    ]


def test_fields_picks_the_named_fields():
    assert fields({"a": 1, "b": 2, "c": 3}, "a", "c") == {"a": 1, "c": 3}
