"""Signals of manipulation, read from coarse counters only (never from who or when).

Per unit and tool: the share of responses in the busiest hour (bursts), sent in under two
minutes, sharing their whole answer pattern with another response, and giving the top option
to every question (straight-lining). A unit is flagged on a figure far above the assessment's
norm (the median over units with enough responses). Flags are for the program admin to look
at; nothing is blocked."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ita.surveys.models import SignalCount, SignalKind

METRICS = ("burst", "fast", "identical", "straight")
# A figure is "far from the norm" when above both twice the median and the median plus this.
MARGIN = 0.2


@dataclass
class UnitSignals:
    responses: int = 0
    hours: dict[str, int] = field(default_factory=dict)
    durations: dict[str, int] = field(default_factory=dict)
    patterns: list[int] = field(default_factory=list)
    straight: int = 0

    def share(self, metric: str) -> float:
        if not self.responses:
            return 0.0
        count = {
            "burst": max(self.hours.values(), default=0),
            "fast": self.durations.get("<2m", 0),
            "identical": sum(n for n in self.patterns if n > 1),
            "straight": self.straight,
        }[metric]
        return count / self.responses


def unit_signals(ua_ids: Iterable[int], tool: str) -> dict[int, UnitSignals]:
    found: dict[int, UnitSignals] = defaultdict(UnitSignals)
    rows = SignalCount.objects.filter(unit_assessment_id__in=list(ua_ids), tool=tool).values_list(
        "unit_assessment_id", "kind", "bucket", "count"
    )
    for ua_id, kind, bucket, count in rows:
        s = found[ua_id]
        if kind == SignalKind.HOUR:
            s.hours[bucket] = count
            s.responses += count
        elif kind == SignalKind.DURATION:
            s.durations[bucket] = count
        elif kind == SignalKind.PATTERN:
            s.patterns.append(count)
        elif kind == SignalKind.STRAIGHT:
            s.straight += count
    return dict(found)


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
