"""Respondents in a real browser: an IIT response from a code on a phone, an EIT response from
the public link on a desktop; each moves the score the unit will see once collection closes
(while it is open the score is withheld, docs/anonymity.md)."""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from ita.scoring.engine import score_unit
from ita.scoring.services import score_unit_assessment, unit_inputs
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
    target = Target(ua_id=ua.pk, assessment_id=a.pk, framework_id=a.framework_id, tool=tool)
    worst = {
        item.key: min(range(len(item.scale.options)), key=lambda i, item=item: item.scale.options[i].score)
        for item in spec.sub_items_of(tool)
    }
    for i in range(n):
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


def test_a_staff_member_answers_iit_from_a_code_on_a_phone(
    phone: Any, live_server: Any, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    seed(ua_a, spec, "IIT", spec.min_group_size)
    before = score_once_closed(ua_a, "IIT")
    phone.goto(f"{live_server.url}/s/")
    phone.fill("#id_code", f"{iit_codes[0][:5].lower()}-{iit_codes[0][5:]}")
    phone.click("button:has-text('เริ่มตอบ')")
    assert phone.locator("details.privacy[open]").is_visible()  # the notice comes before the first question
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
    assert SurveyResponse.objects.filter(unit_assessment=ua_a, tool="IIT").count() == spec.min_group_size + 1
    assert score_once_closed(ua_a, "IIT") > before  # type: ignore[operator]
    phone.goto(f"{live_server.url}/s/c/{iit_codes[0]}/")
    assert phone.locator("[data-reason=code_used]").is_visible()


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
    assert score_once_closed(ua_a, "EIT") > before  # type: ignore[operator]
    desktop.goto(f"{live_server.url}/s/e/{eit_token}/")  # the same device again
    assert desktop.locator("[data-reason=device_done]").is_visible()
