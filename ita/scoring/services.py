"""The bridge between stored answers and decisions and the pure scoring engine: it only loads
data for the engine. What is made of the engine's cards (the score object, cached cards,
history) is in ``ita.results``.

Reads tallies and decisions for many units in three queries, so a whole assessment scores
without a query per unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from ita.assessments.models import Assessment, UnitAssessment, collecting
from ita.disclosure.decisions import decisions_of
from ita.scoring.engine import ScoreCard, Tally, UnitInput, score_unit
from ita.surveys.models import ItemTally, ToolTally


def unit_inputs(unit_assessments: Iterable[UnitAssessment], *, released_only: bool = False) -> dict[int, UnitInput]:
    """Engine inputs of many units. With ``released_only`` an OIT decision counts only once the
    assessor has released it to the unit: what a unit-facing page may show without giving a
    decision away early. Program admins and assessors see every decision live.

    A survey tool whose collection window is open is withheld, for every role: this is the one
    place that keeps scores from moving with each response (no sequential release)."""
    uas = {ua.pk: ua for ua in unit_assessments}
    withheld = collecting({ua.assessment_id for ua in uas.values()})
    tallies: dict[int, dict[str, Tally]] = defaultdict(dict)
    for ua_id, key, total, count in ItemTally.objects.filter(unit_assessment_id__in=uas).values_list(
        "unit_assessment_id", "item_key", "total", "count"
    ):
        tallies[ua_id][key] = Tally(Fraction(total), count)
    respondents: dict[int, dict[str, int]] = defaultdict(dict)
    for ua_id, tool, n in ToolTally.objects.filter(unit_assessment_id__in=uas).values_list(
        "unit_assessment_id", "tool", "respondents"
    ):
        respondents[ua_id][tool] = n
    decisions = decisions_of(uas, released_only=released_only)
    return {
        pk: UnitInput(
            tallies=tallies[pk],
            respondents=respondents[pk],
            oit=decisions[pk],
            population=ua.population,
            withheld=withheld.get(ua.assessment_id, frozenset()),
        )
        for pk, ua in uas.items()
    }


def score_unit_assessment(ua: UnitAssessment, *, released_only: bool = False) -> ScoreCard:
    return score_unit(ua.assessment.framework.spec, unit_inputs([ua], released_only=released_only)[ua.pk])


def score_assessment(
    assessment: Assessment, unit_assessments: Iterable[UnitAssessment] | None = None, *, released_only: bool = False
) -> dict[int, ScoreCard]:
    """Score every unit of an assessment, or only the given ones (e.g. those a user may see)."""
    spec = assessment.framework.spec
    uas = assessment.unit_assessments.all() if unit_assessments is None else unit_assessments
    inputs = unit_inputs(uas, released_only=released_only)
    return {pk: score_unit(spec, data) for pk, data in inputs.items()}
