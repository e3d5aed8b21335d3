"""Publish the demo's esa-2566 so its results are public (idempotent: once published, left alone)."""

from __future__ import annotations

from ita.assessments.models import Assessment
from ita.results.services import do_publish, latest_publication


def publish_demo() -> None:
    assessment = Assessment.objects.filter(slug="esa-2566").first()
    if assessment is not None and latest_publication(assessment) is None:
        do_publish(assessment, actor=None)
