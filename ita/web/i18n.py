"""Names stored in two languages (``name_th``/``name_en``, ``text_th``/``text_en``): the one of
the page's language, Thai when there is no English."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def local_text(obj: Any, field: str = "name") -> str:
    thai = str(getattr(obj, f"{field}_th", "") or "")
    if (translation.get_language() or "th").startswith("en"):
        return str(getattr(obj, f"{field}_en", "") or "") or thai
    return thai
