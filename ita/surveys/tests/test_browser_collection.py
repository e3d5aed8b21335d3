"""Respondents in a real browser: IIT responses on a phone from a scanned slip (the page's own
script posts the code from the link's fragment) and from a typed code, an EIT response from the
public link on a desktop."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from ita.scoring.engine import score_unit
from ita.scoring.services import score_unit_assessment, unit_inputs
from ita.surveys.codes import code_digest, do_issue_codes
from ita.surveys.collect import FormToken, Target, do_submit
from ita.surveys.models import SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score_once_closed(ua: Any, tool: str) -> Fraction | None:
    """The tool's score as it will show once its collection window has closed."""
    assert score_unit_assessment(ua).tools[tool].state == "collecting"  # withheld while open
    data = replace(unit_inputs([ua])[ua.pk], withheld=frozenset())
    return score_unit(ua.assessment.framework.spec, data).tools[tool].score


def seed(ua: Any, spec: Any, tool: str, n: int) -> None:
    """``n`` sheets giving every question its lowest-scoring option."""
    a = ua.assessment
    worst = {
        item.key: min(range(len(item.scale.options)), key=lambda i, item=item: item.scale.options[i].score)  # type: ignore[misc]
        for item in spec.sub_items_of(tool)
    }
    codes = do_issue_codes(ua, "IIT", n, reason="sheets made by the test").codes if tool == "IIT" else [""] * n
    for i, code in enumerate(codes):
        digest = code_digest(code) if code else ""
        target = Target(ua_id=ua.pk, assessment_id=a.pk, framework_id=a.framework_id, tool=tool, code_digest=digest)
        do_submit(
            target,
            FormToken(nonce=f"seed-{tool}-{i}", started=int(time.time()) - 600),
            worst,
            "parent" if tool == "EIT" else "",
        )


def answer_everything_with_the_best_option(page: Any, spec: Any, tool: str, skip: str = "") -> None:
    for item in spec.sub_items_of(tool):
        if item.key != skip:
            page.check(f"input[name='a-{item.key}'][value='{item.scale.top_index}']")


def iit_count(ua: Any) -> int:
    return SurveyResponse.objects.filter(unit_assessment=ua, tool="IIT").count()


def test_a_staff_member_scans_a_slip_on_a_phone_and_the_code_never_enters_a_url(
    phone: Any, live_server: Any, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    seed(ua_a, spec, "IIT", spec.min_group_size)
    before = score_once_closed(ua_a, "IIT")
    code = iit_codes[0]
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(f"{live_server.url}/s/#{code[:5]}-{code[5:]}")  # the slip's QR link
    phone.wait_for_selector("details.privacy[open]")  # the page's script posted the code: the form
    assert phone.url == f"{live_server.url}/s/"  # the fragment is gone from the address bar
    assert phone.evaluate("location.hash") == "" and phone.evaluate("history.length") <= 2
    answer_everything_with_the_best_option(phone, spec, "IIT", skip="i3.2")
    phone.click("button:has-text('ส่งคำตอบ')")
    assert phone.locator(".error-summary").is_visible()
    assert phone.locator("#q-i3-2.missing").count() == 1
    assert phone.is_checked("input[name='a-i1.1'][value='3']")  # chosen answers survive
    phone.click(".error-summary a[data-key='i3.2']")
    phone.check(f"input[name='a-i3.2'][value='{spec.sub_items_of('IIT')[3].scale.top_index}']")
    phone.click("button:has-text('ส่งคำตอบ')")
    phone.wait_for_selector("[data-reason=thanks]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert iit_count(ua_a) == spec.min_group_size + 1
    assert score_once_closed(ua_a, "IIT") > before  # type: ignore[operator]
    assert not [url for url in requested if code in url.upper().replace("-", "")]  # no request carried it
    phone.goto(f"{live_server.url}/s/#{code}")  # the slip scanned again
    phone.wait_for_selector("[data-reason=code_used]")


def test_a_staff_member_types_the_code_on_a_phone(
    phone: Any, live_server: Any, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    phone.goto(f"{live_server.url}/s/")
    phone.fill("#id_code", f"{iit_codes[1][:5].lower()}-{iit_codes[1][5:]}")
    phone.click("button:has-text('เริ่มตอบ')")
    assert phone.locator("details.privacy[open]").is_visible()  # the notice comes before the first question
    assert phone.url == f"{live_server.url}/s/"
    phone.click("form.lang-switch button")  # English, by post: the code stays out of the address
    assert phone.locator("html[lang=en]").count() == 1 and phone.url == f"{live_server.url}/s/?lang=en"
    answer_everything_with_the_best_option(phone, spec, "IIT")
    phone.click("button.send")
    phone.wait_for_selector("[data-reason=thanks]")
    assert iit_count(ua_a) == 1


def test_a_parent_answers_eit_from_the_public_link_on_a_desktop(
    desktop: Any, live_server: Any, ua_a: Any, spec: Any, eit_token: str
) -> None:
    seed(ua_a, spec, "EIT", spec.min_group_size)
    before = score_once_closed(ua_a, "EIT")
    desktop.goto(f"{live_server.url}/s/e/{eit_token}/")
    desktop.check("input[name='category'][value='parent']")
    answer_everything_with_the_best_option(desktop, spec, "EIT")
    desktop.keyboard.press("Tab")
    desktop.click("button:has-text('ส่งคำตอบ')")
    desktop.wait_for_selector("[data-reason=thanks]")
    assert SurveyResponse.objects.filter(unit_assessment=ua_a, tool="EIT").count() == spec.min_group_size + 1
    assert score_once_closed(ua_a, "EIT") > before  # type: ignore[operator]
    desktop.goto(f"{live_server.url}/s/e/{eit_token}/")  # the same device again
    assert desktop.locator("[data-reason=device_done]").is_visible()
