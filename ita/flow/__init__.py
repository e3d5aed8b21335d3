"""The one orchestration point: where an action of an earlier app must reach later apps.

Adding target units to an assessment (assessments) must also give each unit its survey
tallies and counters (surveys) and its OIT evidence items (disclosure). The assessments app
sits below both in the flow, so it cannot call them; this package sits above them and does
(docs/architecture.md, "Layers"). Everything that adds units goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from ita.accounts.models import Actor
from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import do_add_target_units
from ita.disclosure.services import ensure_evidence_items
from ita.surveys.services import ensure_tallies
from ita.units.models import Unit


@transaction.atomic
def do_add_units(assessment: Assessment, units: Iterable[Unit], actor: Actor = None) -> list[UnitAssessment]:
    """Add target units with everything they need to be assessed; returns the units added now
    (adding a unit twice changes nothing)."""
    units = list(units)
    added = do_add_target_units(assessment, units, actor=actor)
    targets = list(assessment.unit_assessments.filter(unit__in=units).select_related("unit"))
    spec = assessment.framework.spec
    ensure_tallies(targets, spec)
    ensure_evidence_items(targets, [item.code for item in spec.oit_items])
    return added
