"""The coordinator's submission page (phone) and the assessor's review page (desktop) in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from ita.accounts.models import User
from ita.conftest import login
from ita.disclosure.models import ItemState
from ita.disclosure.services import LinkInput, do_save_draft, do_submit_item
from ita.disclosure.tests.conftest import Oit
from ita.disclosure.tests.webserver import Page, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_fills_an_item_on_a_phone_it_autosaves_then_submits(
    phone: Any, live_server: Any, oit: Oit, coordinator_a: User
) -> None:
    login(phone, live_server, "coord-a")
    phone.goto(f"{live_server.url}/oit/esa-test/esa-a/")
    item = phone.locator("#item-O1")
    assert "แผนผังโครงสร้างการแบ่งส่วนราชการ" in item.inner_text()
    item.locator("input[name=label]").first.fill("แผนผังโครงสร้าง")
    item.locator("input[name=url]").first.fill("https://esa-a.example.go.th/structure")
    with phone.expect_response(lambda r: r.url.endswith("/items/O1/")) as saved:
        item.locator("input[name=present][value=yes]").check()  # the change event saves the whole item
    assert saved.value.json()["ok"] is True
    phone.wait_for_function("document.querySelector('#item-O1 [data-status]').textContent.includes('บันทึกร่างข้อ O1 แล้ว')")
    assert list(oit.item("O1").links.values_list("label", "url")) == [
        ("แผนผังโครงสร้าง", "https://esa-a.example.go.th/structure")
    ]
    item.locator("[data-add-link]").click()
    assert item.locator("input[name=url]").count() == 2
    item.locator("button[value=submit]").click()
    phone.wait_for_selector("#item-O1[data-state=submitted]")
    assert "ส่งข้อ O1 ให้ตรวจแล้ว" in phone.inner_text(".messages")
    assert oit.item("O1").state == ItemState.SUBMITTED
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_assessor_reviews_live_link_and_sandboxed_snapshot_side_by_side_and_fails_an_item(
    desktop: Any, live_server: Any, oit: Oit, site: Site, loopback_ok: None, coordinator_a: User, assessor: User
) -> None:
    body = (
        "<html><head><title>โครงสร้าง สพป.ก</title></head>"
        "<body><p>แผนผังโครงสร้าง 2566</p><script>document.body.dataset.ran = '1'</script></body></html>"
    )
    site.pages["/o1"] = Page(body=body.encode())
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(site.url("/o1"), "โครงสร้าง")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    call_command("worker", "--burst", verbosity=0)

    login(desktop, live_server, "assessor")
    desktop.goto(f"{live_server.url}/oit/queue/")
    desktop.click("text=สพป.ก")
    side = desktop.locator("#item-O1 .oit-side")
    assert "HTTP 200" in side.locator(".oit-live").inner_text()
    side.locator("summary").click()
    frame = desktop.frame_locator("#item-O1 iframe[sandbox]")
    assert frame.locator("p").inner_text() == "แผนผังโครงสร้าง 2566"
    assert frame.locator("body").get_attribute("data-ran") is None  # the snapshot's script never ran

    form = desktop.locator("#item-O1 form.oit-decide")
    form.locator("input[value=fail]").check()
    form.locator("select[name=reason_choice]").select_option("ไม่ครบองค์ประกอบ")
    form.locator("button[type=submit]").click()
    desktop.wait_for_selector("#item-O1 [data-decision=O1]")
    assert desktop.inner_text("#item-O1 [data-decision=O1]").startswith("ไม่ผ่าน: ไม่ครบองค์ประกอบ")
    assert (oit.item("O1").passed, oit.item("O1").reason) == (False, "ไม่ครบองค์ประกอบ")
    assert desktop.inner_text("[data-testid=oit-score]") == "0.00"
