"""Means over units come from the engine's unrounded figures, not from the rounded ones."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ita.results import queries
from ita.scoring.tests.helpers import esa_spec


def _row(band: str, total: str) -> tuple[str, Decimal, dict[str, str], dict[str, float]]:
    exact = Fraction(Decimal(total))
    shown = Decimal(total).quantize(Decimal("0.01"))
    return band, shown, {"total": f"{exact.numerator}/{exact.denominator}", "n1": "1/3"}, {"n1": 0.33}


def test_the_mean_total_is_taken_before_rounding() -> None:
    spec = esa_spec()
    rows = [_row("A", "80.0049"), _row("A", "80.0049"), _row("A", "80.0149")]
    # The shown totals 80.00, 80.00 and 80.01 average 80.0033 (80.00); the figures themselves 80.0082.
    result = queries.summary_of(spec, rows)
    assert result.mean == Decimal("80.01")
    assert result.exact_mean == (Fraction("80.0049") * 2 + Fraction("80.0149")) / 3
    assert dict((n, m) for n, _name, m in result.indicators)["1"] == Decimal("0.33")


def test_combined_groups_equal_the_whole_exactly() -> None:
    spec = esa_spec()
    a = [_row("A", "80.0049"), _row("A", "80.0049")]
    b = [_row("AA", "80.0149"), ("", None, {}, {})]
    whole = queries.summary_of(spec, a + b)
    combined = queries.combine(spec, [queries.summary_of(spec, a), queries.summary_of(spec, b)])
    assert (combined.n, combined.scored, combined.exact_mean, combined.mean) == (
        4,
        3,
        whole.exact_mean,
        Decimal("80.01"),
    )
    assert dict(combined.bands)["AA"] == 1


def test_the_page_says_the_total_is_computed_before_rounding_when_shown_points_do_not_add_up() -> None:
    from ita.results.unit_page import rounded_apart
    from ita.scoring.engine import score_unit
    from ita.scoring.tests.helpers import input_with_indicator_scores

    spec = esa_spec()
    numbers = [i.number for t in ("IIT", "EIT") for i in spec.indicators_of(t)]
    apart = score_unit(spec, input_with_indicator_scores(spec, dict.fromkeys(numbers, "91.65")))
    # 27.495 + 27.495 + 40 = 94.99, shown as 27.50 + 27.50 + 40.00 = 95.00.
    assert [str(round(float(t.points or 0), 3)) for t in apart.tools.values()] == ["27.495", "27.495", "40.0"]
    assert rounded_apart(apart) is True
    together = score_unit(spec, input_with_indicator_scores(spec, dict.fromkeys(numbers, "90")))
    assert rounded_apart(together) is False
