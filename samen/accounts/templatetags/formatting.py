"""``{{ amount|euro }}``, ``{{ hours|hours }}`` and ``{{ points|number }}``: money and numbers
written one way per language.

Dates need no filter of their own: ``{{ day|date }}`` writes DATE_FORMAT, and
``|date:"DATETIME_FORMAT"`` / ``|date:"YEAR_MONTH_FORMAT"`` the others. The rules are in
``samen/formatting.py``."""

from django import template

from samen.formatting import format_euro, format_hours, format_number

register = template.Library()


@register.filter
def euro(value) -> str:
    """Writes "€ 3,25" in Dutch, "€3.25" in English; empty for no value."""
    return format_euro(value)


@register.filter
def hours(value) -> str:
    """Writes "3", "2,5", "0,25": no trailing zeros; empty for no value."""
    return format_hours(value)


@register.filter
def number(value) -> str:
    """Writes "3", "2,5", "12,75": at most two decimals, no trailing zeros; empty for no value."""
    return format_number(value)
