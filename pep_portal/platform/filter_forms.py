"""The filters of a list page (a GET form), and what happens when one cannot be applied.

A filter value the form refuses (a model or LA that is not a choice, a date that is not a
date: often a bookmarked or hand-edited link) is said on the page, naming the field and the
value given, and the list shows nothing. Dropping the bad value instead would show more than
was asked for, looking like the answer to the question that was asked.

    form = ThingFilterForm(request.GET or None)
    filters = form.applied()  # None: a value was refused; {}: no filters
    things = [] if filters is None else selectors.thing_list(user=request.user, **filters)

The page includes ``includes/filter_problems.html`` with the form. A download of the list
(CSV, XLSX) has no page to say it on: ``refuse_if_invalid()`` answers 400 with the same words.
"""

from __future__ import annotations

from django import forms

from .params import BadParameter

_SHOWN_VALUE_MAX = 60


class FilterForm(forms.Form):
    def applied(self) -> dict | None:
        """The filters given (blank ones dropped), {} when none, None when any was refused."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}

    def problems(self) -> list[str]:
        """One line per refused filter: its label, the value given, and what is wrong."""
        if not self.is_bound:
            return []
        lines = []
        for name, messages in self.errors.items():
            field = self.fields.get(name)
            if field is None:
                lines.extend(messages)
                continue
            label = field.label or name.replace("_", " ").capitalize()
            text = " ".join(messages)
            value = self[name].value()
            shown = str(value)[:_SHOWN_VALUE_MAX] if value not in (None, "") else ""
            if shown and shown not in text:
                text = f"{text.rstrip('.')} (given: “{shown}”)."
            lines.append(f"{label}: {text}")
        return lines

    def refuse_if_invalid(self) -> None:
        """BadParameter (a 400 saying what was wrong) when a filter was refused."""
        if self.applied() is None:
            raise BadParameter(next(iter(self.errors)), " ".join(self.problems()))


def choice_filter(data, *, name: str, label: str, choices) -> FilterForm:
    """A list's one filter, a choice among ``choices`` or any (``?status=active``), as a
    FilterForm bound to ``data`` (request.GET): ``applied()`` gives {name: value}, {} or None."""
    field = forms.ChoiceField(label=label, required=False, choices=[("", "Any"), *choices])
    form_class = type("ChoiceFilterForm", (FilterForm,), {name: field})
    return form_class(data)
