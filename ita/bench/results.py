"""`ita bench results`: ranking page, roll-up page and the full CSV export at national size."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from typing import Any

from django.db import transaction
from django.test import Client
from django.utils import timezone

from ita.assessments.models import Assessment, AssessmentState
from ita.bench import Benchmark, Progress, synth
from ita.results.exporters import EXPORTERS
from ita.results.models import Publication, UnitScore
from ita.results.services import latest_publication, published_cards, snapshot_hash

PREFIX = "bench-results"
REPEAT = 5


def _page_ms(client: Client, url: str) -> float:
    client.get(url)  # warm-up: template and query compilation
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


@transaction.atomic
def publish_generated(assessment: Assessment) -> Publication:
    """Version 1 of the generated assessment from its generated cards. The generator makes
    cards in bulk, without the inputs ``do_publish`` would freeze and rescore, so the benchmark
    copies the cards as they are; it is scratch data, never a real publication."""
    publication = Publication.objects.create(
        assessment=assessment, version=1, published_at=timezone.now(), sha256="", reason=""
    )
    live = UnitScore.objects.filter(assessment=assessment, publication__isnull=True).order_by("unit_code")
    frozen: list[UnitScore] = []
    for row in live.iterator(chunk_size=2000):
        row.pk = None
        row.publication = publication
        frozen.append(row)
        if len(frozen) >= 2000:
            UnitScore.objects.bulk_create(frozen)
            frozen = []
    UnitScore.objects.bulk_create(frozen)
    publication.sha256 = snapshot_hash(published_cards(publication))
    publication.units = UnitScore.objects.filter(publication=publication).count()
    publication.save(update_fields=["sha256", "units"])
    Assessment.objects.filter(pk=assessment.pk).update(state=AssessmentState.PUBLISHED)
    return publication


def _export(assessment: Any, publication: Any) -> int:
    _name, _type, stream = EXPORTERS["scores-csv"].render(assessment, publication)
    return sum(len(chunk) for chunk in stream)


def run(options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    data = synth.existing(PREFIX, scale)
    if data is None:
        progress(f"generating the synthetic tree at scale {scale}")
        data = synth.generate(PREFIX, scale, progress=progress)
        publish_generated(data.assessment)
    publication = latest_publication(data.assessment)
    client = Client(SERVER_NAME="localhost")
    progress("ranking page")
    ranking_ms = _page_ms(client, f"/results/{PREFIX}/?band=A&sort=-total")
    progress("roll-up page (every ESA)")
    rollup_ms = _page_ms(client, f"/results/{PREFIX}/rollup/{data.root.code}/")
    progress("full CSV export")
    start = time.perf_counter()
    size = _export(data.assessment, publication)
    export_s = time.perf_counter() - start
    tracemalloc.start()
    _export(data.assessment, publication)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "units": data.schools,
        "esas": data.esas,
        "ranking_ms": round(ranking_ms, 1),
        "rollup_ms": round(rollup_ms, 1),
        "export_s": round(export_s, 2),
        "export_peak_mb": round(peak / 2**20, 1),
        "export_mb": round(size / 2**20, 1),
    }


BENCHMARKS = {"results": Benchmark("results", "ranking page, roll-up page and full CSV export at national size", run)}
