"""`ita results import PATH` | `ita results refresh SLUG` | `ita results publish SLUG` | `ita results verify SLUG`."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.assessments.models import Assessment
from ita.results.importer import ImportFailed, do_import_history
from ita.results.services import PublicationError, check, do_publish, refresh_scores


class Command(BaseCommand):
    help = "Results: import historical totals, refresh score cards, publish, verify a publication"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import", "refresh", "publish", "verify"])
        parser.add_argument("target", help="a CSV/XLSX file (import) or an assessment slug")
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, action: str, target: str, reason: str, **options: Any) -> None:
        if action == "import":
            try:
                count = do_import_history(Path(target), by=getpass.getuser())
            except ImportFailed as exc:
                raise CommandError(f"nothing imported; {len(exc.problems)} problem(s):\n{exc}") from None
            self.stdout.write(f"imported {count} row(s)")
            return
        assessment = Assessment.objects.filter(slug=target).first()
        if assessment is None:
            raise CommandError(f"no assessment {target!r}")
        if action == "refresh":
            self.stdout.write(f"refreshed {refresh_scores(assessment)} unit(s)")
        elif action == "publish":
            try:
                p = do_publish(assessment, actor=None, reason=reason)
            except PublicationError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"published version {p.version}: {p.units} unit(s), sha256 {p.sha256}")
        else:
            publications = list(assessment.publications.order_by("version"))
            if not publications:
                raise CommandError("not published")
            failed = []
            for p in publications:  # every version stays public, so every version is checked
                problems = check(p)
                self.stdout.write(f"version {p.version}: {'CHANGED' if problems else 'intact'} ({p.sha256})")
                failed += [f"version {p.version}: {problem}" for problem in problems]
            if failed:
                raise CommandError("the stored snapshot no longer holds:\n" + "\n".join(failed))
