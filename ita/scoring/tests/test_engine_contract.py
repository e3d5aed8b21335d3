"""The engine refuses data that cannot be right instead of printing a plausible wrong figure."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from ita.frameworks.spec import FrameworkSpec, Indicator
from ita.lib.rounding import display
from ita.scoring.engine import EngineInputError, Tally, UnitInput, score_unit
from ita.scoring.tests.helpers import esa_spec, input_with_indicator_scores
from ita.scoring.tests.test_engine_golden import REPORT

SPEC = esa_spec()


def test_a_question_without_a_tally_leaves_its_indicator_unscored_and_is_listed_as_missing() -> None:
    data = input_with_indicator_scores(SPEC, REPORT)
    tallies = {key: t for key, t in data.tallies.items() if key != "i3.2"}  # one sub-item of i3 lost
    card = score_unit(SPEC, dataclasses.replace(data, tallies=tallies))
    assert card.questions["i3"] is None
    assert card.indicators["1"] is None  # not the mean of the five questions that are there
    assert card.indicators["2"] is not None
    assert card.missing == ("IIT:i3",)
    assert card.tools["IIT"].score is None and card.total is None
    assert not card.complete


def test_a_sub_item_nobody_answered_counts_as_missing_too() -> None:
    data = input_with_indicator_scores(SPEC, REPORT)
    tallies = {**data.tallies, "e1.1": Tally(Fraction(0), 0)}
    card = score_unit(SPEC, dataclasses.replace(data, tallies=tallies))
    assert card.missing == ("EIT:e1",)
    assert card.indicators["6"] is None and card.total is None


def test_a_tally_with_more_answers_than_respondents_is_refused() -> None:
    data = input_with_indicator_scores(SPEC, REPORT, respondents=20)
    tallies = {**data.tallies, "i7.1": Tally(Fraction(2100), 21)}
    with pytest.raises(EngineInputError, match=r"i7\.1: 21 answers but 20 IIT respondents"):
        score_unit(SPEC, dataclasses.replace(data, tallies=tallies))


def test_a_tally_total_no_answers_could_give_is_refused() -> None:
    with pytest.raises(EngineInputError, match="impossible tally"):
        Tally(Fraction(501), 5)  # five answers score at most 500
    with pytest.raises(EngineInputError, match="impossible tally"):
        Tally(Fraction(-1), 5)


def test_tallies_take_exact_numbers_only_because_a_float_rounds_the_wrong_way() -> None:
    # 12 respondents whose scores add up to 1087: IIT points are 0.30 x 1087/12 = 27.175 exactly.
    exact = [Tally(Fraction(1087), 12), Tally(1087, 12), Tally(Decimal("1087"), 12)]  # type: ignore[arg-type]
    assert {t.total for t in exact} == {Fraction(1087)} and all(isinstance(t.total, Fraction) for t in exact)
    data = input_with_indicator_scores(SPEC, REPORT, respondents=12)
    iit = {item.key: Tally(Fraction(1087), 12) for item in SPEC.sub_items_of("IIT")}
    card = score_unit(SPEC, dataclasses.replace(data, tallies={**data.tallies, **iit}))
    assert display(card.tools["IIT"].points) == "27.18"
    assert f"{0.3 * (1087 / 12):.2f}" == "27.17"  # what the same sum gives in floating point
    with pytest.raises(TypeError, match="not float"):
        Tally(1087.0, 12)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="count must be an int"):
        Tally(Fraction(1087), 12.0)  # type: ignore[arg-type]


def test_an_indicator_or_sub_indicator_without_items_is_an_error_not_a_silent_skip() -> None:
    data = input_with_indicator_scores(SPEC, REPORT)
    nine = SPEC.indicator("9")
    emptied_sub = dataclasses.replace(
        nine, sub_indicators=(dataclasses.replace(nine.sub_indicators[0], items=()), *nine.sub_indicators[1:])
    )
    emptied_ind = dataclasses.replace(SPEC.indicator("2"), questions=())
    for spec, problem in (
        (with_indicator(emptied_sub), "sub-indicator 9.1 has no items"),
        (with_indicator(emptied_ind), "indicator 2 has no questions"),
    ):
        with pytest.raises(EngineInputError, match=problem):
            score_unit(spec, data)


def with_indicator(replacement: Indicator) -> FrameworkSpec:
    return dataclasses.replace(
        SPEC,
        indicators=tuple(replacement if i.number == replacement.number else i for i in SPEC.indicators),
    )


def test_an_indicator_uses_its_own_rule_over_the_frameworks_default() -> None:
    oit = {item.code: item.code != "O19" for item in SPEC.oit_items}  # one of 9.3's four items fails
    by_items = dataclasses.replace(SPEC, aggregation="mean_of_items")
    nine_by_subs = with_indicator(dataclasses.replace(SPEC.indicator("9"), aggregation="mean_of_subindicators"))
    nine_by_subs = dataclasses.replace(nine_by_subs, aggregation="mean_of_items")
    assert score_unit(by_items, UnitInput(oit=oit)).indicators["9"] == Fraction(29 * 100, 30)
    assert score_unit(nine_by_subs, UnitInput(oit=oit)).indicators["9"] == Fraction(4 * 100 + 75, 5)


# --- OIT items that do not apply (O42/O43 for a school with no previous year's measures) ---


def test_items_that_do_not_apply_leave_the_means_and_are_neither_passed_failed_nor_missing() -> None:
    data = input_with_indicator_scores(SPEC, REPORT, failed=("O41",))
    oit = {code: passed for code, passed in data.oit.items() if code != "O43"}  # O43 never decided
    oit["O42"] = False  # a decision recorded before the item was marked not applicable
    card = score_unit(SPEC, dataclasses.replace(data, oit=oit, not_applicable=frozenset({"O42", "O43"})))
    assert card.not_applicable == ("O42", "O43")
    assert card.missing == ()
    assert card.oit_items["O42"] is None and card.oit_items["O43"] is None
    assert card.sub_indicators["10.2"] == Fraction(200, 3)  # O39, O40 pass, O41 fails: 2 of 3
    assert card.indicators["10"] == (100 + Fraction(200, 3)) / 2
    by_items = score_unit(
        dataclasses.replace(SPEC, aggregation="mean_of_items"),
        dataclasses.replace(data, oit=oit, not_applicable=frozenset({"O42", "O43"})),
    )
    assert by_items.indicators["10"] == Fraction(100 * 10, 11)  # 10 of 11 applicable items
    assert card.complete


def test_a_sub_indicator_with_no_applicable_item_leaves_the_indicators_mean() -> None:
    data = input_with_indicator_scores(SPEC, REPORT, failed=("O31",))
    card = score_unit(SPEC, dataclasses.replace(data, not_applicable=frozenset({"O39", "O40", "O41", "O42", "O43"})))
    assert card.sub_indicators["10.2"] is None
    assert card.indicators["10"] == Fraction(700, 8)  # 10.1 alone: 7 of 8


def test_an_indicator_none_of_whose_items_apply_is_refused() -> None:
    data = input_with_indicator_scores(SPEC, REPORT)
    every = frozenset(item.code for item in SPEC.indicator("10").oit_items)
    with pytest.raises(EngineInputError, match="every item of indicator 10 is marked not applicable"):
        score_unit(SPEC, dataclasses.replace(data, not_applicable=every))
