"""Every audit entry about one OIT item carries the same target, so its history can be pulled
by it; the unit's entries share its prefix, whichever service wrote them."""

from __future__ import annotations

from typing import Any

from ita.assessments.models import PhaseKind
from ita.audit.models import AuditEntry
from ita.audit.targets import target_of
from ita.disclosure.services import LinkInput, do_decide, do_release, do_save_draft, do_submit_item


def test_an_items_submission_review_and_release_are_found_by_its_target(
    oit: Any, coordinator_a: Any, assessor: Any
) -> None:
    item = oit.item("O1")
    do_save_draft(item, actor=coordinator_a, present=True, links=[LinkInput("https://esa-a.example.go.th/o1", "")])
    do_submit_item(item, actor=coordinator_a)
    oit.open_only(PhaseKind.REVIEW)
    do_decide(item, assessor=assessor, passed=False, reason="ไม่พบข้อมูลปีปัจจุบัน")
    do_release(oit.ua_a, actor=assessor)

    assert target_of(item) == "esa-test/esa-a/O1"
    history = list(AuditEntry.objects.filter(target=target_of(item)).order_by("id").values_list("action", flat=True))
    assert history == ["evidence.submitted", "evidence.review.failed"]
    unit_wide = AuditEntry.objects.filter(target__startswith=target_of(oit.ua_a) + "/") | AuditEntry.objects.filter(
        target=target_of(oit.ua_a)
    )
    assert {"evidence.submitted", "evidence.review.failed", "evidence.released", "evidence.assessor_assigned"} <= set(
        unit_wide.values_list("action", flat=True)
    )
    assert not AuditEntry.objects.filter(target__contains=" · ").exists()  # the old second spelling
