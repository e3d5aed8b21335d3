"""Live aggregates against a recompute from raw answers: the tallies the scoring engine reads
must equal what the stored answer sheets add up to."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from ita.assessments.models import UnitAssessment
from ita.surveys.models import ItemTally, ToolTally
from ita.surveys.services import tally_responses


def unit_drift(ua: UnitAssessment) -> list[str]:
    """Each difference between this unit's stored tallies and its answer sheets, in words."""
    spec = ua.assessment.framework.spec
    totals, counts, respondents = tally_responses(spec, ua.responses.values_list("tool", "answers"))
    where = f"{ua.assessment.slug}/{ua.unit.code}"
    problems = []
    stored_items = {t.item_key: t for t in ItemTally.objects.filter(unit_assessment=ua)}
    for key in sorted(set(stored_items) | set(counts)):
        tally = stored_items.get(key)
        live = (tally.total, tally.count) if tally else (Decimal(0), 0)
        fresh = (totals.get(key, Decimal(0)), counts.get(key, 0))
        if live[0] != fresh[0] or live[1] != fresh[1]:
            problems.append(f"{where} {key}: stored {live[0]}/{live[1]}, answers give {fresh[0]}/{fresh[1]}")
    stored_tools = dict(ToolTally.objects.filter(unit_assessment=ua).values_list("tool", "respondents"))
    for tool in sorted(set(stored_tools) | set(respondents)):
        if stored_tools.get(tool, 0) != respondents.get(tool, 0):
            problems.append(
                f"{where} {tool}: stored respondents={stored_tools.get(tool, 0)}, sheets={respondents.get(tool, 0)}"
            )
    return problems


def check_integrity() -> list[str]:
    """Every drift in the installation; empty when live aggregates equal the recompute."""
    uas = (
        UnitAssessment.objects.filter(Q(responses__isnull=False) | Q(item_tallies__isnull=False))
        .distinct()
        .select_related("assessment__framework", "unit")
        .order_by("assessment__slug", "unit__code")
    )
    return [problem for ua in uas for problem in unit_drift(ua)]
