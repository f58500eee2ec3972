from django import template

from schools.models import OfstedGrade, OfstedInspection

register = template.Library()

_GRADES = dict(OfstedGrade.choices)
_FRAMEWORKS = dict(OfstedInspection.Framework.choices)


@register.filter
def ofsted_grade(value) -> str:
    """1 -> 'Outstanding'; blank where there is no overall grade."""
    return _GRADES.get(value, "") if value is not None else ""


@register.filter
def ofsted_framework(value) -> str:
    return _FRAMEWORKS.get(value, "")
