from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django import template

from ita.accounts.policy import may_use_admin
from ita.assessments.calendar import display_moment
from ita.lib.rounding import display
from ita.web.i18n import local_text

register = template.Library()


@register.filter
def score(value: Fraction | None) -> str:
    """A score as printed everywhere: two decimals, rounded half-up; '–' when hidden or missing."""
    return "–" if value is None else display(value)


@register.filter
def bedate(value: dt.date | dt.datetime | None, part: str = "datetime") -> str:
    """A date or moment as every page prints it (``|bedate``, or ``|bedate:"date"`` for the day
    only): Buddhist Era on Thai pages, '25 Nov 2026 14:05' in English; '–' when missing."""
    if value is None or value == "":
        return "–"
    return display_moment(value, only_day=part == "date")


@register.simple_tag
def offers_admin(user: Any) -> bool:
    """Whether the menu shows the admin link: the access policy decides (`may_use_admin`)."""
    return may_use_admin(user)


@register.filter
def local(obj: Any, field: str = "name") -> str:
    """A row's name in the page's language (``{{ unit|local }}``, ``{{ question|local:"text" }}``)."""
    return local_text(obj, field)
