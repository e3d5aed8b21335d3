from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the app under gunicorn (the production server): `ita serve [--bind 127.0.0.1:8000] [--workers 4]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ITA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "4")))

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"ITA Online: http://{bind}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - replaces this process with gunicorn; no shell is involved
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ita.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-" if options["verbosity"] > 1 else "/dev/null",
                "--graceful-timeout",
                "5",
            ],
        )
