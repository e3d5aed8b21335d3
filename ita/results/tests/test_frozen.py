"""Published means frozen: the page, the API and the downloads serve the stored snapshot, and
a score-changing action waits for a program admin's reopening with a reason."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ita.accounts.models import User
from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import AssessmentError, do_set_headcounts
from ita.audit.models import AuditEntry
from ita.disclosure import services as oit
from ita.disclosure.models import EvidenceItem
from ita.results.exporters import read_csv
from ita.results.models import Publication, UnitScore
from ita.results.services import PublicationError, do_publish, do_reopen, verify

pytestmark = pytest.mark.django_db

SLUG, CODE = "esa-2566", "samutsakhon-pesa"
PAGE = f"/results/{SLUG}/u/{CODE}/"
API = f"/api/v1/assessments/{SLUG}/units/{CODE}/score"


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _as(name: str) -> Client:
    client = Client()
    client.force_login(_user(name))
    return client


def _page_total(client: Client, query: str = "") -> str:
    response = client.get(PAGE + query)
    assert response.status_code == 200
    match = re.search(r'data-testid="total">([^<]*)<', response.content.decode())
    assert match is not None
    return match.group(1)


def _csv_total(query: str = "") -> str:
    response = Client().get(f"/results/{SLUG}/download/scores-csv{query}")
    rows = read_csv(response.getvalue())
    return dict((r[0], r[3]) for r in rows[1:])[CODE]


def _json_total(query: str = "") -> float:
    response = Client().get(f"/results/{SLUG}/download/scores-json{query}")
    data = json.loads(response.getvalue())
    return next(u["total"] for u in data["units"] if u["unit"] == CODE)


def _o1() -> EvidenceItem:
    return EvidenceItem.objects.get(
        unit_assessment__unit__code=CODE, unit_assessment__assessment__slug=SLUG, item_code="O1"
    )


def _fail_o1_in_the_browser_way() -> Any:
    return _as("assessor").post(
        f"/oit/{SLUG}/{CODE}/review/items/O1/", {"decision": "fail", "reason_text": "ลิงก์ใช้งานไม่ได้"}, follow=True
    )


def test_an_assessor_failing_an_item_on_published_esa_2566_is_refused_and_nothing_changes(demo: Any) -> None:
    publication = Publication.objects.get(assessment__slug=SLUG)
    before_audit = AuditEntry.objects.count()
    assert _o1().passed is True

    response = _fail_o1_in_the_browser_way()

    assert "ผู้ดูแลโครงการต้องเปิดทบทวนผลพร้อมระบุเหตุผลก่อน" in response.content.decode()
    assert _o1().passed is True
    assert AuditEntry.objects.count() == before_audit
    assert _page_total(Client()) == "96.77"
    assert _page_total(_as("admin")) == "96.77"
    assert Client().get(API).json()["total"] == 96.77
    assert _csv_total() == "96.77"
    publication.refresh_from_db()
    assert Publication.objects.get(assessment__slug=SLUG).sha256 == publication.sha256
    assert verify(publication)


def _ua() -> UnitAssessment:
    return UnitAssessment.objects.select_related("assessment", "unit").get(assessment__slug=SLUG, unit__code=CODE)


REFUSED: dict[str, Callable[[], Any]] = {
    "record review": lambda: oit.do_record_review(_o1(), assessor=None, passed=False, reason="x"),
    "decide": lambda: oit.do_decide(_o1(), assessor=_user("assessor"), passed=False, reason="x"),
    "release": lambda: oit.do_release(_ua(), actor=_user("assessor")),
    "lock": lambda: oit.do_lock_unit(_ua(), actor=_user("assessor")),
    "reopen item": lambda: oit.do_reopen(_o1(), actor=_user("admin"), reason="x"),
    "clarification": lambda: oit.do_clarify(_o1(), actor=_user("samutsakhon"), explanation="x"),
    "evidence save": lambda: oit.do_save_draft(_o1(), actor=_user("samutsakhon"), present=True, links=[]),
    "evidence submit": lambda: oit.do_submit_item(_o1(), actor=_user("samutsakhon")),
    "carry-over": lambda: oit.do_carry_over(_ua(), actor=_user("samutsakhon")),
}


@pytest.mark.parametrize("action", sorted(REFUSED))
def test_every_score_changing_oit_action_is_refused_on_a_published_assessment(demo: Any, action: str) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(oit.OitError, match="เปิดทบทวนผล"):
        REFUSED[action]()
    assert AuditEntry.objects.count() == before


def test_a_headcount_change_is_refused_on_a_published_assessment(demo: Any) -> None:
    ua = _ua()
    with pytest.raises(AssessmentError, match="เปิดทบทวนผล"):
        do_set_headcounts(ua, internal=1, external=1, actor=_user("admin"))
    assert _ua().internal_headcount == ua.internal_headcount


def test_a_state_edited_by_hand_does_not_unfreeze_published_results(demo: Any) -> None:
    Assessment.objects.filter(slug=SLUG).update(state="open")  # not through do_reopen
    with pytest.raises(oit.OitError, match="เปิดทบทวนผล"):
        oit.do_record_review(_o1(), assessor=None, passed=False, reason="x")


def test_after_a_reopening_the_change_is_allowed_and_version_2_replaces_version_1_which_stays_viewable(
    demo: Any,
) -> None:
    assessment = Assessment.objects.get(slug=SLUG)
    admin = _user("admin")
    v1 = Publication.objects.get(assessment=assessment)
    with pytest.raises(PublicationError):
        do_reopen(assessment, actor=admin, reason=" ")
    response = _as("admin").post(f"/results/{SLUG}/reopen", {"reason": "ผู้ตรวจพบว่าลิงก์ข้อ O1 ใช้ไม่ได้"})
    assert response.status_code == 302
    v1.refresh_from_db()
    assert v1.reopen_reason == "ผู้ตรวจพบว่าลิงก์ข้อ O1 ใช้ไม่ได้"

    _fail_o1_in_the_browser_way()
    assert _o1().passed is False
    # While reopened the public still sees version 1, frozen; the admin may look at the live card.
    assert _page_total(Client()) == "96.77"
    assert Client().get(API).json()["total"] == 96.77
    live = _page_total(_as("admin"), "?provisional=1")
    assert live != "96.77"

    with pytest.raises(PublicationError, match="เหตุผล"):
        do_publish(assessment, actor=admin)
    response = _as("admin").post(f"/results/{SLUG}/publish", {"reason": "แก้ผลข้อ O1 ตามการทบทวน", "confirm": "on"})
    assert response.status_code == 302
    v2 = Publication.objects.get(assessment=assessment, version=2)
    assert v2.reason == "แก้ผลข้อ O1 ตามการทบทวน"

    assert _page_total(Client()) == live
    assert str(Client().get(API).json()["total"]) == live
    assert _csv_total() == live and str(_json_total()) == live
    assert _page_total(Client(), "?version=1") == "96.77"
    assert Client().get(API + "?version=1").json()["total"] == 96.77
    assert _csv_total("?version=1") == "96.77" and _json_total("?version=1") == 96.77
    assert Client().get(PAGE + "?version=3").status_code == 404
    assert Client().get(PAGE + "?version=²").status_code == 404
    page = Client().get(PAGE).content.decode()
    assert v2.sha256 in page and v1.sha256 in Client().get(PAGE + "?version=1").content.decode()
    assert v1.sha256 != v2.sha256 and verify(v1) and verify(v2)
    call_command("results", "verify", SLUG)

    actions = list(AuditEntry.objects.filter(target__startswith=SLUG).order_by("id").values_list("action", flat=True))
    tail = actions[actions.index("results.reopened") :]
    assert tail == ["results.reopened", "evidence.review.failed", "results.published"]
    published = AuditEntry.objects.filter(action="results.published").latest("id")
    assert published.data["version"] == 2 and published.data["sha256"] == v2.sha256
    assert published.data["reopen_reason"] == "ผู้ตรวจพบว่าลิงก์ข้อ O1 ใช้ไม่ได้"


def test_the_published_page_does_not_follow_live_data_changed_behind_the_services(demo: Any) -> None:
    EvidenceItem.objects.filter(unit_assessment__unit__code=CODE).update(passed=False, reason="แก้ตรงในฐานข้อมูล")
    text = Client().get(PAGE).content.decode()
    assert 'data-testid="total">96.77<' in text
    assert "แก้ตรงในฐานข้อมูล" not in text


def test_altered_frozen_inputs_are_caught_by_verify_and_never_shown(demo: Any) -> None:
    publication = Publication.objects.get(assessment__slug=SLUG)
    row = UnitScore.objects.get(publication=publication, unit_code=CODE)
    row.inputs["oit"]["O1"] = False
    row.save(update_fields=["inputs"])
    assert not verify(publication)
    with pytest.raises(CommandError, match="samutsakhon-pesa: the engine on the frozen inputs"):
        call_command("results", "verify", SLUG)
    response = Client().get(PAGE)
    assert response.templates[0].name == "results/unit_card_only.html"
    assert 'data-testid="total">96.77<' in response.content.decode()


def test_the_ranking_of_an_earlier_version_links_that_versions_downloads(demo: Any) -> None:
    assessment = Assessment.objects.get(slug=SLUG)
    admin = _user("admin")
    do_reopen(assessment, actor=admin, reason="ทบทวน")
    do_publish(assessment, actor=admin, reason="ฉบับแก้ไข")
    old = Client().get(f"/results/{SLUG}/?version=1")
    assert old.context["v"].publication.version == 1
    assert f'/results/{SLUG}/download/scores-csv?version=1"' in old.content.decode()
    assert 'data-testid="older-version"' in old.content.decode()
    latest = Client().get(f"/results/{SLUG}/").content.decode()
    assert f'/results/{SLUG}/download/scores-csv"' in latest
    assert Client().get(f"/results/{SLUG}/?version=9").status_code == 404
