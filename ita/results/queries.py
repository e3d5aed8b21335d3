"""Rankings and roll-ups aggregated in SQL over cached score cards (no query per unit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from ita.assessments.models import Assessment
from ita.frameworks.spec import FrameworkSpec
from ita.results.models import Publication, UnitScore
from ita.units.models import Unit

SORTS = {
    "total": F("total").asc(nulls_first=True),
    "-total": F("total").desc(nulls_last=True),
    "iit": F("iit").asc(nulls_first=True),
    "-iit": F("iit").desc(nulls_last=True),
    "eit": F("eit").asc(nulls_first=True),
    "-eit": F("eit").desc(nulls_last=True),
    "oit": F("oit").asc(nulls_first=True),
    "-oit": F("oit").desc(nulls_last=True),
    "name": F("unit_name").asc(),
    "-name": F("unit_name").desc(),
}
RANKING_FIELDS = ("unit_code", "unit_name", "parent_id", "total", "band", "passed", "iit", "eit", "oit")


def scores(assessment: Assessment, publication: Publication | None) -> QuerySet[UnitScore]:
    qs = UnitScore.objects.filter(assessment=assessment)
    return qs.filter(publication=publication) if publication else qs.filter(publication__isnull=True)


def ranking(
    qs: QuerySet[UnitScore], *, band: str = "", within: Unit | None = None, sort: str = "-total"
) -> QuerySet[UnitScore]:
    if band:
        qs = qs.filter(band=band)
    if within is not None:
        qs = qs.filter(unit_path__startswith=within.path)
    return qs.order_by(SORTS.get(sort, SORTS["-total"]), "unit_code").only(*RANKING_FIELDS)


def _indicator_means(spec: FrameworkSpec) -> dict[str, Avg]:
    # Over units with a complete score only, so that groups combine exactly (see ``combine``).
    complete = Q(total__isnull=False)
    return {
        f"i_{ind.number}": Avg(Cast(KT(f"indicators__n{ind.number}"), FloatField()), filter=complete)
        for ind in spec.indicators
    }


def _summary(spec: FrameworkSpec) -> dict[str, Any]:
    bands = {f"b_{b.code}": Count("id", filter=Q(band=b.code)) for b in spec.bands}
    return {"n": Count("id"), "scored": Count("total"), "mean": Avg("total"), **bands, **_indicator_means(spec)}


@dataclass
class Summary:
    n: int
    scored: int
    mean: float | None
    bands: list[tuple[str, int]]
    indicators: list[tuple[str, str, float | None]]  # number, name, mean
    unit: Unit | None = None

    @property
    def weakest(self) -> tuple[str, str, float | None] | None:
        known = [i for i in self.indicators if i[2] is not None]
        return min(known, key=lambda i: i[2]) if known else None  # type: ignore[arg-type, return-value]


def _to_summary(spec: FrameworkSpec, row: Mapping[str, Any], unit: Unit | None = None) -> Summary:
    return Summary(
        n=row["n"],
        scored=row["scored"],
        mean=None if row["mean"] is None else float(row["mean"]),
        bands=[(b.code, row[f"b_{b.code}"]) for b in spec.bands],
        indicators=[(i.number, i.name_th, row[f"i_{i.number}"]) for i in spec.indicators],
        unit=unit,
    )


def summary(spec: FrameworkSpec, qs: QuerySet[UnitScore]) -> Summary:
    """Count per band, mean total and mean per indicator over a set of units: one query."""
    return _to_summary(spec, qs.aggregate(**_summary(spec)))


def rollup(spec: FrameworkSpec, qs: QuerySet[UnitScore], unit: Unit) -> list[Summary]:
    """The units below ``unit`` grouped by their parent (OBEC: one row per ESA; an ESA: its
    schools), each with the same summary: one query for all groups, one for their names."""
    rows = list(
        qs.filter(unit_path__startswith=unit.path).values("parent_id").annotate(**_summary(spec)).order_by("parent_id")
    )
    parents = Unit.objects.in_bulk([r["parent_id"] for r in rows if r["parent_id"]])
    out = [_to_summary(spec, r, parents.get(r["parent_id"])) for r in rows]
    return sorted(out, key=lambda s: s.unit.name_th if s.unit else "")


def combine(spec: FrameworkSpec, groups: list[Summary]) -> Summary:
    """The summary of several groups without another pass over the rows: means weighted by
    the number of units with a complete score (the only units the means are taken over)."""
    scored = sum(g.scored for g in groups)

    def weighted(values: list[tuple[float | None, int]]) -> float | None:
        known = [(v, w) for v, w in values if v is not None and w]
        return sum(v * w for v, w in known) / sum(w for _v, w in known) if known else None

    bands = [(b.code, sum(dict(g.bands)[b.code] for g in groups)) for b in spec.bands]
    indicators = [
        (
            i.number,
            i.name_th,
            weighted([(dict((n, m) for n, _x, m in g.indicators)[i.number], g.scored) for g in groups]),
        )
        for i in spec.indicators
    ]
    return Summary(
        n=sum(g.n for g in groups),
        scored=scored,
        mean=weighted([(g.mean, g.scored) for g in groups]),
        bands=bands,
        indicators=indicators,
    )
