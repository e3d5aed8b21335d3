"""Main journeys in a real browser (Debian's Chromium), on a phone and a desktop viewport."""

from __future__ import annotations

from typing import Any

import pytest

from ita.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_signs_in_on_a_phone_and_sees_the_reports_score(phone: Any, live_server: Any, demo: None) -> None:
    login(phone, live_server, "samutsakhon", "ita-demo-2566")
    phone.click("text=การประเมิน ITA Online สำนักงานเขตพื้นที่การศึกษา")
    phone.click("text=สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร")
    assert phone.inner_text("[data-testid=total]") == "96.77"
    assert phone.inner_text("[data-testid=band]") == "AA"
    assert phone.inner_text("[data-tool=EIT]") == "28.42"
    assert phone.locator("[data-testid=extremes]").count() == 1
    # The page fits a 360 px phone without sideways scrolling of the page itself.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # Thai text is drawn with the Sarabun web font served by the app, not a fallback.
    assert phone.evaluate("document.fonts.check('16px Sarabun', 'คะแนน')")


def test_a_program_admin_browses_units_in_the_admin_on_a_desktop(desktop: Any, live_server: Any, demo: None) -> None:
    login(desktop, live_server, "admin", "ita-demo-2566")
    desktop.goto(f"{live_server.url}/admin/units/unit/")
    assert desktop.locator("text=samutsakhon-pesa").count() == 1
    assert desktop.locator("text=chiangmai1-pesa").count() == 1
