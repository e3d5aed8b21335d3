from __future__ import annotations

import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ita.jobs.queue import requeue_stale, run_one


class Command(BaseCommand):
    help = "Work the jobs table (link checks, batch reports): `ita worker [--once] [--burst]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run at most one job, then exit")
        parser.add_argument("--burst", action="store_true", help="run until no job is ready, then exit")
        parser.add_argument("--kind", action="append", help="only jobs of this kind (repeatable)")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds to wait when the queue is empty")
        parser.add_argument("--name", default="", help="worker name recorded on claimed jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"] or f"{socket.gethostname()}:{os.getpid()}"
        requeue_stale()
        ran = 0
        while True:
            job = run_one(name, options["kind"])
            if job is not None:
                ran += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{job.kind}#{job.pk}: {job.state}")
            if options["once"] or (job is None and options["burst"]):
                break
            if job is None:
                time.sleep(options["poll"])
        if options["verbosity"] > 0:
            self.stdout.write(f"worker {name}: {ran} job(s)")
