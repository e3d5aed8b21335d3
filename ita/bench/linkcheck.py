"""`ita bench linkcheck`: 2,000 evidence links checked by two `ita worker` processes against
a local server mix (fast, slow, dead, redirecting); counts jobs that ran twice."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings
from django.db.models import Count

from ita.assessments.models import Assessment, UnitAssessment
from ita.bench import Benchmark, Progress
from ita.disclosure.models import EvidenceItem, EvidenceLink, ItemState, LinkCheck
from ita.disclosure.services import ensure_evidence_items
from ita.frameworks.services import do_load_framework
from ita.jobs.models import Job, JobState
from ita.units.models import Unit, UnitType

URLS = 2000
WORKERS = 2
THREADS = 8  # per worker: a link check mostly waits on the network
SLOW_SECONDS = 0.2
# Out of every 20 links: 12 fast pages, 2 slow, 3 dead (404), 3 redirects to a fast page.
MIX = ("fast",) * 12 + ("slow",) * 2 + ("dead",) * 3 + ("redirect",) * 3
PAGE = (
    b"<html><head><title>\xe0\xb8\x82\xe0\xb9\x89\xe0\xb8\xad\xe0\xb8\xa1\xe0\xb8\xb9\xe0\xb8\xa5</title></head><body>"
    + b"x" * 4000
    + b"</body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        kind = self.path.split("/")[1]
        if kind == "slow":
            time.sleep(SLOW_SECONDS)
        if kind == "dead":
            self._send(404, b"not found", "text/plain")
        elif kind == "redirect":
            self.send_response(302)
            self.send_header("Location", self.path.replace("/redirect/", "/fast/"))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(200, PAGE, "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _scratch_units(count: int) -> list[UnitAssessment]:
    """Bench units and assessment of their own (bench- prefix); reused across runs."""
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    root, _ = Unit.objects.get_or_create(
        code="bench-oit-root", defaults={"name_th": "หน่วยทดสอบ OIT", "unit_type": UnitType.OBEC}
    )
    assessment, _ = Assessment.objects.get_or_create(
        slug="bench-linkcheck",
        defaults={
            "name_th": "bench linkcheck",
            "fiscal_year": framework.fiscal_year,
            "framework": framework,
            "run_by": root,
        },
    )
    uas = []
    for n in range(count):
        unit, _ = Unit.objects.get_or_create(
            code=f"bench-oit-{n}", defaults={"name_th": f"หน่วยทดสอบ {n}", "unit_type": UnitType.ESA, "parent": root}
        )
        ua, _ = UnitAssessment.objects.get_or_create(assessment=assessment, unit=unit)
        ensure_evidence_items([ua], [i.code for i in framework.spec.oit_items])
        uas.append(ua)
    return uas


def _prepare(base: str, urls: int) -> list[int]:
    uas = _scratch_units(-(-urls // (43 * 10)))
    Job.objects.filter(kind="linkcheck", payload__bench=True).delete()
    EvidenceLink.objects.filter(item__unit_assessment__in=uas).delete()
    items = list(EvidenceItem.objects.filter(unit_assessment__in=uas).order_by("id"))
    EvidenceItem.objects.filter(pk__in=[i.pk for i in items]).update(state=ItemState.SUBMITTED, present=True)
    links = [
        EvidenceLink(
            item=items[n % len(items)],
            url=f"{base}/{MIX[n % len(MIX)]}/{n}",
            label=f"bench {n}",
            position=n // len(items),
        )
        for n in range(urls)
    ]
    EvidenceLink.objects.bulk_create(links, batch_size=500)
    ids = list(EvidenceLink.objects.filter(item__in=items).values_list("pk", flat=True))
    Job.objects.bulk_create(
        [Job(kind="linkcheck", payload={"link": pk, "purpose": "submission", "bench": True}) for pk in ids],
        batch_size=500,
    )
    return ids


def run(options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    urls = int(URLS * (options.get("scale") or 1))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        progress(f"queueing {urls} link checks against {base}")
        link_ids = _prepare(base, urls)
        env = {**os.environ, "ITA_LINKCHECK_ALLOW_LOOPBACK": "true", "ITA_LINKCHECK_TIMEOUT": "5"}
        started = time.perf_counter()
        workers = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                [
                    sys.executable,
                    "-m",
                    "ita",
                    "worker",
                    "--burst",
                    "--kind",
                    "linkcheck",
                    "--name",
                    f"bench-{n}",
                    "--threads",
                    str(THREADS),
                    "-v",
                    "0",
                ],
                env=env,
            )
            for n in range(WORKERS)
        ]
        while any(w.poll() is None for w in workers):
            time.sleep(1)
            done = Job.objects.filter(
                kind="linkcheck", payload__bench=True, state__in=[JobState.DONE, JobState.FAILED]
            ).count()
            progress(f"{done}/{urls} checked")
        seconds = time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()
    checks = LinkCheck.objects.filter(link_id__in=link_ids)
    duplicates = checks.values("job_id").annotate(n=Count("id")).filter(n__gt=1).count()
    by_worker = dict(
        Job.objects.filter(kind="linkcheck", payload__bench=True).values_list("locked_by").annotate(n=Count("id"))
    )
    return {
        "urls": urls,
        "seconds": round(seconds, 2),
        "urls_per_s": round(urls / seconds, 1),
        "duplicate_runs": duplicates,
        "checked": checks.count(),
        "ok": checks.filter(ok=True).count(),
        "dead": checks.filter(ok=False).count(),
        "workers": WORKERS,
        "threads_per_worker": THREADS,
        "jobs_per_worker": _per_process(by_worker),
        "worker_exit_codes": [w.returncode for w in workers],
    }


def _per_process(by_thread: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for name, n in by_thread.items():
        totals[name.split("/")[0]] = totals.get(name.split("/")[0], 0) + n
    return totals


BENCHMARKS = {
    "linkcheck": Benchmark(
        "linkcheck", "OIT link checks against a local server mix (fast, slow, dead, redirecting) with two workers", run
    )
}
