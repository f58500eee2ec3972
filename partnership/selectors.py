"""Reads shared by the partnership's subpackages (governance, support, categorisation,
dashboards). Each subpackage keeps its own reads in its ``selectors`` module."""

from __future__ import annotations

from django.db.models import QuerySet

from schools.models import School


def partnership_schools() -> QuerySet[School]:
    return School.objects.filter(la__in_partnership=True).exclude(status=School.Status.CLOSED)
