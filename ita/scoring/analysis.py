"""Analysis on top of the engine: the tables of part 2 of the report, confidence intervals and
what-if. Plain Python over the engine's dataclasses (no Django), exact where the engine is exact.

The confidence intervals are statistics, not scores: they use floats and are documented in
``docs/statistics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from ita.frameworks.spec import SURVEY_TOOLS, Band, FrameworkSpec, Indicator
from ita.lib.rounding import mean
from ita.scoring.engine import ScoreCard, UnitInput, score_unit

# Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; beyond that the
# normal 1.96 is within 0.05 of t and the table is not needed.
_T95 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)


def t95(df: int) -> float:
    if df < 1:
        return math.inf
    if df <= len(_T95):
        return _T95[df - 1]
    if df <= 60:
        return 2.000 + (2.042 - 2.000) * (60 - df) / 30
    return 1.96


# --- the tables of part 2 --------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    number: str
    name_th: str
    tool: str
    score: Fraction | None
    band: Band | None
    level: int = 0  # 0 indicator, 1 sub-indicator

    @property
    def passed(self) -> bool | None:
        return None if self.band is None else self.band.passed


def indicator_rows(spec: FrameworkSpec, card: ScoreCard, with_subs: bool = True) -> list[IndicatorRow]:
    """Indicators in framework order (with 9.1-9.5, 10.1-10.2 below theirs); labels from the spec."""
    rows = []
    for tool in spec.tools:
        for ind in spec.indicators_of(tool.code):
            rows.append(_row(spec, ind.number, ind.name_th, tool.code, card.indicators.get(ind.number), 0))
            if with_subs:
                for sub in ind.sub_indicators:
                    rows.append(_row(spec, sub.number, sub.name_th, tool.code, card.sub_indicators.get(sub.number), 1))
    return rows


def _row(spec: FrameworkSpec, number: str, name: str, tool: str, score: Fraction | None, level: int) -> IndicatorRow:
    return IndicatorRow(number, name, tool, score, None if score is None else spec.band_for(score), level)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def ranked(rows: Iterable[IndicatorRow]) -> list[IndicatorRow]:
    """High to low; equal scores keep the higher indicator number first, as the report does."""
    scored = [r for r in rows if r.score is not None and r.level == 0]
    return sorted(scored, key=lambda r: (-r.score, tuple(-p for p in _number_key(r.number))))  # type: ignore[operator]


def by_tool(spec: FrameworkSpec, card: ScoreCard) -> dict[str, list[IndicatorRow]]:
    rows = indicator_rows(spec, card, with_subs=False)
    return {tool.code: ranked(r for r in rows if r.tool == tool.code) for tool in spec.tools}


@dataclass(frozen=True)
class Extremes:
    highest: list[IndicatorRow]
    lowest: list[IndicatorRow]


def extremes(spec: FrameworkSpec, card: ScoreCard) -> Extremes | None:
    """The indicators sharing the top score and those sharing the bottom score."""
    rows = ranked(indicator_rows(spec, card, with_subs=False))
    if not rows:
        return None
    top, bottom = rows[0].score, rows[-1].score
    return Extremes(
        sorted((r for r in rows if r.score == top), key=lambda r: _number_key(r.number)),
        sorted((r for r in rows if r.score == bottom), key=lambda r: _number_key(r.number)),
    )


# --- uncertainty ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    n: int
    mean: float
    sd: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    @property
    def standard_error(self) -> float:
        return self.sd / math.sqrt(self.n) if self.n else math.inf


def interval(values: Sequence[float], centre: float | None = None) -> Interval | None:
    """95 % t-interval of a mean; ``centre`` lets the engine's exact score be the midpoint."""
    n = len(values)
    if n < 2:
        return None
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    half = t95(n - 1) * sd / math.sqrt(n)
    c = m if centre is None else centre
    return Interval(n, c, sd, max(0.0, c - half), min(100.0, c + half))


def respondent_scores(spec: FrameworkSpec, tool: str, sheets: Iterable[Mapping[str, int]]) -> dict[str, list[float]]:
    """Each respondent's own indicator scores (and tool score under the tool's code): the mean
    of their question scores, a question score being the mean of the sub-items they answered."""
    indicators = spec.indicators_of(tool)
    out: dict[str, list[float]] = {ind.number: [] for ind in indicators}
    out[tool] = []
    for answers in sheets:
        own = [s for ind in indicators if (s := _respondent_indicator(ind, answers)) is not None]
        for ind in indicators:
            score = _respondent_indicator(ind, answers)
            if score is not None:
                out[ind.number].append(float(score))
        if len(own) == len(indicators):
            out[tool].append(float(sum(own, Fraction(0)) / len(own)))
    return out


