"""The OIT pages: who may see and do what, and what the pages say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import PhaseKind
from ita.disclosure.checks import store_check
from ita.disclosure.fetch import FetchResult
from ita.disclosure.models import AssessorAssignment, EvidenceLink, ItemState
from ita.disclosure.services import LinkInput, do_decide, do_release, do_save_draft, do_submit_item
from ita.disclosure.tests.conftest import Oit

pytestmark = pytest.mark.django_db
SITE = "https://esa-a.example.go.th"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(oit: Oit, name: str = "evidence", *args: str) -> str:
    from django.urls import reverse

    return reverse(f"oit:{name}", args=["esa-test", "esa-a", *args])


def test_the_coordinator_sees_every_item_with_what_it_requires_and_what_is_missing(
    oit: Oit, coordinator_a: User
) -> None:
    html = client_for(coordinator_a).get(page(oit)).content.decode()
    assert 'id="item-O1"' in html and 'id="item-O43"' in html
    assert "แผนผังโครงสร้างการแบ่งส่วนราชการ" in html  # O1's requires_th
    assert 'data-missing="9.1">ยังไม่ส่ง O1, O2, O3' in html


def test_a_plain_post_saves_a_draft_and_warns_about_a_link_off_the_units_site(oit: Oit, coordinator_a: User) -> None:
    client = client_for(coordinator_a)
    response = client.post(
        page(oit, "save-item", "O1"),
        {"present": "yes", "label": ["แผนผัง", ""], "url": [f"{SITE}/o1", ""], "note": "", "action": "save"},
        follow=True,
    )
    assert "บันทึกร่างข้อ O1 แล้ว" in response.content.decode()
    response = client.post(
        page(oit, "save-item", "O1"),
        {"present": "yes", "label": "x", "url": "https://elsewhere.example.com/o1", "action": "save"},
        follow=True,
    )
    assert "ไม่ได้อยู่บนเว็บไซต์ของหน่วยงาน" in response.content.decode()
    assert list(oit.item("O1").links.values_list("url", flat=True)) == ["https://elsewhere.example.com/o1"]


def test_autosave_answers_in_json_with_the_thai_error(oit: Oit, coordinator_a: User) -> None:
    response = client_for(coordinator_a).post(
        page(oit, "save-item", "O1"),
        {"present": "yes", "url": "not a url", "action": "save"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "ไม่ใช่ที่อยู่เว็บที่ถูกต้อง" in response.json()["error"]
    assert not EvidenceLink.objects.exists()


def test_submitting_from_the_page_locks_the_item(oit: Oit, coordinator_a: User) -> None:
    client = client_for(coordinator_a)
    client.post(
        page(oit, "save-item", "O1"), {"present": "yes", "label": "แผนผัง", "url": f"{SITE}/o1", "action": "submit"}
    )
    assert oit.item("O1").state == ItemState.SUBMITTED
    response = client.post(page(oit, "save-item", "O1"), {"present": "no", "action": "save"})
    assert "ส่งตรวจแล้ว แก้ไขหรือส่งซ้ำไม่ได้" in response.content.decode() and oit.item("O1").present is True


def test_a_refused_save_shows_the_form_again_with_what_was_typed_and_stores_nothing(
    oit: Oit, coordinator_a: User
) -> None:
    response = client_for(coordinator_a).post(
        page(oit, "save-item", "O1"),
        {"present": "yes", "label": "แผนผัง", "url": "esa-a.example.go.th/o1", "note": "ดูหน้า 2", "action": "save"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error="O1">ลิงก์ &quot;esa-a.example.go.th/o1&quot; ไม่ใช่ที่อยู่เว็บที่ถูกต้อง' in html
    assert 'value="แผนผัง"' in html and 'value="esa-a.example.go.th/o1"' in html and ">ดูหน้า 2</textarea>" in html
    assert (oit.item("O1").present, oit.item("O1").note, oit.item("O1").links.count()) == (None, "", 0)


def test_a_refused_submission_does_not_keep_the_draft_either(oit: Oit, coordinator_a: User) -> None:
    response = client_for(coordinator_a).post(
        page(oit, "save-item", "O1"), {"present": "yes", "note": "x", "action": "submit"}, follow=True
    )
    assert "ยังไม่มีลิงก์" in response.content.decode()
    assert (oit.item("O1").present, oit.item("O1").note) == (None, "")


@pytest.mark.parametrize("who", ["coordinator_b", "anonymous"])
def test_outsiders_cannot_see_or_change_a_units_evidence(oit: Oit, who: str, request: Any) -> None:
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    for url in (page(oit), page(oit, "review")):
        assert client.get(url).status_code in (302, 404)
    response = client.post(page(oit, "save-item", "O1"), {"present": "yes", "url": f"{SITE}/x", "action": "submit"})
    assert response.status_code in (302, 404) and oit.item("O1").state == ItemState.DRAFT


def test_an_assessor_not_assigned_to_the_unit_cannot_open_its_review_page_and_a_decision_is_refused_clearly(
    oit: Oit, coordinator_a: User
) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    stranger = User.objects.create_user("assessor-2", password="x")
    esa = oit.ua_a.unit.parent
    assert esa is not None
    Membership.objects.create(user=stranger, unit=esa, role=Role.ASSESSOR)
    client = client_for(stranger)
    assert client.get(page(oit, "review")).status_code == 404
    response = client.post(page(oit, "decide", "O1"), {"decision": "pass"}, follow=True)
    assert "คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้" in response.content.decode()
    assert oit.item("O1").passed is None


def test_the_assessor_fails_an_item_with_a_common_reason_and_the_unit_sees_it_only_once_released(
    oit: Oit, coordinator_a: User, assessor: User
) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    oit.open_only(PhaseKind.REVIEW)
    reviewer = client_for(assessor)
    assert "ตรวจประเมิน OIT" in reviewer.get(page(oit, "review")).content.decode()
    response = reviewer.post(
        page(oit, "decide", "O1"), {"decision": "fail", "reason_choice": "", "reason_text": ""}, follow=True
    )
    assert "ต้องระบุเหตุผลเมื่อให้ไม่ผ่าน" in response.content.decode() and oit.item("O1").passed is None
    reviewer.post(page(oit, "decide", "O1"), {"decision": "fail", "reason_choice": "ข้อมูลไม่เป็นปัจจุบัน"})
    assert (oit.item("O1").passed, oit.item("O1").reason) == (False, "ข้อมูลไม่เป็นปัจจุบัน")
    coordinator = client_for(coordinator_a)
    before = coordinator.get(page(oit)).content.decode()
    assert 'data-decision="O1"' not in before
    assert '<strong data-testid="oit-score">–</strong>' in before  # the score does not give the decision away
    assert '<strong data-testid="oit-score">0.00</strong>' in reviewer.get(page(oit)).content.decode()
    reviewer.post(page(oit, "release"))
    after = coordinator.get(page(oit)).content.decode()
    assert 'data-decision="O1">ไม่ผ่าน: ข้อมูลไม่เป็นปัจจุบัน' in after
    assert '<strong data-testid="oit-score">0.00</strong>' in after


def test_the_assessor_queue_lists_assigned_units_only(oit: Oit, assessor: User) -> None:
    html = client_for(assessor).get("/oit/queue/").content.decode()
    assert "สพป.ก" in html and "สพป.ข" not in html


def test_the_program_admin_assigns_an_assessor_and_others_cannot(
    oit: Oit, program_admin: User, assessor: User, coordinator_a: User
) -> None:
    url = "/oit/esa-test/assign/"
    assert client_for(coordinator_a).get(url).status_code == 404
    response = client_for(program_admin).post(
        url, {"unit_assessment": oit.ua_b.pk, "assessor": assessor.pk}, follow=True
    )
    assert "มอบหมาย" in response.content.decode()
    assert AssessorAssignment.objects.filter(unit_assessment=oit.ua_b, assessor=assessor).exists()
    response = client_for(program_admin).post(
        url, {"unit_assessment": oit.ua_b.pk, "assessor": coordinator_a.pk}, follow=True
    )
    assert "ไม่มีบทบาทผู้ตรวจประเมิน" in response.content.decode()


def test_a_snapshot_is_served_sandboxed_and_never_to_outsiders(
    oit: Oit, coordinator_a: User, coordinator_b: User, assessor: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1")])
    link = EvidenceLink.objects.get()
    body = b"<html><title>t</title><script>alert(document.cookie)</script></html>"
    check = store_check(
        link,
        FetchResult(
            url=link.url,
            final_url=link.url,
            status=200,
            content_type="text/html",
            size=len(body),
            sha256="ab" * 32,
            body=body,
        ),
        purpose="submission",
    )
    url = f"/oit/snapshot/{check.pk}/"
    response = client_for(assessor).get(url)
    assert response.status_code == 200 and response.getvalue() == body
    assert (
        response["Content-Security-Policy"].startswith("sandbox;") and response["X-Content-Type-Options"] == "nosniff"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "attachment" in client_for(coordinator_a).get(url + "?download=1")["Content-Disposition"]
    assert client_for(coordinator_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_decision_after_release_is_a_confirmation_and_changes_what_the_unit_sees(
    oit: Oit, coordinator_a: User, assessor: User
) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    do_decide(oit.item("O1"), assessor=assessor, passed=False, reason="ไม่พบข้อมูล")
    do_release(oit.ua_a, actor=assessor)
    decision = do_decide(oit.item("O1"), assessor=assessor, passed=True)
    assert decision.round == "confirmation" and oit.item("O1").passed is True


def test_a_dead_link_is_flagged_in_the_assessors_queue_and_on_the_review_page(
    oit: Oit, coordinator_a: User, assessor: User
) -> None:
    do_save_draft(oit.item("O7"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o7")])
    do_submit_item(oit.item("O7"), actor=coordinator_a)
    link = EvidenceLink.objects.get()
    store_check(
        link,
        FetchResult(url=link.url, final_url=link.url, status=200, content_type="text/plain", sha256="a" * 64),
        purpose="submission",
    )
    client = client_for(assessor)
    assert '<td class="num" data-flagged-links>0</td>' in client.get("/oit/queue/").content.decode()
    link.refresh_from_db()
    store_check(
        link, FetchResult(url=link.url, final_url=link.url, status=404, content_type="text/plain"), purpose="recheck"
    )
    assert '<td class="num" data-flagged-links>1</td>' in client.get("/oit/queue/").content.decode()
    html = client.get(page(oit, "review")).content.decode()
    assert 'href="#item-O7">O7</a>' in html and 'data-flagged="O7"' in html


def test_the_program_admin_withdraws_an_assessor_who_then_cannot_decide(
    oit: Oit, program_admin: User, assessor: User, coordinator_a: User
) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/o1")])
    do_submit_item(oit.item("O1"), actor=coordinator_a)
    client_for(program_admin).post(
        "/oit/esa-test/assign/", {"unit_assessment": oit.ua_a.pk, "assessor": assessor.pk, "remove": "1"}
    )
    assert not AssessorAssignment.objects.filter(unit_assessment=oit.ua_a, assessor=assessor).exists()
    response = client_for(assessor).post(page(oit, "decide", "O1"), {"decision": "pass"}, follow=True)
    assert "คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้" in response.content.decode() and oit.item("O1").passed is None
    from ita.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="evidence.assessor_unassigned", actor=program_admin).count() == 1
