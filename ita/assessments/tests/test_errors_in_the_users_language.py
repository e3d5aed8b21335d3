"""What the assessment services refuse is said in Thai, and in English on English pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from ita.assessments.models import PhaseKind
from ita.assessments.services import AssessmentError, do_set_calendar
from ita.flow import do_add_units


def test_a_phase_that_ends_before_it_starts_is_refused_in_thai_naming_the_phase(assessment: Any) -> None:
    now = timezone.now()
    with pytest.raises(AssessmentError) as refused:
        do_set_calendar(assessment, {PhaseKind.IIT: (now, now - dt.timedelta(days=1))})
    assert str(refused.value) == "ช่วงเก็บข้อมูล IIT: วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น"


def test_a_unit_outside_the_running_unit_is_refused_in_english_on_an_english_page(assessment: Any, tree: Any) -> None:
    with translation.override("en"), pytest.raises(AssessmentError) as refused:
        do_add_units(assessment, [tree["obec"]])
    assert str(refused.value) == "obec is not below obec, which runs this assessment"
