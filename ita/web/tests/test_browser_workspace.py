"""The workspace in Chromium: a program admin sets up an assessment through its forms, the
public finds a published unit from the home page on a phone, and no main page is wider than a
360 px phone for any role."""

from __future__ import annotations

from typing import Any

import pytest

from ita.accounts.models import User
from ita.assessments.models import Assessment, AssessmentState
from ita.conftest import login
from ita.frameworks.services import do_load_framework
from ita.units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 360


def _width(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def test_a_program_admin_sets_up_and_opens_an_assessment_from_an_uploaded_unit_list(
    desktop: Any, live_server: Any, program_admin: User, tree: dict[str, Unit], settings: Any
) -> None:
    do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    page = desktop
    login(page, live_server, "admin")
    page.click("text=สร้างการประเมินใหม่")
    page.select_option("#id_framework", index=1)
    page.select_option("#id_run_by", label="สพฐ. (obec)")
    page.fill("#id_name_th", "ITA สพท. ทดลอง")
    page.fill("#id_slug", "esa-try")
    page.click("button:has-text('สร้างและไปกำหนดปฏิทิน')")
    page.wait_for_url("**/setup/esa-try/calendar/")

    # A wrong calendar comes back with the error at its field and the dates still typed.
    for kind in ("iit", "eit", "oit_submission"):
        page.fill(f"#id_{kind}_starts", "2026-12-01")
        page.fill(f"#id_{kind}_ends", "2027-01-31")
    page.fill("#id_eit_ends", "2026-11-01")
    page.click("button:has-text('บันทึกปฏิทิน')")
    assert "วันสุดท้ายต้องไม่ก่อนวันเริ่ม" in page.inner_text("[data-phase=eit]")
    assert page.input_value("#id_iit_ends") == "2027-01-31"
    page.fill("#id_eit_ends", "2027-01-31")
    page.click("button:has-text('บันทึกปฏิทิน')")
    page.wait_for_url("**/setup/esa-try/")

    page.click("[data-testid=setup-steps] a:has-text('เลือกหน่วยงานที่รับการประเมิน')")
    page.check("input[name=how][value=file]")
    page.set_input_files("#id_file", files=[{"name": "units.csv", "mimeType": "text/csv", "buffer": b"code\nesa-a\n"}])
    page.click("button:has-text('เพิ่มหน่วยงาน')")
    page.wait_for_url("**/setup/esa-try/")
    assert "1 หน่วยงาน" in page.inner_text("[data-testid=setup-steps]")

    appoint = page.locator("[data-testid=coordinators] form")
    appoint.locator("#id_unit").select_option(label="สพป.ก (esa-a)")
    appoint.locator("#id_username").fill("coord-esa-a")
    appoint.locator("button:has-text('แต่งตั้งผู้ประสานงาน')").click()
    page.wait_for_selector("[data-testid=first-password]")
    assert User.objects.get(username="coord-esa-a").memberships.get().unit.code == "esa-a"

    page.check("[data-testid=open-section] input[name=confirm]")
    page.click("[data-testid=open-section] button:has-text('เปิดการประเมิน')")
    page.wait_for_url("**/setup/esa-try/")
    assert Assessment.objects.get(slug="esa-try").state == AssessmentState.OPEN
    assert [ua.unit.code for ua in Assessment.objects.get(slug="esa-try").unit_assessments.all()] == ["esa-a"]


def test_the_public_finds_a_published_unit_from_the_home_page_on_a_phone(
    phone: Any, live_server: Any, demo: None
) -> None:
    phone.goto(f"{live_server.url}/")
    phone.fill("#unit-search", "สมุทรสาคร")
    phone.click("[data-testid=published] button:has-text('ค้นหา')")
    phone.click("[data-testid=found] a:has-text('สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร')")
    assert phone.inner_text("[data-testid=total]") == "96.77"
    total = phone.locator("[data-testid=total]").bounding_box()
    assert total is not None and total["x"] + total["width"] <= PHONE_WIDTH  # the total is on screen
    assert _width(phone) <= PHONE_WIDTH


MAIN_PAGES = {
    "": [
        "/",
        "/results/",
        "/results/?q=สมุทร",
        "/results/esa-2566/",
        "/results/esa-2566/u/samutsakhon-pesa/",
        "/results/esa-2566/rollup/obec/",
        "/s/",
        "/accounts/login/",
    ],
    "admin": [
        "/",
        "/a/esa-2566/",
        "/a/school-2566-samutsakhon/",
        "/results/esa-2566/?provisional=1",
        "/results/school-2566-samutsakhon/",
        "/results/school-2566-samutsakhon/publish/confirm",
        "/s/m/school-2566-samutsakhon/",
        "/setup/new/",
        "/setup/school-2566-samutsakhon/",
        "/setup/school-2566-samutsakhon/calendar/",
        "/setup/school-2566-samutsakhon/units/",
        "/oit/queue/",
    ],
    "school": ["/", "/a/school-2566-samutsakhon/"],
    "assessor": ["/", "/oit/queue/"],
}


def test_no_main_page_is_wider_than_a_360_px_phone(phone: Any, live_server: Any, demo: None) -> None:
    too_wide = []
    for username, paths in MAIN_PAGES.items():
        if username:
            phone.context.clear_cookies()
            login(phone, live_server, username, "ita-demo-2566")
        for path in paths:
            response = phone.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            if _width(phone) > PHONE_WIDTH:
                too_wide.append(f"{username or 'anonymous'} {path}: {_width(phone)} px")
    assert not too_wide, "pages wider than the phone:\n" + "\n".join(too_wide)


def test_a_coordinator_follows_the_years_checklist_and_issues_codes(phone: Any, live_server: Any, demo: None) -> None:
    login(phone, live_server, "school", "ita-demo-2566")
    phone.click("[data-testid=panel] a:has-text('ขั้นตอนทั้งปี')")
    phone.wait_for_selector("[data-testid=year-steps]")
    steps = phone.locator("[data-testid=year-steps] li")
    titles = steps.locator("a").all_inner_texts()
    states = dict(zip(titles, steps.evaluate_all("els => els.map(e => e.dataset.state)"), strict=True))
    assert states["กรอกจำนวนบุคลากรและผู้รับบริการ"] == "done"
    assert states["ออกรหัส IIT ให้บุคลากร"] == "todo"  # the demo school has issued none yet
    assert states["ผลการประเมินและรายงาน"] == "waiting"
    assert _width(phone) <= PHONE_WIDTH
    checklist = phone.url

    phone.click("[data-testid=year-steps] a:has-text('ออกรหัส IIT ให้บุคลากร')")
    phone.fill("#id_count", "3")
    phone.click("[data-testid=issue-iit] button[type=submit]")
    phone.wait_for_selector("[data-code]")
    assert phone.locator("[data-code]").count() == 3

    phone.goto(checklist)
    issued = phone.locator("[data-testid=year-steps] li", has_text="ออกรหัส IIT ให้บุคลากร")
    assert issued.get_attribute("data-state") == "done"
