"""The demo data reproduces the reference report through the whole stack: raw answers and
OIT decisions in the database -> engine -> `ita score --json`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command

from ita.assessments.models import UnitAssessment
from ita.audit.models import AuditEntry
from ita.demo.load import load_demo
from ita.scoring.services import score_assessment
from ita.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db


def score_json(capsys: pytest.CaptureFixture[str], unit: str) -> dict[str, Any]:
    call_command("score", assessment="esa-2566", unit=unit, json=True)
    return json.loads(capsys.readouterr().out)


def test_samutsakhon_scores_exactly_the_reports_figures(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    result = score_json(capsys, "samutsakhon-pesa")
    assert result == {
        "assessment": "esa-2566",
        "unit": "samutsakhon-pesa",
        "total": 96.77,
        "rating": "AA",
        "passed": True,
        "tools": {
            "IIT": {"score": 94.53, "points": 28.36},
            "EIT": {"score": 94.72, "points": 28.42},
            "OIT": {"score": 100.0, "points": 40.0},
        },
        "indicators": {
            "1": 97.75,
            "2": 90.76,
            "3": 96.22,
            "4": 94.06,
            "5": 93.87,
            "6": 95.78,
            "7": 94.07,
            "8": 94.3,
            "9": 100.0,
            "9.1": 100.0,
            "9.2": 100.0,
            "9.3": 100.0,
            "9.4": 100.0,
            "9.5": 100.0,
            "10": 100.0,
            "10.1": 100.0,
            "10.2": 100.0,
        },
        "missing": [],
        "suppressed": [],
        "collecting": [],
    }


def test_the_demo_stores_answers_not_scores_and_its_o24_history_is_audited(demo: None) -> None:
    ua = UnitAssessment.objects.get(assessment__slug="esa-2566", unit__code="samutsakhon-pesa")
    assert ua.responses.filter(tool="IIT").count() >= 25
    assert ua.responses.filter(tool="EIT").count() >= 30
    o24 = [
        e.action
        for e in AuditEntry.objects.filter(target="esa-2566/samutsakhon-pesa/O24", unit=ua.unit).order_by("at", "id")
    ]
    assert o24 == ["evidence.review.failed", "evidence.review.passed"]


def test_the_other_esas_vary_one_fails_and_one_is_short_of_the_sample(demo: None) -> None:
    ua_by_code = {
        ua.pk: ua.unit.code for ua in UnitAssessment.objects.filter(assessment__slug="esa-2566").select_related("unit")
    }
    cards = {ua_by_code[pk]: card for pk, card in score_assessment(UnitAssessment.objects.first().assessment).items()}  # type: ignore[union-attr]
    assert len(cards) >= 9
    assert cards["chiangmai1-pesa"].passed is False
    assert cards["khonkaen1-pesa"].below_sample == ("IIT",)
    assert len({card.total for card in cards.values()}) == len(cards)


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    before = (SurveyResponse.objects.count(), AuditEntry.objects.count())
    load_demo()
    assert (SurveyResponse.objects.count(), AuditEntry.objects.count()) == before


def test_score_command_refuses_an_unknown_unit_clearly(demo: None) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not part of assessment"):
        call_command("score", assessment="esa-2566", unit="nowhere")
