from __future__ import annotations

from fractions import Fraction

from django import template

register = template.Library()


@register.filter
def weight_points(weight: Fraction) -> str:
    """A tool's weight as the points it carries out of 100 (3/10 -> "30")."""
    points = weight * 100
    return str(points.numerator) if points.denominator == 1 else f"{float(points):g}"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (pagination links keep filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return str(params.urlencode())
