"""Everything on one unit's result page (part 2 of the report), gathered from the engine."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from ita.assessments.models import UnitAssessment
from ita.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from ita.lib.rounding import display, round_half_up
from ita.results import charts
from ita.results.cards import score_json
from ita.results.models import UnitScore
from ita.results.snapshot import Inputs, from_json, live_inputs
from ita.scoring import analysis
from ita.scoring.engine import ScoreCard, score_unit, signed, trend


@dataclass(frozen=True)
class HistoryRow:
    year: int
    score: Fraction
    direction: str | None
    difference: str
    noise: bool | None


def names(rows: list[analysis.IndicatorRow]) -> str:
    return _(" และ ").join(_("ตัวชี้วัดที่ %(number)s %(name)s") % {"number": r.number, "name": r.name_th} for r in rows)


def extremes_sentence(spec: FrameworkSpec, card: ScoreCard) -> str:
    ext = analysis.extremes(spec, card)
    if ext is None or card.total is None:
        return ""
    return _(
        "%(high)s ได้คะแนนสูงสุด %(high_score)s คะแนน "
        "ส่วนตัวชี้วัดที่ได้คะแนนต่ำกว่าตัวชี้วัดอื่น ๆ คือ %(low)s ได้คะแนน %(low_score)s คะแนน"
    ) % {
        "high": names(ext.highest),
        "high_score": display(ext.highest[0].score),
        "low": names(ext.lowest),
        "low_score": display(ext.lowest[0].score),
    }


def rounded_apart(card: ScoreCard) -> bool:
    """Whether the displayed tool points do not add up to the displayed total (27.50 + 27.50 +
    40.00 shown against 94.99): the total is computed before rounding, and the page says so."""
    points = [t.points for t in card.tools.values()]
    if card.total is None or any(p is None for p in points):
        return False
    return sum((round_half_up(p) for p in points if p is not None), Decimal(0)) != round_half_up(card.total)


def unit_context(ua: UnitAssessment, *, released_only: bool = True) -> dict[str, Any]:
    """The live (provisional) page, from the current answers and decisions."""
    spec = ua.assessment.framework.spec
    return page_context(ua, spec, live_inputs(spec, [ua], released_only=released_only)[ua.pk])


def frozen_context(ua: UnitAssessment, row: UnitScore) -> dict[str, Any]:
    """A published page: the engine run on the inputs frozen with the unit's card. The card
    recomputed must be the published one to the last figure; a mismatch is shown, not hidden."""
    spec = ua.assessment.framework.spec
    context = page_context(ua, spec, from_json(row.inputs))
    context["mismatch"] = score_json(ua, context["card"], spec) != row.card
    return context


def page_context(ua: UnitAssessment, spec: FrameworkSpec, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    card = score_unit(spec, data)
    rows = analysis.indicator_rows(spec, card)
    groups = [(tool, card.tools[tool.code], [r for r in rows if r.tool == tool.code]) for tool in spec.tools]
    cis = inputs.intervals
    total_se = analysis.total_standard_error(spec, {t: cis.get(t) for t in SURVEY_TOOLS})
    years = dict(inputs.history)
    if card.total is not None:
        years[ua.assessment.fiscal_year] = card.total
    trend_rows = trend(sorted(years.items()))
    history_rows = [
        HistoryRow(
            r.year,
            r.score,
            r.direction,
            signed(r.difference),
            analysis.within_noise(r.difference, total_se) if r.year == ua.assessment.fiscal_year else None,
        )
        for r in trend_rows
    ]
    ranked = analysis.ranked(rows)
    failed = [(inputs.reasons[i.code], i) for i in spec.oit_items if i.code in inputs.reasons]
    questions = [
        (ind, [(q, card.questions.get(q.code)) for q in ind.questions])
        for t in SURVEY_TOOLS
        for ind in spec.indicators_of(t)
    ]
    survey_rows = [(r, cis.get(r.number)) for r in rows if r.tool in SURVEY_TOOLS]
    return {
        "ua": ua,
        "spec": spec,
        "card": card,
        "groups": groups,
        "ranked": ranked,
        "by_tool": [(tool, analysis.by_tool(spec, card)[tool.code]) for tool in spec.tools],
        "history": history_rows,
        "rounded_apart": rounded_apart(card),
        "sentence": extremes_sentence(spec, card),
        "failed": failed,
        "questions": questions,
        "survey_rows": survey_rows,
        "total_se": total_se,
        "what_if": what_if(spec, data, card),
        "bars_svg": charts.indicator_bars([r for r in rows if r.level == 0], spec.bands, _("คะแนนรายตัวชี้วัด")),
        "trend_svg": charts.trend_line(trend_rows, _("ผลคะแนน ITA ย้อนหลัง")),
    }


def what_if(spec: FrameworkSpec, data: Any, card: ScoreCard) -> dict[str, Any] | None:
    """For a unit below the top band: single OIT fixes that change the band, and for the next
    band and the top band the fewest OIT fixes and each survey indicator's needed rise."""
    above = analysis.next_bands(spec, card)
    if not above:
        return None
    passing = [b for b in above if b.passed]
    targets = list(dict.fromkeys([above[0], *passing[:1], above[-1]]))
    fixes = [f for f in analysis.oit_fixes(spec, data, card) if f.band != card.band]
    return {
        "fixes": fixes,
        "targets": [
            {
                "band": b,
                "oit_set": analysis.oit_fixes_to_reach(spec, data, b),
                "rises": analysis.survey_rises(spec, card, b),
            }
            for b in targets
        ],
    }
