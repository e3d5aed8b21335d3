from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.frameworks.services import do_load_framework, read_framework_file, schema_text
from ita.frameworks.spec import FrameworkError


class Command(BaseCommand):
    help = (
        "Validate or load an ITA framework file (`ita framework validate PATH`, `ita framework load PATH`), "
        "or print the JSON Schema of the format (`ita framework schema`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["validate", "load", "schema"])
        parser.add_argument("path", type=Path, nargs="?")

    def handle(self, *args: Any, action: str, path: Path | None, **options: Any) -> None:
        if action == "schema":
            self.stdout.write(schema_text(), ending="")
            return
        if path is None:
            raise CommandError(f"give the framework file: ita framework {action} PATH")
        try:
            if action == "validate":
                _source, _doc, spec = read_framework_file(path)
                questions = sum(len(spec.questions_of(t)) for t in ("IIT", "EIT"))
                self.stdout.write(
                    f"{path}: OK — {spec.slug} v{spec.version}, {len(spec.indicators)} indicators, "
                    f"{questions} survey questions, {len(spec.oit_items)} OIT items"
                )
            else:
                framework, changed = do_load_framework(path)
                self.stdout.write(f"{'loaded' if changed else 'unchanged'}: {framework}")
        except FrameworkError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path}: {len(exc.problems)} problem(s); nothing was loaded") from None
