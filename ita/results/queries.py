"""Rankings in SQL over cached score cards; roll-up means from the engine's unrounded figures
(one query per set of units, no query per unit)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import F, QuerySet

from ita.assessments.models import Assessment
from ita.frameworks.spec import FrameworkSpec
from ita.lib.rounding import mean, round_half_up
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


@dataclass
class Summary:
    """Counts and means over a set of units. Every mean is taken over the engine's unrounded
    figures (``UnitScore.exact``) of the units with a complete score, and rounded half-up only
    for display: a mean of rounded figures can differ in the second decimal."""

    n: int
    scored: int
    mean: Decimal | None  # display value (2 places, half-up) of ``exact_mean``
    bands: list[tuple[str, int]]
    indicators: list[tuple[str, str, Decimal | None]]  # number, name, mean (display value)
    unit: Unit | None = None
    exact_mean: Fraction | None = None
    exact_indicators: dict[str, Fraction | None] = field(default_factory=dict)

    @property
    def weakest(self) -> tuple[str, str, Decimal | None] | None:
        known = [i for i in self.indicators if i[2] is not None]
        return min(known, key=lambda i: i[2]) if known else None  # type: ignore[arg-type, return-value]


def _shown(value: Fraction | None) -> Decimal | None:
    return None if value is None else round_half_up(value)


def _figure(exact: dict[str, str], key: str, rounded: Any) -> Fraction | None:
    # Rows cached before unrounded figures were stored fall back to their rounded figure.
    if key in exact:
        return Fraction(exact[key])
    return None if rounded is None else Fraction(Decimal(str(rounded)))


def summary_of(
    spec: FrameworkSpec, rows: list[tuple[Any, Any, dict[str, str], dict[str, Any]]], unit: Unit | None = None
) -> Summary:
    """From (band, total, exact, indicators) per unit."""
    complete = [(total, exact or {}, indicators or {}) for _band, total, exact, indicators in rows if total is not None]
    totals = [_figure(exact, "total", total) for total, exact, _i in complete]
    exact_mean = mean(t for t in totals if t is not None)
    per: dict[str, Fraction | None] = {}
    for ind in spec.indicators:
        key = f"n{ind.number}"
        values = [_figure(exact, key, indicators.get(key)) for _t, exact, indicators in complete]
        per[ind.number] = mean(v for v in values if v is not None)
    counts = Counter(band for band, *_rest in rows)
    return Summary(
        n=len(rows),
        scored=len(complete),
        mean=_shown(exact_mean),
        bands=[(b.code, counts.get(b.code, 0)) for b in spec.bands],
        indicators=[(i.number, i.name_th, _shown(per[i.number])) for i in spec.indicators],
        unit=unit,
        exact_mean=exact_mean,
        exact_indicators=per,
    )


SUMMARY_FIELDS = ("band", "total", "exact", "indicators")


def summary(spec: FrameworkSpec, qs: QuerySet[UnitScore]) -> Summary:
    """Count per band, mean total and mean per indicator over a set of units: one query."""
    return summary_of(spec, list(qs.values_list(*SUMMARY_FIELDS)))


def rollup(spec: FrameworkSpec, qs: QuerySet[UnitScore], unit: Unit) -> list[Summary]:
    """The units below ``unit`` grouped by their parent (OBEC: one row per ESA; an ESA: its
    schools), each with the same summary: one query for all groups, one for their names."""
    groups: dict[int | None, list[tuple[Any, Any, dict[str, str], dict[str, Any]]]] = defaultdict(list)
    for parent_id, *row in qs.filter(unit_path__startswith=unit.path).values_list("parent_id", *SUMMARY_FIELDS):
        groups[parent_id].append(tuple(row))
    parents = Unit.objects.in_bulk([p for p in groups if p])
    out = [summary_of(spec, rows, parents.get(p) if p else None) for p, rows in sorted(groups.items(), key=str)]
    return sorted(out, key=lambda s: s.unit.name_th if s.unit else "")


def combine(spec: FrameworkSpec, groups: list[Summary]) -> Summary:
    """The summary of several groups without another pass over the rows: the groups' exact
    means weighted by the number of units with a complete score (the units they are taken
    over), so the result equals the summary of all their units exactly."""
    scored = sum(g.scored for g in groups)

    def weighted(values: list[tuple[Fraction | None, int]]) -> Fraction | None:
        known = [(v, w) for v, w in values if v is not None and w]
        return sum((v * w for v, w in known), Fraction(0)) / sum(w for _v, w in known) if known else None

    bands = [(b.code, sum(dict(g.bands)[b.code] for g in groups)) for b in spec.bands]
    per = {i.number: weighted([(g.exact_indicators.get(i.number), g.scored) for g in groups]) for i in spec.indicators}
    exact_mean = weighted([(g.exact_mean, g.scored) for g in groups])
    return Summary(
        n=sum(g.n for g in groups),
        scored=scored,
        mean=_shown(exact_mean),
        bands=bands,
        indicators=[(i.number, i.name_th, _shown(per[i.number])) for i in spec.indicators],
        exact_mean=exact_mean,
        exact_indicators=per,
    )
