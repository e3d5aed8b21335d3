"""The unit result page reproduces part 2 of the reference report from the engine."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from ita.accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/results/esa-2566/u/samutsakhon-pesa/"


def _text(html: bytes) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", html.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_samutsakhon_page_shows_every_figure_of_part_2_of_the_report(demo: Any) -> None:
    response = _as("samutsakhon").get(URL)
    assert response.status_code == 200
    text = _text(response.content)
    table = [
        ("1", "การปฏิบัติหน้าที่", "97.75"),
        ("2", "การใช้งบประมาณ", "90.76"),
        ("3", "การใช้อำนาจ", "96.22"),
        ("4", "การใช้ทรัพย์สินของราชการ", "94.06"),
        ("5", "การแก้ไขปัญหาการทุจริต", "93.87"),
        ("6", "คุณภาพการดำเนินงาน", "95.78"),
        ("7", "ประสิทธิภาพการสื่อสาร", "94.07"),
        ("8", "การปรับปรุงระบบการทำงาน", "94.30"),
        ("9", "การเปิดเผยข้อมูล", "100.00"),
        ("9.1", "ข้อมูลพื้นฐาน", "100.00"),
        ("9.2", "การบริหารงาน", "100.00"),
        ("9.3", "การจัดซื้อจัดจ้าง", "100.00"),
        ("9.4", "การบริหารและพัฒนาทรัพยากรบุคคล", "100.00"),
        ("9.5", "การส่งเสริมความโปร่งใส", "100.00"),
        ("10", "การป้องกันการทุจริต", "100.00"),
        ("10.1", "การดำเนินการเพื่อป้องกันการทุจริต", "100.00"),
        ("10.2", "มาตรการภายในเพื่อป้องกันการทุจริต", "100.00"),
    ]
    for number, name, score in table:
        assert f" {number} {name} {score} " in text, number
    for tool, points in (("IIT 30 คะแนน", "28.36"), ("EIT 30 คะแนน", "28.42"), ("OIT 40 คะแนน", "40.00")):
        assert f"{tool} {points}" in text
    assert "คะแนนภาพรวม 96.77 ระดับผลการประเมิน (Rating Score) AA" in text
    assert "ได้คะแนน 96.77 คะแนน อยู่ในระดับ AA" in text
    assert (
        "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล และ ตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้คะแนนสูงสุด 100.00 คะแนน "
        "ส่วนตัวชี้วัดที่ได้คะแนนต่ำกว่าตัวชี้วัดอื่น ๆ คือ ตัวชี้วัดที่ 2 การใช้งบประมาณ ได้คะแนน 90.76 คะแนน"
    ) in text
    history = [
        ("2558", "63.37", "-", "-"),
        ("2559", "81.34", "เพิ่มขึ้น", "+17.97"),
        ("2560", "89.68", "เพิ่มขึ้น", "+8.34"),
        ("2561", "91.67", "เพิ่มขึ้น", "+1.99"),
        ("2562", "91.25", "ลดลง", "-0.42"),
        ("2563", "89.79", "ลดลง", "-1.46"),
        ("2564", "87.91", "ลดลง", "-1.88"),
        ("2565", "96.94", "เพิ่มขึ้น", "+9.03"),
    ]
    for year, score, direction, difference in history:
        assert f" {year} {score} {direction} {difference} " in text, year
    assert " 2566 96.77 ลดลง อยู่ในช่วงความคลาดเคลื่อนจากการสุ่มตัวอย่าง -0.17 " in text


def test_indicators_are_listed_by_score_with_band_and_pass_and_per_tool(demo: Any) -> None:
    text = _text(_as("samutsakhon").get(URL).content)
    ranked = (
        "10 การป้องกันการทุจริต 100.00 AA ผ่าน 9 การเปิดเผยข้อมูล 100.00 AA ผ่าน 1 การปฏิบัติหน้าที่ 97.75 AA ผ่าน "
        "3 การใช้อำนาจ 96.22 AA ผ่าน 6 คุณภาพการดำเนินงาน 95.78 AA ผ่าน 8 การปรับปรุงระบบการทำงาน 94.30 A ผ่าน "
        "7 ประสิทธิภาพการสื่อสาร 94.07 A ผ่าน 4 การใช้ทรัพย์สินของราชการ 94.06 A ผ่าน 5 การแก้ไขปัญหาการทุจริต 93.87 A ผ่าน "
        "2 การใช้งบประมาณ 90.76 A ผ่าน"
    )
    assert ranked in text
    # The report mixes numbers and names ("ตัวชี้วัดที่ 4 การใช้อำนาจ"); the page never does.
    assert "ตัวชี้วัดที่ 3 การใช้อำนาจ — คะแนน 96.22 ระดับ AA" in text
    assert "ตัวชี้วัดที่ 4 การใช้อำนาจ" not in text
    iit = text.index("ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ —")
    assert (
        iit
        < text.index("ตัวชี้วัดที่ 3 การใช้อำนาจ —")
        < text.index("ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ —")
        < text.index("ตัวชี้วัดที่ 2 การใช้งบประมาณ —")
    )


def test_charts_are_svg_with_thai_text_and_the_band_lines(demo: Any) -> None:
    html = _as("samutsakhon").get(URL).content.decode()
    assert html.count("<svg") == 2
    assert "<text" in html and "การปฏิบัติหน้าที่</text>" in html
    assert "AA 95.00</text>" in html and "A 85.00</text>" in html


def test_survey_indicators_show_respondents_and_a_confidence_interval(demo: Any) -> None:
    text = _text(_as("samutsakhon").get(URL).content)
    match = re.search(r" 1 การปฏิบัติหน้าที่ (\d+) 97\.75 (\d+\.\d\d) – (\d+\.\d\d) ", text)
    assert match is not None
    n, low, high = int(match[1]), float(match[2]), float(match[3])
    assert n >= 50 and low < 97.75 < high


def test_failed_oit_items_show_the_assessors_reason_and_a_what_if(demo: Any) -> None:
    text = _text(_as("admin").get("/results/esa-2566/u/chiangmai1-pesa/").content)
    assert "เหตุผลของผู้ตรวจ: ไม่พบข้อมูล" in text
    assert "หากต้องการเลื่อนระดับ" in text
    assert "เพื่อให้ได้ระดับ A " in text


def test_an_aa_unit_with_a_failed_then_passed_item_lists_no_failures(demo: Any) -> None:
    text = _text(_as("samutsakhon").get(URL).content)
    assert "ไม่มีข้อที่ไม่ผ่าน" in text
    assert "หากต้องการเลื่อนระดับ" not in text


def test_before_publication_an_outsider_and_the_public_get_404(demo: Any) -> None:
    from ita.results.models import Publication

    Publication.objects.all().delete()
    from ita.assessments.models import Assessment

    Assessment.objects.filter(slug="esa-2566").update(state="open")
    assert _as("nakhonpathom").get(URL).status_code == 404
    assert Client().get(URL).status_code == 404
    assert _as("samutsakhon").get(URL).status_code == 200
