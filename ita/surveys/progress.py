"""Responses so far against the minimum sample, per unit and tool: counts only, never a score
or a breakdown by answer, so nothing of a small group is revealed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from ita.assessments.models import UnitAssessment
from ita.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from ita.surveys.models import SurveyCode, SurveyResponse, ToolTally


@dataclass(frozen=True)
class ToolProgress:
    tool: str
    respondents: int
    required: int
    population: int
    codes_issued: int
    codes_used: int

    @property
    def percent(self) -> int:
        if not self.required:
            return 0
        return min(100, round(100 * self.respondents / self.required))

    @property
    def reached(self) -> bool:
        return self.required > 0 and self.respondents >= self.required

    def as_json(self) -> dict[str, Any]:
        return {
            "respondents": self.respondents,
            "required": self.required,
            "population": self.population,
            "percent": self.percent,
            "reached": self.reached,
            "codes_issued": self.codes_issued,
            "codes_used": self.codes_used,
        }


def progress_of(spec: FrameworkSpec, uas: Sequence[UnitAssessment]) -> dict[int, dict[str, ToolProgress]]:
    """Three queries whatever the number of units."""
    ids = [ua.pk for ua in uas]
    respondents = {
        (ua, t): n
        for ua, t, n in ToolTally.objects.filter(unit_assessment_id__in=ids).values_list(
            "unit_assessment_id", "tool", "respondents"
        )
    }
    codes: dict[tuple[int, str, bool], int] = {
        (row["unit_assessment_id"], row["tool"], row["used"]): row["n"]
        for row in SurveyCode.objects.filter(unit_assessment_id__in=ids)
        .values("unit_assessment_id", "tool", "used")
        .annotate(n=Count("digest"))
    }
    result: dict[int, dict[str, ToolProgress]] = {}
    for ua in uas:
        result[ua.pk] = {}
        for tool in SURVEY_TOOLS:
            population = ua.population[tool]
            used = codes.get((ua.pk, tool, True), 0)
            result[ua.pk][tool] = ToolProgress(
                tool=tool,
                respondents=respondents.get((ua.pk, tool), 0),
                required=spec.sample_rules[tool].required(population),
                population=population,
                codes_issued=used + codes.get((ua.pk, tool, False), 0),
                codes_used=used,
            )
    return result


def category_counts(spec: FrameworkSpec, ua: UnitAssessment) -> list[tuple[str, str, int]]:
    """(code, Thai label, count) of EIT respondents per category: counts only."""
    counts: dict[str, int] = defaultdict(int)
    for category, n in (
        SurveyResponse.objects.filter(unit_assessment=ua, tool="EIT").values_list("category").annotate(n=Count("id"))
    ):
        counts[category] += n
    return [(c.code, c.label_th, counts.get(c.code, 0)) for c in spec.respondent_categories]
