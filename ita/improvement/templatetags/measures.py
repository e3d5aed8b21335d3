from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from ita.lib import thai

register = template.Library()


@register.filter
def thai_date(value: dt.date | None) -> str:
    return thai.thai_date(value) if value else ""


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None
