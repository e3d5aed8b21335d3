"""Measures and their follow-up, over the demo: สพป.สมุทรสาคร's measures of the report, the
suggestions from the engine's analysis, overdue rounds, carrying over into next year, bad input
and a coordinator of another unit."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import PhaseKind, UnitAssessment
from ita.audit.models import AuditEntry
from ita.disclosure.models import EvidenceItem
from ita.improvement import progress
from ita.improvement.models import FollowUp, Measure, Status
from ita.improvement.services import MAX_TEXT, MeasureInput, do_add_measure, do_set_public, plan_of
from ita.lib.rounding import display

pytestmark = pytest.mark.django_db

PAGE = "/improvement/esa-2566/samutsakhon-pesa/"


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _ua(code: str = "samutsakhon-pesa") -> UnitAssessment:
    return UnitAssessment.objects.select_related("unit", "assessment__framework").get(
        assessment__slug="esa-2566", unit__code=code
    )


def test_the_public_page_shows_the_reports_part_3_table_and_part_4_actions(demo: Any) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 200
    text = _text(response.content)
    for row in (
        "1.ด้านการป้องกันการทุจริต -จัดทำประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงาน",
        "ทบทวนนโยบายหรือมาตรการป้องกันการทุจริตในหน่วยงานให้มีประสิทธิภาพ",
        "2.ด้านการเปิดเผยข้อมูล",
        "ดำเนินการตรวจสอบข้อมูลให้ถูกต้องครบถ้วน สมบูรณ์",
        "3.ด้านการปรับปรุงระบบการทำงาน",
        "4.ด้านประสิทธิภาพการสื่อสาร",
        "กลุ่มส่งเสริมการศึกษาทางไกลฯ",
        "รายงานการกำกับติดตาม รอบ 6 เดือน และรอบ 12 เดือน",
        "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. 2567",
        "สรุปผลการดำเนินงาน",
    ):
        assert row in text, row
    assert text.count("รายงานการกำกับติดตาม รอบ 6 เดือน") == 4
    assert response.content.count(b"data-measure=") == 4
    assert "จุดที่ควรพัฒนา" not in text  # the analysis is for those who write the measures
    assert "บันทึกผลการติดตาม" not in text


def test_suggestions_come_from_the_engines_weakest_indicators(demo: Any) -> None:
    weak = progress.weaknesses(_ua(), released_only=True)
    # Part 2 of the report: the lowest are 2 (90.76), 5 (93.87) and 4 (94.06); no OIT item failed.
    assert [(w.code, display(w.score)) for w in weak] == [("2", "90.76"), ("5", "93.87"), ("4", "94.06")]
    assert [e.title for e in weak[0].proposals] == ["เปิดเผยแผนและผลการใช้จ่ายงบประมาณ"]
    response = _as("samutsakhon").get(PAGE)
    assert b'data-weak="2"' in response.content and b'data-weak="9"' not in response.content


def test_failed_oit_items_are_suggested_with_the_assessors_reasons(demo: Any) -> None:
    ua = _ua("chiangmai1-pesa")
    failed = dict(EvidenceItem.objects.filter(unit_assessment=ua, passed=False).values_list("item_code", "reason"))
    assert len(failed) == 19
    weak = progress.weaknesses(ua, released_only=True)
    assert {w.code: w.reason for w in weak if w.code.startswith("O")} == failed
    o = next(w for w in weak if w.code.startswith("O"))
    spec = ua.assessment.framework.spec
    indicator = next(i.number for i in spec.indicators for s in i.sub_indicators for it in s.items if it.code == o.code)
    assert {e.answers for e in o.proposals} == {indicator}  # the indicator's proposals (9 or 10)


def test_an_overdue_round_appears_on_the_coordinators_and_the_program_admins_dashboards(demo: Any) -> None:
    # The demo's plan started 1 Oct 2023: the 6-month round is recorded, the 12-month one is not.
    for username in ("samutsakhon", "admin"):
        body = _as(username).get("/improvement/").content.decode()
        assert 'data-overdue="samutsakhon-pesa-1-12"' in body, username
        assert 'data-overdue="samutsakhon-pesa-1-6"' not in body, username
    assert "samutsakhon-pesa" not in _as("nakhonpathom").get("/improvement/").content.decode()
    # The home page of both says how many rounds are overdue (the four 12-month ones).
    for username in ("samutsakhon", "admin"):
        assert "มีรอบติดตามมาตรการที่เลยกำหนด 4 รอบ" in _text(_as(username).get("/").content), username
    assert "เลยกำหนด" not in _text(_as("nakhonpathom").get("/").content)
    # Once recorded, the round is no longer overdue.
    measure = Measure.objects.get(plan__unit_assessment=_ua(), position=1)
    FollowUp.objects.create(measure=measure, months=12, status=Status.DONE, done="ครบแล้ว")
    assert 'data-overdue="samutsakhon-pesa-1-12"' not in _as("admin").get("/improvement/").content.decode()


def test_a_round_not_yet_due_is_not_overdue(demo: Any) -> None:
    plan = plan_of(_ua())
    assert plan is not None
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    assert [r for r in progress.rounds(plan) if r.overdue] == []


def _next_year() -> UnitAssessment:
    from ita.assessments.services import do_create_assessment, do_set_calendar
    from ita.flow import do_add_units

    last = _ua()
    # Next year's framework: this year's, copied as the 2567 one.
    framework = last.assessment.framework
    framework.pk, framework.fiscal_year, framework.slug = None, 2567, "ita-2567-esa"
    framework.save()
    assessment = do_create_assessment(
        slug="esa-2567", name_th="ITA 2567", framework=framework, run_by=last.assessment.run_by
    )
    (ua,) = do_add_units(assessment, [last.unit])
    now = timezone.now()
    do_set_calendar(assessment, {PhaseKind.OIT_SUBMISSION: (now - dt.timedelta(days=1), now + dt.timedelta(days=9))})
    return ua


def test_carrying_over_makes_o42_and_o43_drafts_that_point_at_last_years_measures_page(
    demo: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["ita.example.go.th", "testserver"]
    ua = _next_year()
    client = _as("samutsakhon")
    response = client.post("/improvement/esa-2567/samutsakhon-pesa/carry-over/", HTTP_HOST="ita.example.go.th")
    assert response.status_code == 302
    items = {i.item_code: i for i in EvidenceItem.objects.filter(unit_assessment=ua, item_code__in=("O42", "O43"))}
    links = {code: list(item.links.values_list("url", flat=True)) for code, item in items.items()}
    assert links == {
        "O42": [f"http://ita.example.go.th{PAGE}#measures"],
        "O43": [f"http://ita.example.go.th{PAGE}#follow-up"],
    }
    assert items["O42"].present is True and items["O42"].state == "draft"
    assert Client().get(PAGE).status_code == 200  # the assessor (anyone) can open it
    assert AuditEntry.objects.filter(action="measures.carried_over", data__items=["O42", "O43"]).exists()


def test_carrying_over_a_plan_that_is_not_public_is_refused_and_nothing_is_filled(demo: Any) -> None:
    ua = _next_year()
    do_set_public(_ua(), actor=None, public=False)
    _as("samutsakhon").post("/improvement/esa-2567/samutsakhon-pesa/carry-over/")
    assert not EvidenceItem.objects.filter(unit_assessment=ua, item_code="O42", links__isnull=False).exists()


def test_a_coordinator_of_another_unit_can_neither_see_nor_change_the_measures(demo: Any) -> None:
    ua = _ua()
    do_set_public(ua, actor=None, public=False)
    measure = Measure.objects.get(plan__unit_assessment=ua, position=1)
    before = list(FollowUp.objects.values_list("pk", "status", "done").order_by("pk"))
    other = _as("nakhonpathom")
    for url in (
        PAGE,
        f"{PAGE}measures/new/",
        f"{PAGE}measures/{measure.pk}/",
        f"{PAGE}measures/{measure.pk}/6/",
        f"/improvement/esa-2566/nakhonpathom1-pesa/measures/{measure.pk}/",  # A's measure under B's own unit
        "/api/v1/assessments/esa-2566/units/samutsakhon-pesa/measures",
    ):
        assert other.get(url).status_code == 404, url
    posts = {
        f"{PAGE}measures/{measure.pk}/": {"area": "other", "steps": "x", "responsible": "x", "rounds": "6"},
        f"{PAGE}measures/{measure.pk}/12/": {"status": "dropped", "why": "ไม่ทำ"},
        f"/improvement/esa-2566/nakhonpathom1-pesa/measures/{measure.pk}/6/": {"status": "dropped", "why": "x"},
        f"{PAGE}measures/new/": {"area": "other", "steps": "x", "responsible": "x", "rounds": "6"},
        f"{PAGE}public/": {"public": "1"},
        f"{PAGE}actions/": {"title": "x"},
        f"{PAGE}rounds/6/": {"summary": "x"},
    }
    for url, data in posts.items():
        assert other.post(url, data).status_code == 404, url
    assert Measure.objects.filter(plan__unit_assessment=ua).count() == 4
    assert Measure.objects.get(pk=measure.pk).area == "prevention"
    assert list(FollowUp.objects.values_list("pk", "status", "done").order_by("pk")) == before
    assert plan_of(ua).public is False  # type: ignore[union-attr]
    # Made public, B reads it like anyone, and still changes nothing.
    do_set_public(ua, actor=None, public=True)
    assert other.get(PAGE).status_code == 200
    assert b"data-weak" not in other.get(PAGE).content
    assert other.post(f"{PAGE}measures/{measure.pk}/6/", {"status": "dropped", "why": "x"}).status_code == 404


HOSTILE = '<script>alert(1)</script>\n=HYPERLINK("https://evil.example","x")\n\u202eปกติ\u200f'


def test_hostile_text_round_trips_to_the_page_and_the_json(demo: Any) -> None:
    ua = _ua()
    do_add_measure(ua, MeasureInput("other", HOSTILE, "กลุ่มอำนวยการ", title=HOSTILE), actor=None)
    body = Client().get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    data = json.loads(Client().get("/api/v1/assessments/esa-2566/units/samutsakhon-pesa/measures").content)
    assert data["measures"][-1]["steps"] == HOSTILE.split("\n")
    assert data["measures"][-1]["title"] == HOSTILE
    assert [a["title"].split()[0] for a in data["actions"]] == [
        "การไม่รับของขวัญและของกำนัลทุกชนิดในขณะ/ก่อน/หลัง",
        "แผนปฏิบัติการป้องกันการทุจริต",
        "ประกาศมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    ]
    assert data["measures"][0]["rounds"][0]["follow_up"]["status"] == "done"


def test_ten_thousand_characters_are_kept_and_one_more_is_refused_with_the_text_kept(demo: Any) -> None:
    client = _as("samutsakhon")
    base = {"area": "other", "responsible": "ทุกกลุ่ม/หน่วย", "rounds": ["6", "12"]}
    ok = client.post(f"{PAGE}measures/new/", {**base, "steps": "ก" * MAX_TEXT})
    assert ok.status_code == 302
    assert Measure.objects.filter(steps="ก" * MAX_TEXT).exists()
    refused = client.post(f"{PAGE}measures/new/", {**base, "steps": "ข" * (MAX_TEXT + 1)})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "10,001" in body and "โปรดย่อให้สั้นลง" in body
    assert "ข" * (MAX_TEXT + 1) in body  # nothing lost: the text is back in the form
    assert Measure.objects.filter(plan__unit_assessment=_ua()).count() == 5


def test_a_bad_evidence_url_is_refused_as_oit_urls_are_and_nothing_is_stored(demo: Any) -> None:
    measure = Measure.objects.get(plan__unit_assessment=_ua(), position=2)
    url = f"{PAGE}measures/{measure.pk}/12/"
    response = _as("samutsakhon").post(url, {"status": "done", "done": "ทำแล้ว", "evidence": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "ไม่ใช่ที่อยู่เว็บที่ถูกต้อง" in response.content.decode()
    assert "ทำแล้ว" in response.content.decode()
    assert not FollowUp.objects.filter(measure=measure, months=12).exists()


def test_a_follow_up_is_audited_and_dropping_needs_a_reason(demo: Any) -> None:
    measure = Measure.objects.get(plan__unit_assessment=_ua(), position=3)
    client = _as("samutsakhon")
    url = f"{PAGE}measures/{measure.pk}/12/"
    assert client.post(url, {"status": "dropped"}).status_code == 400
    assert client.post(url, {"status": "dropped", "why": "งบประมาณไม่เพียงพอ"}).status_code == 302
    entry = AuditEntry.objects.filter(action="measures.follow_up.recorded").latest("id")
    assert entry.actor.username == "samutsakhon"  # type: ignore[union-attr]
    assert entry.target == f"esa-2566/samutsakhon-pesa/measures/{measure.pk}/12"
    assert entry.data["status"] == "dropped"
