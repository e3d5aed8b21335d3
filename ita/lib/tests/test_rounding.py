from decimal import Decimal
from fractions import Fraction

import pytest

from ita.lib.rounding import display, exact, mean, round_half_up
from ita.lib.thai import fiscal_year_bounds, fiscal_year_of, thai_date, thai_digits


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("28.415", "28.42"),
        ("28.4149", "28.41"),
        ("84.995", "85.00"),
        ("94.99", "94.99"),
        ("-0.165", "-0.17"),
        ("0.005", "0.01"),
        ("100", "100.00"),
    ],
)
def test_display_rounds_half_up_to_two_places(value: str, shown: str) -> None:
    assert display(Fraction(value)) == shown


def test_the_report_eit_component_rounds_up_where_a_float_would_round_down() -> None:
    component = mean([Fraction("95.78"), Fraction("94.07"), Fraction("94.30")]) * Fraction("0.3")  # type: ignore[operator]
    assert component == Fraction("28.415")
    assert round(float(component), 2) == 28.41  # what binary floats give
    assert round_half_up(component) == Decimal("28.42")


def test_missing_values_display_as_a_dash_and_floats_are_refused() -> None:
    assert display(None) == "-"
    assert mean([]) is None
    with pytest.raises(TypeError):
        exact(0.3)  # type: ignore[arg-type]


def test_thai_fiscal_year_and_dates() -> None:
    import datetime as dt

    assert fiscal_year_bounds(2566) == (dt.date(2022, 10, 1), dt.date(2023, 9, 30))
    assert fiscal_year_of(dt.date(2022, 10, 1)) == 2566
    assert fiscal_year_of(dt.date(2023, 9, 30)) == 2566
    assert thai_date(dt.date(2023, 9, 30)) == "30 กันยายน 2566"
    assert thai_digits("96.77") == "๙๖.๗๗"
