"""What anyone may find without logging in: published assessments and their units, read from
the frozen score cards of each assessment's latest publication (never live figures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ita.assessments.models import Assessment
from ita.results.models import Publication, UnitScore

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Published:
    assessment: Assessment
    publication: Publication


def _latest_ids() -> QuerySet[Publication, Any]:
    newest = Publication.objects.filter(assessment=OuterRef("assessment")).order_by("-version").values("pk")[:1]
    return Publication.objects.filter(pk=Subquery(newest)).values("pk")


def published_assessments() -> list[Published]:
    """Every assessment with a published version, newest fiscal year first, with that version."""
    latest = Publication.objects.filter(pk__in=_latest_ids()).select_related("assessment__run_by")
    found = [Published(p.assessment, p) for p in latest]
    return sorted(found, key=lambda p: (-p.assessment.fiscal_year, p.assessment.name_th))


def search_units(text: str, limit: int = SEARCH_LIMIT) -> list[UnitScore]:
    """Published units whose name or code contains ``text`` (the frozen card of the latest
    version of each assessment), best-known first: newest year, then name."""
    text = text.strip()
    if not text:
        return []
    rows = UnitScore.objects.filter(publication__in=_latest_ids()).filter(
        Q(unit_name__icontains=text) | Q(unit_code__icontains=text)
    )
    rows = rows.select_related("assessment").order_by("-assessment__fiscal_year", "unit_name", "assessment__slug")
    return list(rows[:limit])
