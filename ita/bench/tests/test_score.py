from __future__ import annotations

from typing import Any

import pytest

from ita.bench.score import run
from ita.surveys.models import SurveyResponse
from ita.units.models import Unit

pytestmark = pytest.mark.django_db


def test_the_score_benchmark_builds_its_own_units_and_leaves_the_demo_alone(demo: Any) -> None:
    demo_units = set(Unit.objects.values_list("code", flat=True))
    demo_sheets = SurveyResponse.objects.count()
    figures = run({"scale": 0.01}, lambda _msg: None)
    assert figures["units"] == 10
    assert figures["answers"] > 0
    new_units = set(Unit.objects.values_list("code", flat=True)) - demo_units
    assert new_units and all(code.startswith("bench-score-") for code in new_units)
    assert SurveyResponse.objects.exclude(unit_assessment__assessment__slug="bench-score").count() == demo_sheets
    assert run({"scale": 0.01}, lambda _msg: None)["answers"] == figures["answers"]  # reused, not rebuilt
