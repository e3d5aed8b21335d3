"""One whole OIT round against a local web server, with the score and the audit trail
checked at every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import PhaseKind, UnitAssessmentState
from ita.audit.models import AuditEntry
from ita.disclosure.checks import do_recheck
from ita.disclosure.models import CheckFlag, EvidenceLink, ItemState, LinkCheck, ReviewDecision
from ita.disclosure.services import (
    LinkInput,
    OitError,
    do_clarify,
    do_decide,
    do_lock_unit,
    do_release,
    do_reopen,
    do_save_draft,
    do_submit_item,
)
from ita.disclosure.tests.conftest import Oit
from ita.disclosure.tests.webserver import Page, Site
from ita.lib.rounding import display
from ita.scoring.engine import UnitInput, score_unit
from ita.scoring.services import score_unit_assessment

pytestmark = pytest.mark.django_db


def oit_score(oit: Oit) -> str:
    """The OIT score as displayed, from the engine through the stored decisions."""
    score = score_unit_assessment(oit.ua_a).tools["OIT"].score
    return "–" if score is None else display(score)


def engine_says(oit: Oit, decisions: dict[str, bool]) -> str:
    score = (
        score_unit(oit.assessment.framework.spec, UnitInput(tallies={}, respondents={}, oit=decisions, population={}))
        .tools["OIT"]
        .score
    )
    return "–" if score is None else display(score)


def work() -> None:
    call_command("worker", "--burst", verbosity=0)


def test_a_whole_round_submit_check_die_recheck_fail_clarify_confirm_lock(
    oit: Oit, site: Site, loopback_ok: None, coordinator_a: User, assessor: User, program_admin: User
) -> None:
    codes = [i.code for i in oit.assessment.framework.spec.oit_items]
    # 1. The coordinator submits every item, one page each on the unit's (local) website.
    for code in codes:
        url = site.html(f"/{code.lower()}", f"หน้า {code}", f"ข้อมูล {code} ปี 2566")
        do_save_draft(oit.item(code), actor=coordinator_a, present=True, links=[LinkInput(url, f"หลักฐาน {code}")])
        do_submit_item(oit.item(code), actor=coordinator_a)
    assert oit_score(oit) == "–"

    # 2. The worker checks each link and keeps a snapshot of what was published.
    work()
    o1 = EvidenceLink.objects.get(item=oit.item("O1"))
    assert o1.baseline is not None and o1.baseline == o1.latest
    assert (o1.baseline.ok, o1.baseline.status, o1.baseline.title, o1.baseline.content_type) == (
        True,
        200,
        "หน้า O1",
        "text/html",
    )
    assert Path(settings.MEDIA_ROOT, o1.baseline.snapshot).read_bytes() == site.pages["/o1"].body
    assert LinkCheck.objects.filter(purpose="submission", ok=True).count() == len(codes)

    # 3. O24's page dies and O1's page changes; the re-check before review flags both.
    site.pages["/o24"] = Page(status=404, body=b"gone", content_type="text/plain")
    site.html("/o1", "หน้า O1", "ข้อมูลใหม่")
    do_recheck(oit.ua_a, actor=assessor)
    work()
    flags = {
        link.item.item_code: link.latest.flag if link.latest else None
        for link in EvidenceLink.objects.select_related("item", "latest")
    }
    assert flags["O24"] == CheckFlag.DEAD and flags["O1"] == CheckFlag.CHANGED
    assert {c: f for c, f in flags.items() if f != CheckFlag.OK} == {"O24": CheckFlag.DEAD, "O1": CheckFlag.CHANGED}
    o1.refresh_from_db()
    assert (
        Path(settings.MEDIA_ROOT, o1.baseline.snapshot).read_bytes() != site.pages["/o1"].body
    )  # the snapshot is what was submitted

    # 4. The assessor decides: the score follows each decision.
    oit.open_only(PhaseKind.REVIEW)
    do_decide(oit.item("O1"), assessor=assessor, passed=True)
    assert oit_score(oit) == engine_says(oit, {"O1": True}) == "1.00"  # 9.1 = 10, so 9 = 2
    with pytest.raises(OitError, match="ต้องระบุเหตุผล"):
        do_decide(oit.item("O24"), assessor=assessor, passed=False, reason=" ")
    do_decide(oit.item("O24"), assessor=assessor, passed=False, reason="ไม่พบข้อมูล")
    for code in codes:
        if code not in ("O1", "O24"):
            do_decide(oit.item(code), assessor=assessor, passed=True)
    decisions = {c: c != "O24" for c in codes}
    assert oit_score(oit) == engine_says(oit, decisions) == "97.50"  # 9.4 = 75, indicator 9 = 95

    # An assessor who is not assigned to the unit changes nothing.
    stranger = User.objects.create_user("assessor-2", password="x")
    esa = oit.ua_a.unit.parent
    assert esa is not None
    Membership.objects.create(user=stranger, unit=esa, role=Role.ASSESSOR)
    with pytest.raises(OitError, match="ไม่ได้รับมอบหมาย"):
        do_decide(oit.item("O24"), assessor=stranger, passed=True)
    assert oit.item("O24").passed is False

    # 5. Release, then the unit answers the failed item once, with a new URL.
    assert do_release(oit.ua_a, actor=assessor) == len(codes)
    oit.open_only(PhaseKind.CLARIFICATION)
    new_url = site.html("/o24-budget", "รายละเอียดงบประมาณรายโครงการ")
    with pytest.raises(OitError, match="เฉพาะข้อที่แจ้งผลว่าไม่ผ่าน"):
        do_clarify(oit.item("O23"), actor=coordinator_a, explanation="x")
    do_clarify(
        oit.item("O24"),
        actor=coordinator_a,
        explanation="ย้ายหน้าไปที่ลิงก์ใหม่",
        links=[LinkInput(new_url, "งบประมาณรายโครงการ")],
    )
    with pytest.raises(OitError, match="ชี้แจงไปแล้ว"):
        do_clarify(oit.item("O24"), actor=coordinator_a, explanation="อีกครั้ง")
    work()
    added = EvidenceLink.objects.get(item=oit.item("O24"), url=new_url)
    assert added.added_in == "clarification" and added.baseline is not None and added.baseline.ok
    assert oit.item("O24").state == ItemState.CLARIFIED

    # 6. The assessor confirms: O24 now passes.
    oit.open_only(PhaseKind.CONFIRMATION)
    do_decide(oit.item("O24"), assessor=assessor, passed=True, reason="ชี้แจงพร้อมรายละเอียดงบประมาณรายโครงการแล้ว")
    assert oit_score(oit) == engine_says(oit, {c: True for c in codes}) == "100.00"
    last = ReviewDecision.objects.filter(item=oit.item("O24")).order_by("id").last()
    assert last is not None and last.round == "confirmation"

    # 7. Lock: nothing changes any more except by a program admin's reopening.
    do_lock_unit(oit.ua_a, actor=assessor)
    oit.ua_a.refresh_from_db()
    assert oit.ua_a.state == UnitAssessmentState.OIT_LOCKED
    with pytest.raises(OitError, match="ยืนยันผลแล้ว"):
        do_decide(oit.item("O23"), assessor=assessor, passed=False, reason="ไม่ครบองค์ประกอบ")
    with pytest.raises(OitError, match="เฉพาะผู้ดูแลโครงการ"):
        do_reopen(oit.item("O23"), actor=assessor, reason="ขอแก้")
    with pytest.raises(OitError, match="ต้องระบุเหตุผล"):
        do_reopen(oit.item("O23"), actor=program_admin, reason="")
    assert oit_score(oit) == "100.00"
    do_reopen(oit.item("O23"), actor=program_admin, reason="ผู้ร้องเรียนแจ้งว่าข้อมูลเป็นของปี 2565")
    do_decide(oit.item("O23"), assessor=assessor, passed=False, reason="ข้อมูลไม่เป็นปัจจุบัน")
    assert oit.item("O23").locked is True
    assert oit_score(oit) == engine_says(oit, {c: c != "O23" for c in codes}) == "97.50"

    # 8. The audit trail lists every step, with who and why.
    trail = [
        (e.action, e.actor.username if e.actor else None, e.target.rsplit("/", 1)[-1], e.data.get("reason", ""))
        for e in AuditEntry.objects.filter(unit=oit.ua_a.unit, action__startswith="evidence.").order_by("id")
        if e.action != "evidence.review.passed" or e.target.endswith(("/O1", "/O24", "/O23"))
    ]
    submitted = [t for t in trail if t[0] == "evidence.submitted"]
    assert len(submitted) == len(codes)
    assert [t for t in trail if t[0] != "evidence.submitted"] == [
        ("evidence.assessor_assigned", "admin", "esa-a", ""),
        ("evidence.recheck_requested", "assessor", "esa-a", ""),
        ("evidence.review.passed", "assessor", "O1", ""),
        ("evidence.review.failed", "assessor", "O24", "ไม่พบข้อมูล"),
        ("evidence.review.passed", "assessor", "O23", ""),
        ("evidence.released", "assessor", "esa-a", ""),
        ("evidence.clarified", "coord-a", "O24", ""),
        ("evidence.review.passed", "assessor", "O24", "ชี้แจงพร้อมรายละเอียดงบประมาณรายโครงการแล้ว"),
        ("evidence.locked", "assessor", "esa-a", ""),
        ("evidence.reopened", "admin", "O23", "ผู้ร้องเรียนแจ้งว่าข้อมูลเป็นของปี 2565"),
        ("evidence.review.failed", "assessor", "O23", "ข้อมูลไม่เป็นปัจจุบัน"),
    ]


def test_a_link_check_job_runs_once_even_when_two_workers_are_asked(
    oit: Oit, site: Site, loopback_ok: Any, coordinator_a: User
) -> None:
    from ita.jobs.queue import run_one

    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(site.html("/o1", "x"))])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    assert run_one("w1") is not None and run_one("w2") is None
    assert LinkCheck.objects.count() == 1


def test_without_the_loopback_setting_a_local_link_is_refused_and_flagged(
    oit: Oit, site: Site, settings: Any, tmp_path: Path, coordinator_a: User
) -> None:
    settings.ITA_LINKCHECK_ALLOW_LOOPBACK, settings.MEDIA_ROOT = False, str(tmp_path)
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(site.html("/o1", "x"))])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    work()
    check = LinkCheck.objects.get()
    assert (check.ok, check.flag, check.snapshot) == (False, CheckFlag.REFUSED, "") and site.hits == []
