"""The API's filter backend (its own module: DRF loads it from settings while it starts)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters.rest_framework import DjangoFilterBackend

from pep_portal.platform.params import DB_INT_MAX, DB_INT_MIN

_IN_RANGE = f"Use a number from {DB_INT_MIN} to {DB_INT_MAX}."


class BoundedFilterBackend(DjangoFilterBackend):
    """django-filter, with every number filter bounded to the database's integer range.

    ``?urn=99999999999999999999`` would otherwise reach the query and overflow the column (a
    500 on SQLite and PostgreSQL); bounded, it is a 400 naming the parameter.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.DecimalField | forms.IntegerField):
                    field.validators = [
                        *field.validators,
                        MinValueValidator(DB_INT_MIN, message=_IN_RANGE),
                        MaxValueValidator(DB_INT_MAX, message=_IN_RANGE),
                    ]
        return filterset
