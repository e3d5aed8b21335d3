"""The score object shared by `ita score --json`, the API and the cached cards
(``UnitScore.card``), built from the engine's ScoreCard. Scoring only loads data for the
engine; what the engine's figures look like to readers is decided here."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ita.assessments.models import UnitAssessment
from ita.frameworks.spec import FrameworkSpec
from ita.lib.rounding import round_half_up
from ita.scoring.engine import ScoreCard


def number(value: Fraction | None) -> float | None:
    """Display value: rounded half-up to 2 places, then as a JSON number (96.77, 40.0)."""
    return None if value is None else float(round_half_up(value))


def score_json(ua: UnitAssessment, card: ScoreCard, spec: FrameworkSpec | None = None) -> dict[str, Any]:
    """The score object shared by `ita score --json` and the API."""
    spec = spec or ua.assessment.framework.spec
    indicators: dict[str, float | None] = {}
    for ind in spec.indicators:
        indicators[ind.number] = number(card.indicators.get(ind.number))
        for sub in ind.sub_indicators:
            indicators[sub.number] = number(card.sub_indicators.get(sub.number))
    return {
        "assessment": ua.assessment.slug,
        "unit": ua.unit.code,
        "total": number(card.total),
        "rating": card.band.code if card.band else None,
        "passed": card.passed,
        "tools": {code: {"score": number(t.score), "points": number(t.points)} for code, t in card.tools.items()},
        "indicators": indicators,
        "missing": list(card.missing),
        "suppressed": list(card.suppressed),
        "collecting": sorted(code for code, t in card.tools.items() if t.state == "collecting"),
    }
