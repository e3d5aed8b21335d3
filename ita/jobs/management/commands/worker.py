from __future__ import annotations

import os
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from ita.jobs.queue import requeue_stale, run_one, wait_for_work


class Command(BaseCommand):
    help = "Work the jobs table (link checks, batch reports): `ita worker [--once] [--burst] [--threads N]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run at most one job, then exit")
        parser.add_argument("--burst", action="store_true", help="run until no job is ready, then exit")
        parser.add_argument("--kind", action="append", help="only jobs of this kind (repeatable)")
        parser.add_argument(
            "--threads", type=int, default=1, help="jobs run at once (link checks mostly wait on the network)"
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (PostgreSQL wakes sooner on NOTIFY)",
        )
        parser.add_argument("--name", default="", help="worker name recorded on claimed jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"] or f"{socket.gethostname()}:{os.getpid()}"
        requeue_stale()
        if options["once"] or options["threads"] <= 1:
            ran = self.loop(name, options)
        else:
            counts: list[int] = []
            threads = [
                threading.Thread(
                    target=lambda n=n: counts.append(self.loop(f"{name}/{n}", options, own_connection=True))
                )
                for n in range(options["threads"])
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            ran = sum(counts)
        if options["verbosity"] > 0:
            self.stdout.write(f"worker {name}: {ran} job(s)")

    def loop(self, name: str, options: dict[str, Any], own_connection: bool = False) -> int:
        ran = 0
        try:
            while True:
                job = run_one(name, options["kind"])
                if job is not None:
                    ran += 1
                    if options["verbosity"] > 1:
                        self.stdout.write(f"{job.kind}#{job.pk}: {job.state}")
                if options["once"] or (job is None and options["burst"]):
                    return ran
                if job is None:
                    wait_for_work(options["poll"])
        finally:
            if own_connection:
                connection.close()
