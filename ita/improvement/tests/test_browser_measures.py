"""The coordinator's journey in a real browser: accept a suggested measure, edit it, record its
6-month follow-up with an evidence link."""

from __future__ import annotations

from typing import Any

import pytest

from ita.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_coordinator_accepts_a_suggestion_edits_it_and_records_a_6_month_follow_up(
    viewport: str, request: Any, live_server: Any, demo: None
) -> None:
    from ita.improvement.models import FollowUp, Measure

    page = request.getfixturevalue(viewport)

    login(page, live_server, "samutsakhon", "ita-demo-2566")
    page.click("nav >> text=มาตรการ")
    page.wait_for_url("**/improvement/")
    page.click("ul.cards a[href='/improvement/esa-2566/samutsakhon-pesa/']")
    page.wait_for_url("**/improvement/esa-2566/samutsakhon-pesa/")
    # Indicator 2 is the weakest (90.76, from the engine); accept its proposal.
    row = page.locator("[data-weak='2']")
    assert "90.76" in row.inner_text()
    row.locator("button:has-text('รับข้อเสนอนี้')").click()
    page.wait_for_url("**/measures/*/")
    assert page.input_value("textarea[name=steps]").startswith("เผยแพร่แผนการใช้จ่ายงบประมาณ")
    page.fill("textarea[name=responsible]", "กลุ่มนโยบายและแผน\nกลุ่มบริหารงานการเงินและสินทรัพย์")
    steps = page.input_value("textarea[name=steps]")
    page.fill("textarea[name=steps]", steps + "\nรายงานผลต่อที่ประชุมผู้บริหารทุกไตรมาส")
    page.click("button:has-text('บันทึกมาตรการ')")
    page.wait_for_url("**/samutsakhon-pesa/#measures")
    new = page.locator("[data-measure='5']")
    assert "รายงานผลต่อที่ประชุมผู้บริหารทุกไตรมาส" in new.inner_text()
    assert "กลุ่มนโยบายและแผน" in new.inner_text()

    page.locator("[data-round='5-6'] >> text=บันทึกผลการติดตาม").click()
    page.check("input[name=status][value=in_progress]")
    page.fill("textarea[name=done]", "เผยแพร่แผนการใช้จ่ายงบประมาณ ปี 2567 แล้ว")
    page.fill("textarea[name=evidence]", "https://samutsakhon-pesa.example.go.th/ita/2567/budget-plan")
    page.click("button:has-text('บันทึกผลการติดตาม')")
    page.wait_for_url("**/samutsakhon-pesa/#follow-up")
    round_row = page.locator("[data-round='5-6']")
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


def test_the_coordinator_sets_the_plan_adds_an_action_writes_a_summary_and_unpublishes(
    desktop: Any, live_server: Any, demo: None
) -> None:
    from ita.improvement.models import Plan

    login(desktop, live_server, "samutsakhon", "ita-demo-2566")
    page = f"{live_server.url}/improvement/esa-2566/samutsakhon-pesa/"
    desktop.goto(page)
    desktop.fill("#plan input[name=starts_on]", "2023-11-01")
    desktop.click("#plan button:has-text('บันทึก') >> nth=0")
    desktop.wait_for_url("**#plan")
    assert "บันทึกวันเริ่ม" in desktop.inner_text(".messages")

    desktop.click("#actions summary")
    desktop.fill("#actions input[name=title]", "อบรมบุคลากรเรื่องผลประโยชน์ทับซ้อน")
    desktop.fill("#actions textarea[name=steps]", "จัดทำหลักสูตร\nจัดอบรม")
    desktop.fill("#actions input[name=done_on]", "2024-01-15")
    desktop.click("#actions button:has-text('เพิ่ม')")
    desktop.wait_for_url("**#actions")
    assert "อบรมบุคลากรเรื่องผลประโยชน์ทับซ้อน" in desktop.inner_text("[data-testid=actions]")

    desktop.locator("#follow-up details").nth(1).locator("summary").click()  # round 6
    desktop.locator("#follow-up details").nth(1).locator("textarea[name=results]").fill("ดำเนินการครบทุกมาตรการ")
    desktop.locator("#follow-up details").nth(1).locator("button").click()
    desktop.wait_for_url("**#follow-up")
    assert "ดำเนินการครบทุกมาตรการ" in desktop.inner_text("#follow-up")

    desktop.click("button:has-text('หยุดเผยแพร่')")
    desktop.wait_for_url(page)
    plan = Plan.objects.get(
        unit_assessment__unit__code="samutsakhon-pesa", unit_assessment__assessment__slug="esa-2566"
    )
    assert (plan.public, str(plan.starts_on), plan.actions.count()) == (False, "2023-11-01", 4)
    desktop.click("button:has-text('เผยแพร่มาตรการและผลการติดตามต่อสาธารณะ')")
    desktop.wait_for_url(page)
    assert desktop.locator("button:has-text('หยุดเผยแพร่')").count() == 1
    # Carrying over with no next year: the page says why.
    desktop.click("button:has-text('ยกมาตรการปีก่อนเป็นร่างหลักฐาน O42/O43')")
    desktop.wait_for_url(page)
    assert "ไม่พบการประเมินปีก่อน" in desktop.inner_text(".messages")


def test_the_program_admin_adds_a_proposal_to_the_catalogue(desktop: Any, live_server: Any, demo: None) -> None:
    login(desktop, live_server, "admin", "ita-demo-2566")
    desktop.goto(f"{live_server.url}/improvement/")
    assert desktop.locator("[data-testid=progress] tr[data-unit='samutsakhon-pesa']").count() == 1
    assert desktop.locator("[data-overdue^='samutsakhon-pesa-']").count() == 4  # the 12-month rounds
    desktop.click("text=ita-2566-esa >> nth=0")
    desktop.fill("input[name=answers]", "O24")
    desktop.select_option("select[name=area]", "disclosure")
    desktop.fill("input[name=title]", "รายงานความก้าวหน้าแผนบริหารทรัพยากรบุคคล")
    desktop.fill("textarea[name=steps]", "แสดงผลความก้าวหน้ารายโครงการ\nแสดงการใช้จ่ายงบประมาณรายโครงการ")
    desktop.click("button:has-text('เพิ่ม')")
    assert "รายงานความก้าวหน้าแผนบริหารทรัพยากรบุคคล" in desktop.inner_text("table")
