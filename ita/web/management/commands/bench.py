from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ita.bench import machine, registry


class Command(BaseCommand):
    help = (
        "Run a benchmark and print its figures: `ita bench NAME [--json]`; "
        "`ita bench all` rewrites docs/performance.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="benchmark name, or 'all', or 'list'")
        parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
        parser.add_argument("--seconds", type=float, default=None, help="how long load benchmarks run")
        parser.add_argument("--clients", type=int, default=None, help="concurrent clients for load benchmarks")
        parser.add_argument("--scale", type=float, default=None, help="fraction of national size for data benchmarks")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        benches = registry()
        if name == "list":
            for bench in benches.values():
                self.stdout.write(f"{bench.name:<10} {bench.measures}")
            return
        if name != "all" and name not in benches:
            raise CommandError(
                f"no benchmark {name!r}; choose one of: {', '.join(sorted(benches)) or '(none yet)'}, all"
            )
        chosen = list(benches.values()) if name == "all" else [benches[name]]
        call_command("migrate", interactive=False, verbosity=0)  # a fresh database works too
        results = {}
        for bench in chosen:
            progress = (lambda _m: None) if options["json"] else (lambda m: self.stderr.write(f"  … {m}"))
            figures = bench.run(options, progress)
            figures = {"benchmark": bench.name, "database": connection.vendor, **figures}
            results[bench.name] = figures
            if not options["json"]:
                self.stdout.write(f"\n{bench.name}: {bench.measures}")
                for key, value in figures.items():
                    self.stdout.write(f"  {key:<22} {value}")
        if name == "all":
            write_performance_doc(results)
        if options["json"]:
            self.stdout.write(json.dumps(results[name] if name != "all" else results, ensure_ascii=False))


def write_performance_doc(results: dict[str, dict[str, Any]]) -> None:
    path = Path(settings.BASE_DIR) / "docs" / "performance.md"
    lines = [
        "# Performance",
        "",
        f"Figures from `ita bench all` on {dt.date.today().isoformat()}, {machine()}, database: {connection.vendor}.",
        "Benchmarks print figures; they do not pass or fail. Re-run with `ita bench NAME --json`.",
        "",
    ]
    for name, figures in results.items():
        lines += [f"## {name}", "", "| key | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in figures.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
