"""The ITA scoring engine: plain Python over plain data, exact arithmetic.

Fed with per-sub-item sums and counts (IIT, EIT) and OIT decisions, it returns every score of
part 2 of the reference report. Nothing here rounds: rounding is for display only
(`ita.lib.rounding.display`). The aggregation rule for indicators with sub-indicators is data
in the framework, per indicator with a framework-wide default (``mean_of_items`` or
``mean_of_subindicators``; see docs/scoring.md for which one the published figures need).

The engine refuses input that cannot be right rather than average over what is there: a
question without answers leaves its indicator without a score and is listed in ``missing``; a
tally with more answers than respondents, a float total or an empty indicator raise.

A survey tool with fewer respondents than the framework's minimum group size is *suppressed*:
its scores are None here, so no page or export downstream can show them by mistake. A tool
in ``UnitInput.withheld`` (its collection window is open) is *collecting*: its scores and the
total are None too, so no one can difference two pages to learn one respondent's answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ita.frameworks.spec import SURVEY_TOOLS, Band, FrameworkSpec, Indicator, Question, shape_problems
from ita.lib.rounding import mean, round_half_up

HUNDRED = Fraction(100)


class EngineInputError(ValueError):
    """The engine was given data that cannot be right (a count above the respondents, a spec
    with an empty indicator): it refuses rather than print a plausible wrong figure."""


@dataclass(frozen=True)
class Tally:
    """Answers to one sub-item at one unit: the sum of option scores and how many answered.

    The total must be exact (Fraction, int or Decimal; it is kept as a Fraction). A float is
    refused: sums of 33.33 in binary floating point drift, and a score that is exactly 27.175
    prints as 27.17 instead of 27.18."""

    total: Fraction
    count: int

    def __post_init__(self) -> None:
        total = self.total
        if isinstance(total, bool) or not isinstance(total, Fraction | int | Decimal):
            raise TypeError(f"a tally total must be a Fraction, int or Decimal, not {type(total).__name__}")
        if isinstance(self.count, bool) or not isinstance(self.count, int):
            raise TypeError(f"a tally count must be an int, not {type(self.count).__name__}")
        if isinstance(total, Decimal) and not total.is_finite():
            raise EngineInputError(f"a tally total must be a finite number, not {total}")
        exact = Fraction(total)
        if self.count < 0 or exact < 0 or exact > HUNDRED * self.count:
            raise EngineInputError(f"impossible tally: total {total} over {self.count} answers")
        object.__setattr__(self, "total", exact)

    @property
    def mean(self) -> Fraction | None:
        return self.total / self.count if self.count else None


@dataclass(frozen=True)
class UnitInput:
    tallies: Mapping[str, Tally] = field(default_factory=dict)  # by sub-item key, e.g. "i1.2"
    respondents: Mapping[str, int] = field(default_factory=dict)  # by survey tool
    oit: Mapping[str, bool] = field(default_factory=dict)  # OIT item code -> passed
    population: Mapping[str, int] = field(default_factory=dict)  # eligible people per tool
    withheld: frozenset[str] = frozenset()  # survey tools still being collected: no scores yet
    # OIT items that do not apply to the unit (O42/O43 in a school's first year): they leave the
    # means, count neither as passed nor failed, and win over any decision recorded for them.
    not_applicable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ToolScore:
    code: str
    score: Fraction | None
    points: Fraction | None  # score x weight
    respondents: int | None  # None for OIT
    state: str  # "ok", "missing" (no data), "suppressed" (group below the minimum), "collecting"


@dataclass(frozen=True)
class ScoreCard:
    questions: Mapping[str, Fraction | None]
    oit_items: Mapping[str, Fraction | None]
    sub_indicators: Mapping[str, Fraction | None]
    indicators: Mapping[str, Fraction | None]
    tools: Mapping[str, ToolScore]
    total: Fraction | None
    band: Band | None
    missing: tuple[str, ...]  # "EIT" (no responses yet), "IIT:i3" (a question without a tally), "OIT:O24" (no decision)
    suppressed: tuple[str, ...]  # survey tools below the minimum group size
    below_sample: tuple[str, ...]  # survey tools short of the framework's minimum sample
    not_applicable: tuple[str, ...] = ()  # OIT items left out of the means, in framework order

    @property
    def passed(self) -> bool | None:
        return None if self.band is None else self.band.passed

    @property
    def complete(self) -> bool:
        return self.total is not None and not self.missing


def question_score(question: Question, tallies: Mapping[str, Tally]) -> Fraction | None:
    """Mean over respondents per sub-item, then the mean of the sub-items; None when a sub-item
    has no answers (a mean of the other sub-items would pass a part for the whole)."""
    means = [_tally_mean(tallies, item.key) for item in question.items]
    return None if any(m is None for m in means) else mean(m for m in means if m is not None)


def _tally_mean(tallies: Mapping[str, Tally], key: str) -> Fraction | None:
    tally = tallies.get(key)
    return tally.mean if tally is not None else None


def check_input(spec: FrameworkSpec, data: UnitInput) -> None:
    """Refuse a spec that cannot be scored and tallies that cannot be true."""
    problems = shape_problems(spec)
    for tool in SURVEY_TOOLS:
        respondents = data.respondents.get(tool, 0)
        for item in spec.sub_items_of(tool):
            tally = data.tallies.get(item.key)
            if tally is not None and tally.count > respondents:
                problems.append(f"{item.key}: {tally.count} answers but {respondents} {tool} respondents")
    for ind in spec.indicators_of("OIT"):
        if ind.oit_items and all(item.code in data.not_applicable for item in ind.oit_items):
            problems.append(f"every item of indicator {ind.number} is marked not applicable")
    if problems:
        raise EngineInputError("; ".join(problems))


def score_unit(spec: FrameworkSpec, data: UnitInput) -> ScoreCard:
    check_input(spec, data)
    questions: dict[str, Fraction | None] = {}
    oit_items: dict[str, Fraction | None] = {}
    subs: dict[str, Fraction | None] = {}
    indicators: dict[str, Fraction | None] = {}
    tools: dict[str, ToolScore] = {}
    missing: list[str] = []
    suppressed: list[str] = []
    below_sample: list[str] = []

    for tool in spec.tools:
        if tool.code in SURVEY_TOOLS:
            n = data.respondents.get(tool.code, 0)
            state = "collecting" if tool.code in data.withheld else _survey_state(spec, n)
            if state == "missing":
                missing.append(tool.code)
            if state == "suppressed":
                suppressed.append(tool.code)
            rule = spec.sample_rules.get(tool.code)
            if rule is not None and n < rule.required(data.population.get(tool.code, 0)):
                below_sample.append(tool.code)
            for ind in spec.indicators_of(tool.code):
                scores = {q.code: question_score(q, data.tallies) if state == "ok" else None for q in ind.questions}
                questions.update(scores)
                if state == "ok":
                    missing.extend(f"{tool.code}:{code}" for code, score in scores.items() if score is None)
                complete = all(score is not None for score in scores.values())
                indicators[ind.number] = mean(s for s in scores.values() if s is not None) if complete else None
            respondents: int | None = n
        else:
            na = data.not_applicable
            decided = [i.code for i in spec.oit_items if i.code in data.oit and i.code not in na]
            state = "ok" if decided else "missing"
            missing.extend(
                ["OIT"]
                if not decided
                else [f"OIT:{i.code}" for i in spec.oit_items if i.code not in data.oit and i.code not in na]
            )
            decisions = {code: passed for code, passed in data.oit.items() if code not in na}
            for ind in spec.indicators_of(tool.code):
                indicators[ind.number] = _oit_indicator(spec, ind, decisions, na, oit_items, subs) if decided else None
            respondents = None
        tool_indicators = [indicators[i.number] for i in spec.indicators_of(tool.code)]
        score = None if any(s is None for s in tool_indicators) else mean(s for s in tool_indicators if s is not None)
        points = None if score is None else score * tool.weight
        tools[tool.code] = ToolScore(tool.code, score, points, respondents, state)

    all_points = [t.points for t in tools.values()]
    total = None if any(p is None for p in all_points) else sum((p for p in all_points if p is not None), Fraction(0))
    return ScoreCard(
        questions=questions,
        oit_items=oit_items,
        sub_indicators=subs,
        indicators=indicators,
        tools=tools,
        total=total,
        band=None if total is None else spec.band_for(total, {code: t.score for code, t in tools.items()}),
        missing=tuple(missing),
        suppressed=tuple(suppressed),
        below_sample=tuple(below_sample),
        not_applicable=tuple(i.code for i in spec.oit_items if i.code in data.not_applicable),
    )


def _survey_state(spec: FrameworkSpec, respondents: int) -> str:
    if respondents <= 0:
        return "missing"
    if respondents < spec.min_group_size:
        return "suppressed"
    return "ok"


def _oit_indicator(
    spec: FrameworkSpec,
    indicator: Indicator,
    decisions: Mapping[str, bool],
    not_applicable: frozenset[str],
    oit_items: dict[str, Fraction | None],
    subs: dict[str, Fraction | None],
) -> Fraction | None:
    """Item score is 100 on a pass, 0 on a fail; an item not yet decided counts 0 (it has not
    passed) and is listed in ``missing`` so the page can say the score is provisional. An item
    that does not apply has no score and leaves the means; so does a sub-indicator all of whose
    items do not apply."""

    def score(code: str) -> Fraction:
        return HUNDRED if decisions.get(code) else Fraction(0)

    for sub in indicator.sub_indicators:
        applicable = [item.code for item in sub.items if item.code not in not_applicable]
        for item in sub.items:
            oit_items[item.code] = score(item.code) if item.code in decisions else None
        subs[sub.number] = mean(score(code) for code in applicable)
    if spec.rule_for(indicator) == "mean_of_subindicators":
        return mean(s for sub in indicator.sub_indicators if (s := subs[sub.number]) is not None)
    return mean(score(item.code) for item in indicator.oit_items if item.code not in not_applicable)


# --- year over year -------------------------------------------------------------------------

UP, DOWN, SAME = "เพิ่มขึ้น", "ลดลง", "คงที่"


@dataclass(frozen=True)
class TrendRow:
    year: int
    score: Fraction
    direction: str | None  # None for the first year
    difference: Fraction | None  # of the displayed (2-decimal) figures, as a reader checks it


def trend(history: Sequence[tuple[int, Fraction]]) -> list[TrendRow]:
    """The history table of part 2 of the report: each year against the year before."""
    rows: list[TrendRow] = []
    previous: Fraction | None = None
    for year, score in sorted(history):
        shown = Fraction(round_half_up(score))
        if previous is None:
            rows.append(TrendRow(year, score, None, None))
        else:
            diff = shown - previous
            rows.append(TrendRow(year, score, UP if diff > 0 else DOWN if diff < 0 else SAME, diff))
        previous = shown
    return rows


def signed(difference: Fraction | None) -> str:
    """'+17.97', '-0.42', '0.00' or '-' as in the report's difference column."""
    if difference is None:
        return "-"
    text = f"{round_half_up(difference):.2f}"
    return f"+{text}" if difference > 0 else text
