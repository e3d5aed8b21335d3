"""What the OIT side hands to scoring: the decisions per unit, and the OIT score of one unit
(for the evidence and review pages), from the pure engine over those decisions alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from ita.assessments.models import UnitAssessment
from ita.disclosure.models import EvidenceItem
from ita.scoring.engine import UnitInput, score_unit


def decisions_of(ua_ids: Iterable[int], *, released_only: bool) -> dict[int, dict[str, bool]]:
    """Item code -> passed, per unit; with ``released_only`` only what the unit has been shown."""
    decided = EvidenceItem.objects.filter(unit_assessment_id__in=list(ua_ids), passed__isnull=False)
    if released_only:
        decided = decided.filter(released=True)
    found: dict[int, dict[str, bool]] = defaultdict(dict)
    for ua_id, code, passed in decided.values_list("unit_assessment_id", "item_code", "passed"):
        found[ua_id][code] = bool(passed)  # never None: filtered above
    return found


def oit_score(ua: UnitAssessment, *, released_only: bool) -> Fraction | None:
    """The OIT tool score the engine gives on this unit's decisions (None while undecided)."""
    decisions = decisions_of([ua.pk], released_only=released_only)[ua.pk]
    return score_unit(ua.assessment.framework.spec, UnitInput(oit=decisions)).tools["OIT"].score
