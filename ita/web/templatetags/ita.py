from __future__ import annotations

from fractions import Fraction

from django import template

from ita.lib.rounding import display

register = template.Library()


@register.filter
def score(value: Fraction | None) -> str:
    """A score as printed everywhere: two decimals, rounded half-up; '–' when hidden or missing."""
    return "–" if value is None else display(value)