def _respondent_indicator(indicator: Indicator, answers: Mapping[str, int]) -> Fraction | None:
    questions = []
    for q in indicator.questions:
        items = [
            item.scale.options[answers[item.key]].score
            for item in q.items
            if isinstance(answers.get(item.key), int) and 0 <= answers[item.key] < len(item.scale.options)
        ]
        if items:
            questions.append(sum(items, Fraction(0)) / len(items))
    return mean(questions)


def total_standard_error(spec: FrameworkSpec, tool_intervals: Mapping[str, Interval | None]) -> float | None:
    """Sampling error of the total: the survey tools are independent samples, OIT has none."""
    variance = 0.0
    for code in SURVEY_TOOLS:
        iv = tool_intervals.get(code)
        if iv is None:
            return None
        variance += (float(spec.tool(code).weight) * iv.standard_error) ** 2
    return math.sqrt(variance)


def within_noise(difference: Fraction | None, standard_error: float | None) -> bool | None:
    """A year-on-year change is noise when it is smaller than 1.96 standard errors of a
    difference of two years with the same sampling error (sqrt 2 x SE)."""
    if difference is None or standard_error is None:
        return None
    return abs(float(difference)) < 1.96 * math.sqrt(2) * standard_error


# --- what-if --------------------------------------------------------------------------------


def _threshold(band: Band) -> Fraction:
    # Bands are judged on the displayed value, so x.xx5 already counts (see FrameworkSpec.band_for).
    return band.minimum - Fraction(1, 200)


def next_bands(spec: FrameworkSpec, card: ScoreCard) -> list[Band]:
    """Bands above the unit's current one, nearest first."""
    if card.total is None or card.band is None:
        return []
    return sorted((b for b in spec.bands if b.minimum > card.band.minimum), key=lambda b: b.minimum)


@dataclass(frozen=True)
class OitFix:
    code: str
    name_th: str
    total: Fraction
    band: Band


def oit_fixes(spec: FrameworkSpec, data: UnitInput, card: ScoreCard) -> list[OitFix]:
    """Each failed OIT item rescored as passed on its own, by the engine; highest gain first."""
    failed = [item for item in spec.oit_items if data.oit.get(item.code) is False]
    fixes = []
    for item in failed:
        after = score_unit(spec, replace(data, oit={**data.oit, item.code: True}))
        if after.total is not None and after.band is not None:
            fixes.append(OitFix(item.code, item.name_th, after.total, after.band))
    return sorted(fixes, key=lambda f: (-f.total, f.code))


def oit_fixes_to_reach(spec: FrameworkSpec, data: UnitInput, target: Band) -> list[str] | None:
    """The fewest failed OIT items that, fixed together, lift the unit to ``target``
    (None when fixing all of them is not enough). Every OIT item weighs the same within its
    indicator, so taking the items of the smallest indicators first is optimal."""
    failed = [item for item in spec.oit_items if data.oit.get(item.code) is False]
    sizes = {item.code: len(spec.indicator(_indicator_of(spec, item.sub_indicator)).oit_items) for item in failed}
    chosen: list[str] = []
    for code in sorted(sizes, key=lambda c: (sizes[c], c)):
        chosen.append(code)
        after = score_unit(spec, replace(data, oit={**data.oit, **{c: True for c in chosen}}))
        if after.total is not None and after.total >= _threshold(target):
            return chosen
    return None


def _indicator_of(spec: FrameworkSpec, sub_number: str) -> str:
    return next(i.number for i in spec.indicators if any(s.number == sub_number for s in i.sub_indicators))


@dataclass(frozen=True)
class SurveyRise:
    number: str
    name_th: str
    tool: str
    score: Fraction
    needed: Fraction | None  # points this indicator alone must rise; None when over 100


def survey_rises(spec: FrameworkSpec, card: ScoreCard, target: Band) -> list[SurveyRise]:
    """How far each survey indicator alone would have to rise for the total to reach ``target``.
    The total is linear in an indicator score with slope weight / indicators-in-tool."""
    if card.total is None:
        return []
    gap = _threshold(target) - card.total
    rises = []
    for code in SURVEY_TOOLS:
        tool = spec.tool(code)
        indicators = spec.indicators_of(code)
        for ind in indicators:
            score = card.indicators.get(ind.number)
            if score is None:
                continue
            needed = max(Fraction(0), gap * len(indicators) / tool.weight)
            rises.append(SurveyRise(ind.number, ind.name_th, code, score, needed if score + needed <= 100 else None))
    return rises
