"""Properties of the engine that must hold for any data (hypothesis)."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ita.frameworks.spec import FrameworkSpec
from ita.scoring.engine import Tally, UnitInput, score_unit
from ita.scoring.tests.helpers import esa_spec
from ita.surveys.services import tally_responses

SPEC = esa_spec()
SURVEY_ITEMS = [(tool, item) for tool in ("IIT", "EIT") for item in SPEC.sub_items_of(tool)]


@st.composite
def answer_sheets(draw: st.DrawFn) -> dict[str, list[dict[str, int]]]:
    n = draw(st.integers(min_value=5, max_value=12))
    return {
        tool: [
            {item.key: draw(st.integers(0, len(item.scale.options) - 1)) for t, item in SURVEY_ITEMS if t == tool}
            for _ in range(n)
        ]
        for tool in ("IIT", "EIT")
    }


def tallies_of(sheets: dict[str, list[dict[str, int]]]) -> UnitInput:
    totals: dict[str, Tally] = {}
    for tool, item in SURVEY_ITEMS:
        scores = [item.scale.options[sheet[item.key]].score for sheet in sheets[tool]]
        totals[item.key] = Tally(sum(scores, Fraction(0)), len(scores))
    return UnitInput(tallies=totals, respondents={t: len(s) for t, s in sheets.items()})


decisions = st.fixed_dictionaries({item.code: st.booleans() for item in SPEC.oit_items})


@settings(max_examples=60, deadline=None)
@given(answer_sheets(), decisions)
def test_every_score_stays_within_0_and_100(sheets: dict[str, list[dict[str, int]]], oit: dict[str, bool]) -> None:
    card = score_unit(SPEC, dataclasses.replace(tallies_of(sheets), oit=oit))
    values = [
        *card.questions.values(),
        *card.indicators.values(),
        *card.sub_indicators.values(),
        *(t.score for t in card.tools.values()),
        card.total,
    ]
    assert all(v is not None and 0 <= v <= 100 for v in values)


def through_the_tally_path(spec: FrameworkSpec, sheets: list[tuple[str, dict[str, int]]]) -> UnitInput:
    """Raw answer sheets summed as the survey app sums them (`tally_responses`, which scores
    each answer with `option_scores`), turned into engine input as the scoring service does."""
    totals, counts, respondents = tally_responses(spec, sheets)
    tallies = {key: Tally(Fraction(total), counts[key]) for key, total in totals.items()}
    return UnitInput(tallies=tallies, respondents=respondents, oit={item.code: True for item in spec.oit_items})


@settings(max_examples=40, deadline=None)
@given(answer_sheets(), st.randoms(use_true_random=False))
def test_the_order_of_respondents_changes_nothing(sheets: dict[str, list[dict[str, int]]], rnd: random.Random) -> None:
    raw = [(tool, sheet) for tool, rows in sheets.items() for sheet in rows]
    card = score_unit(SPEC, through_the_tally_path(SPEC, raw))
    assert card == score_unit(SPEC, through_the_tally_path(SPEC, rnd.sample(raw, len(raw))))
    # ...and the order-free figure is the right one: each sub-item's mean computed by hand.
    by_hand = {
        item.key: sum((item.scale.options[sheet[item.key]].score for sheet in sheets[tool]), Fraction(0))
        / len(sheets[tool])
        for tool, item in SURVEY_ITEMS
    }
    for question in SPEC.questions_of("IIT") + SPEC.questions_of("EIT"):
        expected = sum((by_hand[i.key] for i in question.items), Fraction(0)) / len(question.items)
        assert card.questions[question.code] == expected


@st.composite
def total_near(draw: st.DrawFn, boundary: str) -> Fraction:
    return Fraction(boundary) + Fraction(draw(st.integers(-999, 999)), 100_000)


def band_of(spec: FrameworkSpec, value: str) -> str:
    return spec.band_for(Fraction(value)).code


def test_band_boundaries_follow_the_displayed_figure() -> None:
    assert band_of(SPEC, "84.995") == "A"  # shown as 85.00
    assert band_of(SPEC, "84.994") == "B"  # shown as 84.99
    assert band_of(SPEC, "85.00") == "A"
    assert band_of(SPEC, "94.99") == "A"
    assert band_of(SPEC, "94.995") == "AA"
    assert band_of(SPEC, "95.00") == "AA"
    assert band_of(SPEC, "49.99") == "F"
    assert band_of(SPEC, "0") == "F"
    assert band_of(SPEC, "100") == "AA"


@given(st.sampled_from(["50", "55", "65", "75", "85", "95"]).flatmap(lambda b: st.tuples(st.just(b), total_near(b))))
def test_a_score_is_in_the_band_whose_range_holds_its_rounded_value(case: tuple[str, Fraction]) -> None:
    boundary, value = case
    upper = SPEC.band_for(Fraction(boundary))
    assert (SPEC.band_for(value) == upper) == (value >= Fraction(boundary) - Fraction(5, 1000))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_both_aggregation_rules_agree_when_sub_indicators_are_the_same_size(data: st.DataObject) -> None:
    spec = equal_sized_oit(SPEC)
    oit = data.draw(st.fixed_dictionaries({item.code: st.booleans() for item in spec.oit_items}))
    by_items = score_unit(with_rule(spec, "mean_of_items"), UnitInput(oit=oit))
    by_subs = score_unit(with_rule(spec, "mean_of_subindicators"), UnitInput(oit=oit))
    assert by_items.indicators["9"] == by_subs.indicators["9"]
    assert by_items.indicators["10"] == by_subs.indicators["10"]


def test_the_rules_differ_when_sub_indicators_differ_in_size() -> None:
    # 9.3 has 4 items and 9.1 has 10: failing one item of 9.3 weighs more by sub-indicator.
    oit = {item.code: item.code != "O19" for item in SPEC.oit_items}
    by_items = score_unit(with_rule(SPEC, "mean_of_items"), UnitInput(oit=oit)).indicators["9"]
    by_subs = score_unit(with_rule(SPEC, "mean_of_subindicators"), UnitInput(oit=oit)).indicators["9"]
    assert by_items == Fraction(2900, 30) and by_subs == Fraction(100 * 4 + 75, 5)


@settings(max_examples=60, deadline=None)
@given(decisions)
def test_each_rule_gives_what_a_hand_calculation_gives(oit: dict[str, bool]) -> None:
    for number in ("9", "10"):
        subs = SPEC.indicator(number).sub_indicators
        passed = [sum(oit[item.code] for item in sub.items) for sub in subs]
        sizes = [len(sub.items) for sub in subs]
        items_rule = Fraction(100 * sum(passed), sum(sizes))
        subs_rule = sum((Fraction(100 * p, n) for p, n in zip(passed, sizes, strict=True)), Fraction(0)) / len(subs)
        assert score_unit(with_rule(SPEC, "mean_of_items"), UnitInput(oit=oit)).indicators[number] == items_rule
        assert score_unit(with_rule(SPEC, "mean_of_subindicators"), UnitInput(oit=oit)).indicators[number] == subs_rule


def with_rule(spec: FrameworkSpec, rule: str) -> FrameworkSpec:
    return dataclasses.replace(spec, aggregation=rule)


def equal_sized_oit(spec: FrameworkSpec) -> FrameworkSpec:
    """The framework with every OIT sub-indicator cut to its first four items."""
    indicators = tuple(
        dataclasses.replace(
            ind, sub_indicators=tuple(dataclasses.replace(s, items=s.items[:4]) for s in ind.sub_indicators)
        )
        for ind in spec.indicators
    )
    return dataclasses.replace(spec, indicators=indicators)
