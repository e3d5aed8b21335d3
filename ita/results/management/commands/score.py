from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.assessments.models import UnitAssessment
from ita.lib.rounding import display
from ita.results.cards import score_json
from ita.scoring.services import score_unit_assessment


class Command(BaseCommand):
    help = "Score a unit from its stored answers and decisions: `ita score --assessment SLUG --unit CODE [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessment", required=True)
        parser.add_argument("--unit", help="unit code; all units of the assessment when left out")
        parser.add_argument("--json", action="store_true", help="print the score object as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        uas = UnitAssessment.objects.select_related("unit", "assessment__framework").filter(
            assessment__slug=options["assessment"]
        )
        if not uas.exists():
            raise CommandError(f"no assessment {options['assessment']!r} (see `ita shell` or the admin for the slugs)")
        if options["unit"]:
            uas = uas.filter(unit__code=options["unit"])
            if not uas.exists():
                raise CommandError(f"unit {options['unit']!r} is not part of assessment {options['assessment']!r}")
        for ua in uas:
            card = score_unit_assessment(ua)
            if options["json"]:
                self.stdout.write(json.dumps(score_json(ua, card), ensure_ascii=False))
            else:
                band = card.band.code if card.band else "-"
                tools = "  ".join(f"{c} {display(t.points)}" for c, t in card.tools.items())
                self.stdout.write(f"{ua.unit.code:<28} {display(card.total):>6} {band:<3} {tools}")
