"""A unit's engine inputs, as frozen at publication (``UnitScore.inputs``) or read live.

A published unit page is rendered by running the engine on these frozen inputs, so that
nothing done after publication (a review, an import of history, a late response) can move a
figure on it. Fractions are stored exactly, as "numerator/denominator" strings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ita.assessments.models import UnitAssessment
from ita.disclosure.models import EvidenceItem
from ita.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from ita.results.models import HistoricalResult, UnitScore
from ita.scoring import analysis
from ita.scoring.engine import ScoreCard, Tally, UnitInput, score_unit
from ita.scoring.services import unit_inputs
from ita.surveys.models import SurveyResponse


@dataclass(frozen=True)
class Inputs:
    """Everything the unit page needs besides the framework: the engine's input, the failed
    OIT items' reasons, the survey intervals and the totals of earlier years."""

    data: UnitInput
    reasons: Mapping[str, str] = field(default_factory=dict)  # failed OIT item code -> reason
    intervals: Mapping[str, analysis.Interval | None] = field(default_factory=dict)  # indicator/tool
    history: tuple[tuple[int, Fraction], ...] = ()  # earlier fiscal years only


def exact(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def to_json(inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    return {
        "tallies": {k: {"total": exact(t.total), "count": t.count} for k, t in sorted(data.tallies.items())},
        "respondents": dict(data.respondents),
        "population": dict(data.population),
        "oit": dict(data.oit),
        "reasons": dict(inputs.reasons),
        "intervals": {
            k: None if iv is None else {"n": iv.n, "mean": iv.mean, "sd": iv.sd, "low": iv.low, "high": iv.high}
            for k, iv in inputs.intervals.items()
        },
        "history": [[year, exact(total)] for year, total in inputs.history],
    }


def from_json(value: Mapping[str, Any]) -> Inputs:
    data = UnitInput(
        tallies={k: Tally(Fraction(t["total"]), int(t["count"])) for k, t in value["tallies"].items()},
        respondents={k: int(n) for k, n in value["respondents"].items()},
        oit={k: bool(p) for k, p in value["oit"].items()},
        population={k: int(n) for k, n in value["population"].items()},
    )
    return Inputs(
        data=data,
        reasons=dict(value.get("reasons", {})),
        intervals={k: None if iv is None else analysis.Interval(**iv) for k, iv in value.get("intervals", {}).items()},
        history=tuple((int(year), Fraction(total)) for year, total in value.get("history", [])),
    )


def intervals(
    spec: FrameworkSpec, card: ScoreCard, sheets: Mapping[str, list[dict[str, int]]]
) -> dict[str, analysis.Interval | None]:
    """95 % intervals per survey indicator and per survey tool, from each respondent's scores;
    none for a tool whose group is below the minimum size (the engine hides its scores)."""
    out: dict[str, analysis.Interval | None] = {}
    for tool in SURVEY_TOOLS:
        if card.tools.get(tool) is None or card.tools[tool].state != "ok":
            continue
        per = analysis.respondent_scores(spec, tool, sheets.get(tool, []))
        for key, values in per.items():
            centre = card.indicators.get(key) if key != tool else card.tools[tool].score
            out[key] = analysis.interval(values, centre=None if centre is None else float(centre))
    return out


def _earlier_years(uas: list[UnitAssessment]) -> dict[int, dict[int, Fraction]]:
    """Per unit assessment: imported totals of earlier years, then published totals of the
    unit's earlier assessments (an imported figure wins for the same year). Two queries."""
    by_unit: dict[int, dict[int, Fraction]] = defaultdict(dict)
    years = {ua.unit_id: ua.assessment.fiscal_year for ua in uas}
    for unit_id, year, total in HistoricalResult.objects.filter(unit_id__in=years).values_list(
        "unit_id", "fiscal_year", "total"
    ):
        if year < years[unit_id]:
            by_unit[unit_id][year] = Fraction(total)
    published = (
        UnitScore.objects.filter(unit_id__in=years, publication__isnull=False, total__isnull=False)
        .order_by("assessment__fiscal_year", "publication__version")
        .values_list("unit_id", "assessment__fiscal_year", "total")
    )
    for unit_id, year, published_total in published:
        if year < years[unit_id] and published_total is not None:
            by_unit[unit_id].setdefault(year, Fraction(published_total))
    return {ua.pk: by_unit[ua.unit_id] for ua in uas}


def live_inputs(
    spec: FrameworkSpec, unit_assessments: Iterable[UnitAssessment], *, released_only: bool
) -> dict[int, Inputs]:
    """The current inputs of some units, read in a handful of queries for all of them."""
    uas = list(unit_assessments)
    data = unit_inputs(uas, released_only=released_only)
    failed = EvidenceItem.objects.filter(unit_assessment__in=uas, passed=False)
    if released_only:
        failed = failed.filter(released=True)
    reasons: dict[int, dict[str, str]] = defaultdict(dict)
    for ua_id, code, reason in failed.values_list("unit_assessment_id", "item_code", "reason"):
        reasons[ua_id][code] = reason
    sheets: dict[int, dict[str, list[dict[str, int]]]] = defaultdict(lambda: defaultdict(list))
    responses = SurveyResponse.objects.filter(unit_assessment__in=uas).values_list(
        "unit_assessment_id", "tool", "answers"
    )
    for ua_id, tool, answers in responses.iterator(chunk_size=5000):
        sheets[ua_id][tool].append(answers)
    earlier = _earlier_years(uas)
    out = {}
    for ua in uas:
        card = score_unit(spec, data[ua.pk])
        out[ua.pk] = Inputs(
            data=data[ua.pk],
            reasons=reasons[ua.pk],
            intervals=intervals(spec, card, sheets[ua.pk]),
            history=tuple(sorted(earlier[ua.pk].items())),
        )
    return out
