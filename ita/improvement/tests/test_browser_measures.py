"""The coordinator's journey in a real browser: accept a suggested measure, edit it, record its
6-month follow-up with an evidence link."""

from __future__ import annotations

from typing import Any

import pytest

from ita.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_accepts_a_suggestion_edits_it_and_records_a_6_month_follow_up(
    desktop: Any, live_server: Any, demo: None
) -> None:
    from ita.improvement.models import FollowUp, Measure

    login(desktop, live_server, "samutsakhon", "ita-demo-2566")
    desktop.click("nav >> text=มาตรการ")
    desktop.wait_for_url("**/improvement/")
    desktop.click("ul.cards a[href='/improvement/esa-2566/samutsakhon-pesa/']")
    desktop.wait_for_url("**/improvement/esa-2566/samutsakhon-pesa/")
    # Indicator 2 is the weakest (90.76, from the engine); accept its proposal.
    row = desktop.locator("[data-weak='2']")
    assert "90.76" in row.inner_text()
    row.locator("button:has-text('รับข้อเสนอนี้')").click()
    desktop.wait_for_url("**/measures/*/")
    assert desktop.input_value("textarea[name=steps]").startswith("เผยแพร่แผนการใช้จ่ายงบประมาณ")
    desktop.fill("textarea[name=responsible]", "กลุ่มนโยบายและแผน\nกลุ่มบริหารงานการเงินและสินทรัพย์")
    steps = desktop.input_value("textarea[name=steps]")
    desktop.fill("textarea[name=steps]", steps + "\nรายงานผลต่อที่ประชุมผู้บริหารทุกไตรมาส")
    desktop.click("button:has-text('บันทึกมาตรการ')")
    desktop.wait_for_url("**/samutsakhon-pesa/#measures")
    new = desktop.locator("[data-measure='5']")
    assert "รายงานผลต่อที่ประชุมผู้บริหารทุกไตรมาส" in new.inner_text()
    assert "กลุ่มนโยบายและแผน" in new.inner_text()

    desktop.locator("[data-round='5-6'] >> text=บันทึกผลการติดตาม").click()
    desktop.check("input[name=status][value=in_progress]")
    desktop.fill("textarea[name=done]", "เผยแพร่แผนการใช้จ่ายงบประมาณ ปี 2567 แล้ว")
    desktop.fill("textarea[name=evidence]", "https://samutsakhon-pesa.example.go.th/ita/2567/budget-plan")
    desktop.click("button:has-text('บันทึกผลการติดตาม')")
    desktop.wait_for_url("**/samutsakhon-pesa/#follow-up")
    round_row = desktop.locator("[data-round='5-6']")
    assert "กำลังดำเนินการ" in round_row.inner_text()
    assert round_row.locator("a[href='https://samutsakhon-pesa.example.go.th/ita/2567/budget-plan']").count() == 1

    measure = Measure.objects.get(plan__unit_assessment__unit__code="samutsakhon-pesa", position=5)
    assert measure.from_entry is not None and measure.responsible_list == [
        "กลุ่มนโยบายและแผน",
        "กลุ่มบริหารงานการเงินและสินทรัพย์",
    ]
    follow_up = FollowUp.objects.get(measure=measure, months=6)
    assert (follow_up.status, follow_up.evidence_list) == (
        "in_progress",
        ["https://samutsakhon-pesa.example.go.th/ita/2567/budget-plan"],
    )
