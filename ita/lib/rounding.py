"""Exact arithmetic for scores and the half-up rounding used only for display.

Scores are kept as :class:`fractions.Fraction` so that a figure such as the reference
report's EIT component (0.30 x mean(95.78, 94.07, 94.30) = 28.415 exactly) rounds the way
a person with a calculator rounds it (28.42), not the way a binary float does (28.41).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

TWO_PLACES = Decimal("0.01")


def exact(value: int | str | Decimal | Fraction) -> Fraction:
    """Turn a stored number into an exact fraction (floats are refused: they are not exact)."""
    if isinstance(value, float):
        raise TypeError("scores must not be floats; pass a str, int, Decimal or Fraction")
    return Fraction(value)


def mean(values: Iterable[Fraction]) -> Fraction | None:
    """The arithmetic mean, or None for an empty sequence."""
    items = list(values)
    if not items:
        return None
    return sum(items, Fraction(0)) / len(items)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact value half-up to ``places`` decimals (2.345 -> 2.35, -2.345 -> -2.35)."""
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    signed = -whole if value < 0 else whole
    return (Decimal(signed) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def display(value: Fraction | None, places: int = 2) -> str:
    """A score as it is printed: two decimals, half-up; '-' when there is no value."""
    if value is None:
        return "-"
    return f"{round_half_up(value, places):.{places}f}"


def to_decimal(value: Fraction | None, places: int = 2) -> Decimal | None:
    return None if value is None else round_half_up(value, places)
