"""The reference report's figures (part 2) as golden tests of the engine."""

import dataclasses
from fractions import Fraction

from ita.frameworks.spec import FrameworkSpec, OitItem
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
    assert display(card.indicators["9"]) == "95.00"  # mean(100, 100, 100, 75, 100), the shipped rule
    assert display(card.tools["OIT"].points) == "39.00"  # 0.4 x mean(95, 100) = 0.4 x 97.5
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


# --- the aggregation rule of indicators 9 and 10 (docs/scoring.md) ---------------------------


def test_the_shipped_rule_reproduces_a_published_2566_esa_figure_the_other_rule_cannot() -> None:
    # สพป.สกลนคร เขต 1 published indicator 10 = 87.5 for 2566 (S4). Two of 10.1's eight items
    # failed: (6/8 = 75 + 5/5 = 100) / 2 = 87.5. A mean of the 13 items gives k/13, never 87.5.
    card = score_unit(esa_spec(), input_with_indicator_scores(esa_spec(), REPORT, failed=("O31", "O32")))
    assert esa_spec().rule_for(esa_spec().indicator("10")) == "mean_of_subindicators"
    assert display(card.sub_indicators["10.1"]) == "75.00"
    assert display(card.indicators["10"]) == "87.50"
    assert all(display(Fraction(100 * k, 13)) != "87.50" for k in range(14))


def test_the_worked_example_of_docs_scoring_gives_93_94_by_items_and_93_78_by_sub_indicators() -> None:
    # Indicator 9 with 33 items in five sub-indicators, 9.1 of 9 items and 9.5 of 5; one item
    # fails in 9.1 and one in 9.5. By items: 31/33 = 93.94. By sub-indicators:
    # (100 x 8/9 + 100 + 100 + 100 + 100 x 4/5) / 5 = 93.78.
    spec = indicator_9_of_sizes(esa_spec(), (9, 8, 6, 5, 5))
    oit = {item.code: item.code not in ("X1", "X33") for item in spec.oit_items}
    by_items = score_unit(dataclasses.replace(spec, aggregation="mean_of_items"), UnitInput(oit=oit))
    by_subs = score_unit(dataclasses.replace(spec, aggregation="mean_of_subindicators"), UnitInput(oit=oit))
    assert (display(by_items.indicators["9"]), display(by_subs.indicators["9"])) == ("93.94", "93.78")
    assert display(by_subs.sub_indicators["9.1"]) == "88.89" and display(by_subs.sub_indicators["9.5"]) == "80.00"


def indicator_9_of_sizes(spec: FrameworkSpec, sizes: tuple[int, ...]) -> FrameworkSpec:
    """The framework with indicator 9's sub-indicators holding the given numbers of items (X1...)."""
    nine = spec.indicator("9")
    codes = iter(f"X{n}" for n in range(1, sum(sizes) + 1))
    subs = tuple(
        dataclasses.replace(sub, items=tuple(OitItem(next(codes), sub.number, "", "", "") for _ in range(size)))
        for sub, size in zip(nine.sub_indicators, sizes, strict=True)
    )
    replaced = dataclasses.replace(nine, sub_indicators=subs)
    return dataclasses.replace(spec, indicators=tuple(replaced if i.number == "9" else i for i in spec.indicators))
