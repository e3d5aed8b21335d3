"""The reference report's figures (part 2) as golden tests of the engine."""

from fractions import Fraction

from ita.lib.rounding import display
from ita.scoring.engine import UnitInput, score_unit, signed, trend
from ita.scoring.tests.helpers import esa_spec, input_with_indicator_scores

REPORT = {
    "1": "97.75",
    "2": "90.76",
    "3": "96.22",
    "4": "94.06",
    "5": "93.87",
    "6": "95.78",
    "7": "94.07",
    "8": "94.30",
}


def test_the_reports_indicator_scores_give_its_tool_scores_total_and_band() -> None:
    card = score_unit(esa_spec(), input_with_indicator_scores(esa_spec(), REPORT))
    assert {code: display(t.points) for code, t in card.tools.items()} == {
        "IIT": "28.36",
        "EIT": "28.42",
        "OIT": "40.00",
    }
    assert display(card.total) == "96.77"
    assert card.band is not None and card.band.code == "AA"
    assert card.passed is True
    assert card.complete
    assert {n: display(card.indicators[n]) for n in REPORT} == REPORT
    assert display(card.indicators["9"]) == display(card.indicators["10"]) == "100.00"
    assert all(display(v) == "100.00" for v in card.sub_indicators.values())


def test_the_reports_history_gives_its_directions_and_differences() -> None:
    history = [
        (2558, "63.37"),
        (2559, "81.34"),
        (2560, "89.68"),
        (2561, "91.67"),
        (2562, "91.25"),
        (2563, "89.79"),
        (2564, "87.91"),
        (2565, "96.94"),
        (2566, "96.7746"),
    ]
    rows = trend([(year, Fraction(total)) for year, total in history])
    assert [(r.year, r.direction, signed(r.difference)) for r in rows] == [
        (2558, None, "-"),
        (2559, "เพิ่มขึ้น", "+17.97"),
        (2560, "เพิ่มขึ้น", "+8.34"),
        (2561, "เพิ่มขึ้น", "+1.99"),
        (2562, "ลดลง", "-0.42"),
        (2563, "ลดลง", "-1.46"),
        (2564, "ลดลง", "-1.88"),
        (2565, "เพิ่มขึ้น", "+9.03"),
        (2566, "ลดลง", "-0.17"),
    ]


def test_a_failed_oit_item_lowers_its_sub_indicator_and_indicator_by_the_items_share() -> None:
    card = score_unit(esa_spec(), input_with_indicator_scores(esa_spec(), REPORT, failed=("O24",)))
    assert display(card.sub_indicators["9.4"]) == "75.00"  # 3 of 4 items
    assert display(card.indicators["9"]) == "96.67"  # 29 of 30 items (mean of items, the report's rule)
    assert display(card.tools["OIT"].points) == "39.33"  # 0.4 x mean(96.67, 100) = 0.4 x 98.33
    assert card.oit_items["O24"] == 0


def test_a_unit_without_answers_or_decisions_has_no_total_and_says_what_is_missing() -> None:
    card = score_unit(esa_spec(), UnitInput())
    assert card.total is None and card.band is None and card.passed is None
    assert card.missing == ("IIT", "EIT", "OIT")


def test_an_undecided_oit_item_counts_zero_and_is_listed_as_missing() -> None:
    data = input_with_indicator_scores(esa_spec(), REPORT)
    decisions = dict(data.oit)
    del decisions["O1"]
    card = score_unit(esa_spec(), UnitInput(tallies=data.tallies, respondents=data.respondents, oit=decisions))
    assert card.missing == ("OIT:O1",)
    assert card.oit_items["O1"] is None
    assert display(card.sub_indicators["9.1"]) == "90.00"


def test_a_survey_tool_below_the_minimum_group_size_shows_no_score() -> None:
    data = input_with_indicator_scores(esa_spec(), REPORT, respondents=4)
    card = score_unit(esa_spec(), data)
    assert card.suppressed == ("IIT", "EIT")
    assert all(card.indicators[n] is None for n in REPORT)
    assert all(v is None for v in card.questions.values())
    assert card.total is None


def test_a_short_sample_is_flagged_but_still_scored() -> None:
    data = input_with_indicator_scores(esa_spec(), REPORT, respondents=14)
    card = score_unit(
        esa_spec(),
        UnitInput(tallies=data.tallies, respondents=data.respondents, oit=data.oit, population={"IIT": 60, "EIT": 14}),
    )
    assert card.below_sample == ("IIT",)  # IIT needs 25 of 60; EIT has only 14 people, so all 14 suffice
    assert display(card.total) == "96.77"
