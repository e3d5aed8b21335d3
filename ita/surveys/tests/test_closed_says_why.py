"""Outside its window a survey says why and until when, in the Buddhist Era, and stores nothing;
after publication no answer is taken whatever the calendar says."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from ita.assessments.models import AssessmentPhase, AssessmentState
from ita.lib import caches
from ita.surveys.tests.conftest import full_answers
from ita.surveys.tests.test_iit_collection import open_form, stored

BANGKOK = ZoneInfo("Asia/Bangkok")


def test_a_window_not_yet_open_says_when_it_opens(client: Client, ua_a: Any, iit_codes: list[str]) -> None:
    AssessmentPhase.objects.filter(kind="iit").update(
        starts_at=dt.datetime(2030, 1, 5, tzinfo=BANGKOK), ends_at=dt.datetime(2030, 2, 1, tzinfo=BANGKOK)
    )
    caches.clear()
    page = client.post("/s/", {"code": iit_codes[0]})
    assert page.status_code == 403
    assert "แบบวัด IIT เปิดรับคำตอบวันที่ 5 ม.ค. 2573 00:00 น. ถึง 1 ก.พ. 2573 00:00 น." in page.content.decode()


def test_a_closed_window_says_since_when(client: Client, ua_a: Any, iit_codes: list[str]) -> None:
    AssessmentPhase.objects.filter(kind="iit").update(
        starts_at=dt.datetime(2020, 1, 5, tzinfo=BANGKOK), ends_at=dt.datetime(2020, 2, 1, 12, 0, tzinfo=BANGKOK)
    )
    caches.clear()
    html = client.post("/s/", {"code": iit_codes[0]}).content.decode()
    assert "แบบวัด IIT ปิดรับคำตอบแล้วเมื่อ 1 ก.พ. 2563 12:00 น." in html


def test_no_answer_is_taken_after_publication_even_inside_the_window(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    ua_a.assessment.state = AssessmentState.PUBLISHED
    ua_a.assessment.save(update_fields=["state"])
    caches.clear()
    page = client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT")})
    assert page.status_code == 403
    assert "ผลการประเมินประกาศแล้ว จึงไม่รับคำตอบเพิ่มอีก" in page.content.decode()
    assert stored(ua_a) == 0
