"""Text bound for a spreadsheet cell (CSV, XLSX). No Django imports."""

from __future__ import annotations

from typing import Any

# What makes Excel, LibreOffice or Google Sheets run a cell as a formula (CSV injection):
# = + - @ and their full-width forms, or a leading tab or carriage return.
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
