"""A decision reaches the unit only when the assessor releases it: a new decision on an item
whose earlier decision was already released is hidden again until the next release."""

from __future__ import annotations

import pytest

from ita.accounts.models import User
from ita.assessments.models import PhaseKind
from ita.disclosure.services import LinkInput, do_decide, do_release, do_save_draft, do_submit_item
from ita.disclosure.tests.conftest import Oit
from ita.scoring.services import score_unit_assessment

pytestmark = pytest.mark.django_db


def test_a_changed_decision_on_a_released_item_waits_for_the_next_release(
    oit: Oit, coordinator_a: User, assessor: User
) -> None:
    item = oit.item("O1")
    do_save_draft(item, actor=coordinator_a, present=True, links=[LinkInput("https://esa-a.example.go.th/o1", "O1")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    oit.open_only(PhaseKind.REVIEW)
    do_decide(oit.item("O1"), assessor=assessor, passed=True)
    do_release(oit.ua_a, actor=assessor)
    unit_sees = score_unit_assessment(oit.ua_a, released_only=True).oit_items.get("O1")
    assert unit_sees == 100

    do_decide(oit.item("O1"), assessor=assessor, passed=False, reason="ข้อมูลไม่เป็นปัจจุบัน")

    assert oit.item("O1").released is False
    assert score_unit_assessment(oit.ua_a, released_only=True).oit_items.get("O1") is None  # not the new 0, yet
    assert score_unit_assessment(oit.ua_a).oit_items["O1"] == 0  # the assessor sees it at once
    do_release(oit.ua_a, actor=assessor)
    assert score_unit_assessment(oit.ua_a, released_only=True).oit_items.get("O1") == 0
