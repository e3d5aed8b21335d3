"""Every form post on the OIT pages, once, in Chromium: the coordinator's save-draft button (without
JavaScript), clarification and carry-over; the assessor's pass, fail with a written reason, recheck,
release and lock; the program admin's assign, unassign and reopen. (Autosave, submit and fail with
a common reason are in test_browser.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ita.accounts.models import User
from ita.assessments.models import PhaseKind, UnitAssessment, UnitAssessmentState
from ita.assessments.services import do_create_assessment
from ita.audit.models import AuditEntry
from ita.conftest import DESKTOP, login
from ita.disclosure.models import AssessorAssignment, EvidenceItem, EvidenceLink, ItemState
from ita.disclosure.services import LinkInput, do_decide, do_lock_unit, do_release, do_save_draft, do_submit_item
from ita.disclosure.tests.conftest import Oit
from ita.flow import do_add_units
from ita.jobs.models import Job
from ita.units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SITE = "https://esa-a.example.go.th"


@pytest.fixture
def no_js(chromium: Any) -> Iterator[Any]:
    """A desktop page with JavaScript off: the plain form posts the page promises to work with."""
    context = chromium.new_context(viewport=DESKTOP, locale="th-TH", java_script_enabled=False)
    yield context.new_page()
    context.close()


def _submit_all(oit: Oit, coordinator: User) -> list[EvidenceItem]:
    """Every item of unit A submitted through the services: O1 with a link, the rest "not published"."""
    items = list(oit.ua_a.evidence_items.order_by("id"))
    for item in items:
        links = [LinkInput(f"{SITE}/{item.item_code.lower()}", item.item_code)] if item.item_code == "O1" else []
        do_save_draft(item, actor=coordinator, present=item.item_code == "O1", links=links)
        do_submit_item(item, actor=coordinator)
    return items


def _decide_all_but(oit: Oit, assessor: User, *skip: str) -> None:
    for item in oit.ua_a.evidence_items.exclude(item_code__in=skip):
        do_decide(item, assessor=assessor, passed=True)


def _message(page: Any) -> str:
    return str(page.inner_text(".messages"))


# --- the coordinator -------------------------------------------------------------------------


def test_the_save_draft_button_posts_the_item_without_javascript(
    no_js: Any, live_server: Any, oit: Oit, coordinator_a: User
) -> None:
    login(no_js, live_server, "coord-a")
    no_js.goto(f"{live_server.url}/oit/esa-test/esa-a/")
    item = no_js.locator("#item-O2")
    item.locator("input[name=present][value=yes]").check()
    item.locator("input[name=label]").first.fill("ผู้บริหาร")
    item.locator("input[name=url]").first.fill(f"{SITE}/executives")
    item.locator("textarea[name=note]").fill("หน้าเว็บผู้บริหาร")
    item.locator("button[value=save]").click()
    no_js.wait_for_selector(".messages")
    assert "บันทึกร่างข้อ O2 แล้ว" in _message(no_js)
    saved = oit.item("O2")
    assert (saved.state, saved.present, saved.note) == (ItemState.DRAFT, True, "หน้าเว็บผู้บริหาร")
    assert list(saved.links.values_list("label", "url")) == [("ผู้บริหาร", f"{SITE}/executives")]


def test_a_coordinator_carries_last_years_evidence_over_with_the_button(
    desktop: Any, live_server: Any, oit: Oit, coordinator_a: User, tree: dict[str, Unit]
) -> None:
    last_year = oit.assessment.framework
    last_year.pk, last_year.fiscal_year, last_year.slug = None, 2565, "ita-2565-esa"
    last_year.save()
    last = do_create_assessment(slug="esa-last", name_th="ปีก่อน", framework=last_year, run_by=tree["obec"])
    (last_ua,) = do_add_units(last, [tree["esa_a"]])
    old = last_ua.evidence_items.get(item_code="O5")
    old.present, old.note = True, "จากปีก่อน"
    old.save()
    EvidenceLink.objects.create(item=old, url=f"{SITE}/plan-2565", label="แผน 2565")

    login(desktop, live_server, "coord-a")
    desktop.goto(f"{live_server.url}/oit/esa-test/esa-a/")
    desktop.click("button:has-text('ยกข้อมูลจากปี 2565 มาเป็นร่าง')")
    desktop.wait_for_selector(".messages")
    assert "ยกข้อมูลจากปีก่อนมาเป็นร่างแล้ว 1 ข้อ" in _message(desktop)
    assert (oit.item("O5").carried_from, oit.item("O5").state) == (2565, ItemState.DRAFT)
    assert "ยกมาจากปี 2565" in desktop.inner_text("#item-O5")


def test_a_coordinator_sends_a_clarification_for_a_failed_released_item(
    desktop: Any, live_server: Any, oit: Oit, coordinator_a: User, assessor: User
) -> None:
    item = oit.item("O1")
    do_save_draft(item, actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1", "โครงสร้าง")])
    do_submit_item(item, actor=coordinator_a)
    do_decide(item, assessor=assessor, passed=False, reason="ไม่ครบองค์ประกอบ")
    do_release(oit.ua_a, actor=assessor)
    oit.open_only(PhaseKind.CLARIFICATION)

    login(desktop, live_server, "coord-a")
    desktop.goto(f"{live_server.url}/oit/esa-test/esa-a/")
    form = desktop.locator("#item-O1 form.oit-form")
    form.locator("textarea[name=clarification]").fill("เพิ่มแผนผังฉบับปรับปรุงแล้ว")
    form.locator("input[name=url]").fill(f"{SITE}/o1-2566")
    form.locator("button[type=submit]").click()
    desktop.wait_for_selector("#item-O1[data-state=clarified]")
    assert "ส่งคำชี้แจงข้อ O1 แล้ว" in _message(desktop)
    clarified = oit.item("O1")
    assert (clarified.state, clarified.clarification) == (ItemState.CLARIFIED, "เพิ่มแผนผังฉบับปรับปรุงแล้ว")
    assert clarified.links.filter(url=f"{SITE}/o1-2566", added_in="clarification").exists()


# --- the assessor ----------------------------------------------------------------------------


def test_an_assessor_passes_fails_with_a_reason_rechecks_releases_and_locks(
    desktop: Any, live_server: Any, oit: Oit, coordinator_a: User, assessor: User
) -> None:
    _submit_all(oit, coordinator_a)
    _decide_all_but(oit, assessor, "O1", "O2")
    oit.open_only(PhaseKind.REVIEW)
    login(desktop, live_server, "assessor")
    review = f"{live_server.url}/oit/esa-test/esa-a/review/"
    desktop.goto(review)

    passing = desktop.locator("#item-O1 form.oit-decide")
    passing.locator("input[value=pass]").check()
    passing.locator("button[type=submit]").click()
    desktop.wait_for_selector("#item-O1 [data-decision=O1]")
    assert "บันทึกผลข้อ O1 แล้ว" in _message(desktop)
    assert desktop.inner_text("#item-O1 [data-decision=O1]").startswith("ผ่าน")

    failing = desktop.locator("#item-O2 form.oit-decide")
    failing.locator("input[value=fail]").check()
    failing.locator("button[type=submit]").click()  # a fail without a reason is refused...
    desktop.wait_for_selector("#item-O2 [data-refused=O2]")  # ...at the item itself
    assert desktop.locator("#item-O2 input[value=fail]").is_checked()  # and the choice is kept
    assert oit.item("O2").passed is None
    failing.locator("input[name=reason_text]").fill("ไม่พบรายชื่อผู้บริหารปีปัจจุบัน")
    failing.locator("button[type=submit]").click()
    desktop.wait_for_selector("#item-O2 [data-decision=O2]")
    assert (oit.item("O1").passed, oit.item("O2").passed, oit.item("O2").reason) == (
        True,
        False,
        "ไม่พบรายชื่อผู้บริหารปีปัจจุบัน",
    )

    jobs_before = Job.objects.count()
    desktop.click("button:has-text('ตรวจลิงก์ซ้ำก่อนพิจารณา')")
    desktop.wait_for_selector(".messages")
    assert "ส่งตรวจลิงก์ซ้ำแล้ว" in _message(desktop) and Job.objects.count() == jobs_before + 1

    desktop.click("button:has-text('แจ้งผลแก่หน่วยงาน')")
    desktop.wait_for_selector(".messages")
    assert "แจ้งผลการตรวจแก่หน่วยงานแล้ว" in _message(desktop)
    assert not oit.ua_a.evidence_items.filter(released=False).exists()

    desktop.click("button:has-text('ยืนยันผลและปิดการแก้ไข')")
    desktop.wait_for_selector(".messages")
    assert "ยืนยันผล OIT ของหน่วยงานแล้ว" in _message(desktop)
    assert UnitAssessment.objects.get(pk=oit.ua_a.pk).state == UnitAssessmentState.OIT_LOCKED
    assert desktop.locator("form.oit-decide").count() == 0  # nothing left for the assessor to change


# --- the program admin -----------------------------------------------------------------------


def test_a_program_admin_assigns_and_unassigns_an_assessor(
    desktop: Any, live_server: Any, oit: Oit, program_admin: User, assessor: User
) -> None:
    login(desktop, live_server, "admin")
    desktop.goto(f"{live_server.url}/oit/esa-test/assign/")
    desktop.select_option("select[name=unit_assessment]", value=str(oit.ua_b.pk))
    desktop.select_option("select[name=assessor]", value=str(assessor.pk))
    desktop.click("form.stack button[type=submit]")
    desktop.wait_for_selector(".messages")
    assert "มอบหมาย assessor ตรวจ สพป.ข แล้ว" in _message(desktop)
    assert AssessorAssignment.objects.filter(unit_assessment=oit.ua_b, assessor=assessor).exists()

    desktop.locator("tr:has(td:text-is('สพป.ข')) button[name=remove]").click()
    desktop.wait_for_selector(".messages")
    assert "ยกเลิกการมอบหมาย assessor ตรวจ สพป.ข แล้ว" in _message(desktop)
    assert not AssessorAssignment.objects.filter(unit_assessment=oit.ua_b).exists()
    assert AssessorAssignment.objects.filter(unit_assessment=oit.ua_a, assessor=assessor).exists()


def test_a_program_admin_reopens_a_confirmed_item_with_a_reason(
    desktop: Any, live_server: Any, oit: Oit, coordinator_a: User, assessor: User, program_admin: User
) -> None:
    _submit_all(oit, coordinator_a)
    _decide_all_but(oit, assessor)
    do_lock_unit(oit.ua_a, actor=assessor)
    oit.open_only(PhaseKind.CONFIRMATION)

    login(desktop, live_server, "admin")
    desktop.goto(f"{live_server.url}/oit/esa-test/esa-a/review/")
    form = desktop.locator("#item-O1 form.oit-decide")
    form.locator("input[name=reason]").fill("หน่วยงานอุทธรณ์ พบลิงก์ที่ถูกต้อง")
    form.locator("button[type=submit]").click()
    desktop.wait_for_selector("#item-O1 input[value=pass]")  # the decision form is back for O1 only
    assert "เปิดแก้ไขข้อ O1 แล้ว" in _message(desktop)
    assert (oit.item("O1").locked, oit.item("O2").locked) == (False, True)
    entry = AuditEntry.objects.get(action="evidence.reopened")
    assert (entry.actor, entry.data["reason"]) == (program_admin, "หน่วยงานอุทธรณ์ พบลิงก์ที่ถูกต้อง")
