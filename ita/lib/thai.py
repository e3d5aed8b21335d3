"""Thai digits and Buddhist Era dates."""

from __future__ import annotations

import datetime as dt

BE_OFFSET = 543
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MONTHS_TH = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
_MONTHS_TH_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def thai_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """Thai government fiscal year: FY 2566 runs 1 Oct 2022 - 30 Sep 2023."""
    ce = fiscal_year_be - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def fiscal_year_of(day: dt.date) -> int:
    """The Buddhist Era fiscal year a day belongs to."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def thai_date(day: dt.date, digits: bool = False) -> str:
    """'1 ตุลาคม 2565' (optionally in Thai digits)."""
    text = f"{day.day} {_MONTHS_TH[day.month - 1]} {be_year(day.year)}"
    return thai_digits(text) if digits else text


def thai_short_date(day: dt.date, digits: bool = False) -> str:
    """'25 พ.ย. 2569': the abbreviated month and the Buddhist Era year (optionally Thai digits)."""
    text = f"{day.day} {_MONTHS_TH_SHORT[day.month - 1]} {be_year(day.year)}"
    return thai_digits(text) if digits else text


def thai_datetime(moment: dt.datetime, digits: bool = False) -> str:
    """'25 พ.ย. 2569 14:05 น.' for a moment already in local time."""
    text = f"{thai_short_date(moment.date())} {moment:%H:%M} น."
    return thai_digits(text) if digits else text
