"""Signals of manipulation, read from the sheets themselves and from coarse counters.

Per unit and tool: the share of responses sent on the busiest day (bursts; a sheet keeps only
its day), sent in under two minutes (the only signal kept apart from the sheets, as counters per
completion-time band created before any response), sharing their whole answer pattern with
another response, and giving the top option to every question (straight-lining). A unit is
flagged on a figure far above the assessment's norm (the median over units with enough
responses). Flags are for the program admin to look at; nothing is blocked.

Nothing here is stored per submission: every figure but the completion time is computed when
asked, in SQL over the sheets, so no side row can be matched to a sheet or order the sheets."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from ita.assessments.models import UnitAssessment
from ita.frameworks.spec import FrameworkSpec
from ita.surveys.models import SignalCount, SignalKind, SurveyResponse

METRICS = ("burst", "fast", "identical", "straight")
# A figure is "far from the norm" when above both twice the median and the median plus this.
MARGIN = 0.2
DURATION_BUCKETS = ((120, "<2m"), (300, "2-5m"), (900, "5-15m"), (3600, "15-60m"))
BANDS = (*(label for _limit, label in DURATION_BUCKETS), ">60m")
_CHUNK = 2000  # unit ids per query (SQLite's parameter limit)


def duration_bucket(seconds: int) -> str:
    return next((label for limit, label in DURATION_BUCKETS if seconds < limit), ">60m")


@dataclass
class UnitSignals:
    responses: int = 0
    days: dict[str, int] = field(default_factory=dict)
    durations: dict[str, int] = field(default_factory=dict)
    identical: int = 0  # sheets whose whole pattern another sheet of the unit shares
    straight: int = 0

    def share(self, metric: str) -> float:
        if not self.responses:
            return 0.0
        count = {
            "burst": max(self.days.values(), default=0),
            "fast": self.durations.get("<2m", 0),
            "identical": self.identical,
            "straight": self.straight,
        }[metric]
        return count / self.responses


def unit_signals(ua_ids: Iterable[int], tool: str) -> dict[int, UnitSignals]:
    """The figures of each unit that has responses, from its sheets and band counters."""
    found: dict[int, UnitSignals] = defaultdict(UnitSignals)
    for ids in _chunks(list(ua_ids)):
        sheets = SurveyResponse.objects.filter(unit_assessment_id__in=ids, tool=tool)
        days = sheets.order_by().values_list("unit_assessment_id", "submitted_on").annotate(n=Count("pk"))
        for ua, day, n in days:
            found[ua].days[day.isoformat()] = n
            found[ua].responses += n
        for ua, n in _identical(ids, tool):
            found[ua].identical = n
        by_framework: dict[int, list[int]] = defaultdict(list)
        answered = [ua for ua in ids if ua in found]
        frameworks = UnitAssessment.objects.filter(pk__in=answered).values_list("pk", "assessment__framework_id")
        for ua, framework in frameworks:
            by_framework[framework].append(ua)
        for ua, n in _straight(by_framework, tool):
            found[ua].straight = n
        bands = SignalCount.objects.filter(
            unit_assessment_id__in=ids, tool=tool, kind=SignalKind.DURATION, count__gt=0
        ).values_list("unit_assessment_id", "bucket", "count")
        for ua, band, n in bands:
            if ua in found:
                found[ua].durations[band] = n
    return dict(found)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _identical(ids: list[int], tool: str) -> list[tuple[int, int]]:
    """Per unit, how many sheets share their whole answer pattern with another. PostgreSQL
    compares jsonb by value; SQLite keeps the text, so the keys are put in order first."""
    table = SurveyResponse._meta.db_table
    if connection.vendor == "postgresql":
        pattern = "answers"
    else:
        pattern = (
            "(SELECT group_concat(key || '=' || value, ',') "
            "FROM (SELECT key, value FROM json_each(answers) ORDER BY key))"
        )
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT unit_assessment_id, SUM(n) FROM (SELECT unit_assessment_id, COUNT(*) AS n FROM {table} "  # noqa: S608
        f"WHERE tool = %s AND unit_assessment_id IN ({marks}) GROUP BY unit_assessment_id, {pattern} "
        "HAVING COUNT(*) > 1) AS shared GROUP BY unit_assessment_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tool, *ids])
        return [(ua, int(n)) for ua, n in cursor.fetchall()]


def _straight(by_framework: Mapping[int, list[int]], tool: str) -> Iterator[tuple[int, int]]:
    """Per unit, the sheets giving every question its top option (each key compared on its own,
    so the order the answers were stored in does not matter)."""
    from ita.frameworks.models import Framework

    for framework_id, uas in by_framework.items():
        spec: FrameworkSpec = Framework.objects.only("document").get(pk=framework_id).spec
        top: dict[str, Any] = {f"answers__{item.key}": item.scale.top_index for item in spec.sub_items_of(tool)}
        if not top:
            continue
        rows = (
            SurveyResponse.objects.filter(unit_assessment_id__in=set(uas), tool=tool)
            .filter(Q(**top))
            .order_by()
            .values_list("unit_assessment_id")
            .annotate(n=Count("pk"))
        )
        yield from rows


def flags(signals: Mapping[int, UnitSignals], min_responses: int) -> dict[int, list[str]]:
    """Metrics on which each unit stands far above the norm of the units compared."""
    judged = {ua: s for ua, s in signals.items() if s.responses >= min_responses}
    flagged: dict[int, list[str]] = {ua: [] for ua in signals}
    for metric in METRICS:
        values = [s.share(metric) for s in judged.values()]
        if not values:
            continue
        norm = statistics.median(values)
        limit = max(2 * norm, norm + MARGIN)
        for ua, s in judged.items():
            if s.share(metric) > limit:
                flagged[ua].append(metric)
    return flagged
