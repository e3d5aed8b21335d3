"""`ita bench submit`: complete IIT responses through the production server on loopback.

Builds a scratch assessment (`bench-submit`, over `bench-esa-*` units) in the database of
DATABASE_URL with enough single-use codes, starts `ita serve` (gunicorn, 4 workers, DEBUG
off) on a free loopback port, and drives it with `wrk` and a Lua script (submit.lua):
each connection loads a code's form, and the thread posts every form it has loaded with a
complete answer sheet, so every submission is a real GET then POST with a fresh one-time token.
In the last two seconds the script stops posting (it loads /healthz instead), so every post
has been answered when wrk stops and acknowledged can be compared with stored exactly. Then
wrk measures /healthz alone with the same connections: the ceiling of this client and server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_calendar, do_set_headcounts
from ita.bench import Benchmark, Progress
from ita.flow import do_add_units
from ita.frameworks.services import do_load_framework
from ita.surveys.codes import do_issue_codes
from ita.surveys.models import SignalCount, SurveyCode, SurveyResponse, UsedFormToken
from ita.surveys.services import rebuild_tallies
from ita.units.models import Unit, UnitType

SLUG = "bench-submit"
UNITS = 8  # responses spread over several units, as in a real collection window
TAIL = 2  # seconds at the end without posts
LUA = Path(__file__).with_name("submit.lua")


def run(options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    seconds = int(options.get("seconds") or 20)
    clients = int(options.get("clients") or 32)
    if not shutil.which("wrk"):
        raise SystemExit("ita bench submit needs wrk (Debian package 'wrk')")
    progress("building the scratch assessment and its codes")
    uas = _scratch()
    spec = uas[0].assessment.framework.spec
    codes = _codes(uas, count=seconds * 900)
    with tempfile.TemporaryDirectory(prefix="ita-bench-") as tmp:
        codes_file = Path(tmp) / "codes.txt"
        codes_file.write_text("\n".join(codes) + "\n")
        body_file = Path(tmp) / "answers.txt"
        body_file.write_text(
            "&".join(
                f"a-{item.key}={(i * 7) % len(item.scale.options)}" for i, item in enumerate(spec.sub_items_of("IIT"))
            )
        )
        port = _free_port()
        progress(f"starting `ita serve` on 127.0.0.1:{port}")
        server = _serve(port)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base + "/healthz")
            progress(f"wrk: {clients} connections load a form and post it, for {seconds} s")
            submit = _wrk(
                base,
                clients,
                seconds,
                ["-s", str(LUA), base, "--", str(codes_file), str(body_file), str(TAIL), str(seconds)],
            )
            progress(f"wrk: {clients} connections on /healthz, for {seconds} s")
            trivial = _wrk(base, clients, seconds, [base + "/healthz"])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    stored = SurveyResponse.objects.filter(unit_assessment__in=uas).count()
    acknowledged = int(submit["acknowledged"])
    window = max(1, seconds - TAIL)
    rps = acknowledged / window
    trivial_rps = trivial["requests"] / seconds
    return {
        "rps": round(rps, 1),
        "trivial_rps": round(trivial_rps, 1),
        "ratio": round(rps / trivial_rps, 3) if trivial_rps else None,
        "p50_ms": submit["p50_ms"],
        "p99_ms": submit["p99_ms"],
        "errors": submit["errors"],
        "acknowledged": acknowledged,
        "stored": stored,
        "clients": clients,
        "seconds": seconds,
        "form_loads": submit["forms"],
        "requests_per_s": round(submit["requests"] / seconds, 1),
    }


def _scratch() -> list[UnitAssessment]:
    """The bench's own assessment and units, emptied of earlier runs' answers."""
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    root, _ = Unit.objects.get_or_create(
        code="bench-root", defaults={"name_th": "หน่วยทดสอบสมรรถนะ", "unit_type": UnitType.OBEC}
    )
    units = [
        Unit.objects.get_or_create(
            code=f"bench-esa-{i}", defaults={"name_th": f"สพท.ทดสอบ {i}", "unit_type": UnitType.ESA, "parent": root}
        )[0]
        for i in range(1, UNITS + 1)
    ]
    assessment = Assessment.objects.filter(slug=SLUG).first() or do_create_assessment(
        slug=SLUG, name_th="การประเมินทดสอบสมรรถนะ", framework=framework, run_by=root
    )
    now = timezone.now()
    do_set_calendar(assessment, {"iit": (now - dt.timedelta(days=1), now + dt.timedelta(days=1))})
    do_add_units(assessment, units)
    uas = list(assessment.unit_assessments.select_related("assessment__framework"))
    with transaction.atomic():
        SurveyResponse.objects.filter(unit_assessment__in=uas).delete()
        SurveyCode.objects.filter(unit_assessment__in=uas).delete()
        SignalCount.objects.filter(unit_assessment__in=uas).delete()
        UsedFormToken.objects.filter(used_on__lt=timezone.localdate() - dt.timedelta(days=2)).delete()
        for ua in uas:
            do_set_headcounts(ua, internal=5000, external=5000)
            rebuild_tallies(ua, assessment.framework.spec)
    return uas


def _codes(uas: list[UnitAssessment], count: int) -> list[str]:
    codes: list[str] = []
    per_unit = -(-count // len(uas))
    for ua in uas:
        for start in range(0, per_unit, 2000):
            codes += do_issue_codes(ua, "IIT", min(2000, per_unit - start)).codes
    # interleave units so concurrent posts go to different units, as they would
    return [codes[u * per_unit + i] for i in range(per_unit) for u in range(len(uas))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "WEB_CONCURRENCY": "4",
    }
    return subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "ita", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own loopback server
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def _wrk(base: str, clients: int, seconds: int, args: list[str]) -> dict[str, Any]:
    """Run wrk; the Lua script (when given) prints a JSON line of its own counts at the end."""
    cmd = [
        "wrk",
        "-t",
        str(min(2, clients)),
        "-c",
        str(clients),
        "-d",
        f"{seconds}s",
        "--latency",
        "--timeout",
        "5s",
        *args,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
    found: dict[str, Any] = {"requests": int(re.search(r"(\d+) requests in", out).group(1))}  # type: ignore[union-attr]
    found["p50_ms"] = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    found["p99_ms"] = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    found["errors"] = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    found["errors"] += int(bad_status.group(1)) if bad_status else 0
    line = next((ln for ln in out.splitlines() if ln.startswith("{")), None)
    if line:
        counts = json.loads(line)
        found["acknowledged"], found["forms"] = counts["acknowledged"], counts["forms"]
        found["errors"] += counts["unexpected"]
    return found


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


BENCHMARKS = {
    "submit": Benchmark(
        "submit",
        "complete IIT responses (form load + post) through gunicorn on loopback, driven by wrk, next to /healthz",
        run,
    )
}
