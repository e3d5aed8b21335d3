"""Codes are issued in batches that are never lost: the codes page can be downloaded again while
it is open, a lost batch is voided and reissued in one step, and IIT codes beyond headcount plus
a spare margin need a reason that the program admin sees. IIT responses never exceed the codes."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from ita.assessments.services import do_set_headcounts
from ita.audit.models import AuditEntry
from ita.surveys.codes import code_digest, do_issue_codes, do_void_and_reissue, spare_codes
from ita.surveys.collect import Refused, Target, do_submit, make_form_token, target_from_token
from ita.surveys.models import CodeBatch, SurveyCode, SurveyResponse
from ita.surveys.tests.conftest import full_answers

UNIT = "/s/m/esa-test/esa-a/"
ISSUE = UNIT + "codes/"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_codes(html: str) -> list[str]:
    return re.findall(r'data-code="([0-9A-Z]{10})"', html)


def answer_with_code(ua: Any, spec: Any, code: str) -> None:
    """What the respondent's form does with a code: a token issued for that code, then the one
    transaction (the code must flip from unused to used, or nothing is stored)."""
    a = ua.assessment
    digest = code_digest(code)
    issued_for = Target(ua_id=ua.pk, assessment_id=a.pk, framework_id=a.framework_id, tool="IIT", code_digest=digest)
    target, token = target_from_token(make_form_token(issued_for), digest)
    do_submit(target, token, {k[2:]: int(v) for k, v in full_answers(spec, "IIT", 1).items()})


def iit_responses(ua: Any) -> int:
    return SurveyResponse.objects.filter(unit_assessment=ua, tool="IIT").count()


# --- the spare margin and the reason -------------------------------------------------------


def test_the_spare_margin_is_ten_percent_of_the_headcount_and_at_least_two_codes(settings: Any) -> None:
    assert (spare_codes(34), spare_codes(100), spare_codes(5), spare_codes(0)) == (4, 10, 2, 2)
    settings.ITA_CODE_SPARE_PERCENT = 20
    assert spare_codes(34) == 7


def test_47_codes_for_a_headcount_of_34_without_a_reason_are_refused_in_thai_and_nothing_is_issued(
    coordinator_a: Any, ua_a: Any
) -> None:
    do_set_headcounts(ua_a, internal=34, external=300)
    page = signed_in(coordinator_a).post(ISSUE, {"tool": "IIT", "count": "47", "batch": str(uuid.uuid4())})
    assert page.status_code == 400
    html = page.content.decode()
    assert "ออกรหัส IIT ได้ไม่เกิน 38 รหัส (บุคลากร 34 คน และรหัสสำรอง 4 รหัส)" in html
    assert "ให้ระบุเหตุผลในช่องเหตุผล" in html and "ยังไม่ได้ออกรหัสใหม่" in html
    assert 'name="count" type="number" min="1" max="2000" value="47"' in html  # what was typed is kept
    assert not shown_codes(html)
    assert not SurveyCode.objects.exists() and not CodeBatch.objects.exists()
    assert not AuditEntry.objects.filter(action="surveys.codes.issued").exists()


def test_codes_up_to_the_margin_need_no_reason_and_one_more_does(ua_a: Any) -> None:
    do_set_headcounts(ua_a, internal=34, external=300)
    assert not do_issue_codes(ua_a, "IIT", 30).batch.flagged
    assert not do_issue_codes(ua_a, "IIT", 8).batch.flagged  # 38 = 34 + 4 spare
    with pytest.raises(ValueError, match="ระบุเหตุผล"):
        do_issue_codes(ua_a, "IIT", 1)
    assert SurveyCode.objects.filter(unit_assessment=ua_a).count() == 38


def test_47_codes_for_34_staff_with_a_reason_are_flagged_to_the_program_admin(
    coordinator_a: Any, program_admin: Any, ua_a: Any
) -> None:
    do_set_headcounts(ua_a, internal=34, external=300)
    reason = "บุคลากรย้ายเข้าใหม่ 13 คน ยังไม่ได้ปรับจำนวน"
    page = signed_in(coordinator_a).post(
        ISSUE, {"tool": "IIT", "count": "47", "reason": reason, "batch": str(uuid.uuid4())}
    )
    assert page.status_code == 200 and len(shown_codes(page.content.decode())) == 47
    batch = CodeBatch.objects.get(unit_assessment=ua_a)
    assert batch.flagged and batch.reason == reason and batch.issued_by == coordinator_a
    audit = AuditEntry.objects.get(action="surveys.codes.issued").data
    assert audit["flagged"] and audit["reason"] == reason and audit["count"] == 47

    overview = signed_in(program_admin).get("/s/m/esa-test/").content.decode()
    row = re.search(r'<tr data-flagged="esa-a">(.*?)</tr>', overview, re.S)
    assert row, "the program admin's overview lists the flagged unit"
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
    assert cells == ["47", "47", "34", "38"]  # batch size, IIT codes held, headcount, allowance
    assert reason in row.group(1)
    flagged = signed_in(program_admin).get("/s/m/esa-test/progress.json").json()["flagged_code_issues"]
    assert flagged == [{"unit": "esa-a", "size": 47, "reason": reason, "issued": 47, "headcount": 34}]
    mine = signed_in(coordinator_a).get("/s/m/esa-test/").content.decode()
    assert 'data-testid="flagged-codes"' not in mine  # the flag is for the program admin


# --- IIT responses against codes -------------------------------------------------------------


def test_more_iit_sheets_than_codes_are_refused_and_nothing_more_is_stored(ua_a: Any, spec: Any) -> None:
    codes = do_issue_codes(ua_a, "IIT", 3).codes
    for code in codes:
        answer_with_code(ua_a, spec, code)
    assert iit_responses(ua_a) == 3
    # a fourth sheet: again with a used code, with a code never issued, with another unit's idea of one
    never_issued = next(c for c in ("ABCDEFGHJK", "BCDEFGHJKM") if c not in codes)
    for code in (codes[0], codes[2], never_issued):
        with pytest.raises(Refused, match="code_used"):
            answer_with_code(ua_a, spec, code)
    assert iit_responses(ua_a) == 3 == SurveyCode.objects.filter(unit_assessment=ua_a, used=True).count()
    assert iit_responses(ua_a) <= SurveyCode.objects.filter(unit_assessment=ua_a, tool="IIT").count()


def test_a_voided_batchs_unused_codes_no_longer_open_the_form_and_its_used_ones_stay(ua_a: Any, spec: Any) -> None:
    first = do_issue_codes(ua_a, "IIT", 4)
    answer_with_code(ua_a, spec, first.codes[1])
    fresh = do_void_and_reissue(first.batch, "บัตรหายระหว่างส่ง")
    for code in (first.codes[0], first.codes[3]):
        with pytest.raises(Refused, match="code_used"):
            answer_with_code(ua_a, spec, code)
    held = set(SurveyCode.objects.filter(unit_assessment=ua_a).values_list("digest", flat=True))
    assert code_digest(first.codes[1]) in held  # used: it stands for a stored response
    assert held == {code_digest(first.codes[1])} | {code_digest(c) for c in fresh.codes}
    answer_with_code(ua_a, spec, fresh.codes[0])
    assert iit_responses(ua_a) == 2


# --- void and reissue --------------------------------------------------------------------------


def test_void_and_reissue_replaces_a_lost_batch_in_one_step(coordinator_a: Any, ua_a: Any, spec: Any) -> None:
    client = signed_in(coordinator_a)
    lost = shown_codes(client.post(ISSUE, {"tool": "IIT", "count": "5", "batch": str(uuid.uuid4())}).content.decode())
    answer_with_code(ua_a, spec, lost[0])
    batch = CodeBatch.objects.get()
    page = client.post(f"{ISSUE}{batch.pk}/void/", {"reason": "บัตรรหัสสูญหาย", "confirm": "on"})
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    html = page.content.decode()
    new = shown_codes(html)
    assert len(new) == 5 and not set(new) & set(lost)
    assert 'data-testid="replaces"' in html
    batch.refresh_from_db()
    assert batch.voided_at is not None and batch.replaced_by is not None and not batch.replaced_by.voided_at
    assert SurveyCode.objects.filter(batch=batch).count() == 1  # the used one
    voided = AuditEntry.objects.get(action="surveys.codes.voided").data
    assert voided["count"] == 5 and voided["reason"] == "บัตรรหัสสูญหาย"
    assert "used" not in voided  # not how many of the batch were used
    trail = str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert not any(c in trail for c in lost + new)

    listing = client.get(UNIT).content.decode()
    assert listing.count('data-state="voided"') == 1 and listing.count('data-state="active"') == 1
    assert listing.count(f'/codes/{batch.pk}/void/"') == 0  # a voided batch cannot be voided again


def test_void_without_the_confirmation_or_a_reason_changes_nothing(coordinator_a: Any, ua_a: Any) -> None:
    issued = do_issue_codes(ua_a, "IIT", 3)
    client = signed_in(coordinator_a)
    unticked = client.post(f"{ISSUE}{issued.batch.pk}/void/", {"reason": "บัตรหาย"})
    assert unticked.status_code == 400 and "ติ๊กช่องยืนยัน" in unticked.content.decode()
    assert 'value="บัตรหาย"' in unticked.content.decode()  # the reason typed is kept
    no_reason = client.post(f"{ISSUE}{issued.batch.pk}/void/", {"reason": " ", "confirm": "on"})
    assert no_reason.status_code == 400 and "ระบุเหตุผลที่ยกเลิก" in no_reason.content.decode()
    assert SurveyCode.objects.count() == 3 and CodeBatch.objects.get().voided_at is None


def test_another_units_coordinator_cannot_void_a_batch(coordinator_b: Any, ua_a: Any) -> None:
    issued = do_issue_codes(ua_a, "IIT", 3)
    client = signed_in(coordinator_b)
    assert client.post(f"{ISSUE}{issued.batch.pk}/void/", {"reason": "x", "confirm": "on"}).status_code == 404
    assert (
        client.post(f"/s/m/esa-test/esa-b/codes/{issued.batch.pk}/void/", {"reason": "x", "confirm": "on"}).status_code
        == 404
    )
    assert SurveyCode.objects.count() == 3 and CodeBatch.objects.get().voided_at is None


def test_the_batch_list_shows_when_who_and_how_many_but_not_how_many_were_used(
    coordinator_a: Any, ua_a: Any, spec: Any
) -> None:
    issued = do_issue_codes(ua_a, "IIT", 6, actor=coordinator_a)
    for code in issued.codes[:4]:
        answer_with_code(ua_a, spec, code)
    page = signed_in(coordinator_a).get(UNIT).content.decode()
    table = re.search(r'data-testid="batches">(.*?)</table>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "coord-a" in table and '<td class="num">6</td>' in table and 'data-state="active"' in table
    assert not re.search(r"\b4\b", re.sub(r"<[^>]+>|\d{1,2} \S+ \d{4} \d\d:\d\d", " ", table))


# --- the codes page: downloads again while open, never twice issued --------------------------


def test_the_codes_page_downloads_again_while_open_but_never_a_voided_batch(coordinator_a: Any, ua_a: Any) -> None:
    client = signed_in(coordinator_a)
    codes = shown_codes(client.post(ISSUE, {"tool": "IIT", "count": "3", "batch": str(uuid.uuid4())}).content.decode())
    body = {"tool": "IIT", "codes": " ".join(codes)}
    for _ in range(2):
        assert client.post(ISSUE + "codes.csv", body).status_code == 200
        assert client.post(ISSUE + "slips.pdf", body).status_code == 200
    assert client.post(ISSUE + "codes.csv", {"tool": "EIT", "codes": " ".join(codes)}).status_code == 404
    do_void_and_reissue(CodeBatch.objects.get(), "พิมพ์ผิดชุด")
    assert client.post(ISSUE + "codes.csv", body).status_code == 404
    assert client.post(ISSUE + "slips.pdf", body).status_code == 404


def test_a_resubmitted_issue_form_issues_nothing_more(coordinator_a: Any, ua_a: Any) -> None:
    client = signed_in(coordinator_a)
    form = {"tool": "IIT", "count": "4", "batch": str(uuid.uuid4())}
    assert len(shown_codes(client.post(ISSUE, form).content.decode())) == 4
    again = client.post(ISSUE, form)
    assert again.status_code == 400 and "รหัสชุดนี้ออกไปแล้ว" in again.content.decode()
    assert not shown_codes(again.content.decode())
    assert SurveyCode.objects.count() == 4 and CodeBatch.objects.count() == 1


def _batch_id(page: str) -> str:
    found = re.search(r'name="batch" value="([0-9a-f-]{36})"', page)
    assert found, "the unit page offers a batch id"
    return found.group(1)


def test_each_unit_page_load_offers_a_fresh_batch_id(coordinator_a: Any, ua_a: Any) -> None:
    client = signed_in(coordinator_a)
    ids = [_batch_id(client.get(UNIT).content.decode()) for _ in range(2)]
    assert ids[0] != ids[1]


def test_slips_point_to_the_entry_page_with_the_code_in_the_fragment(coordinator_a: Any, ua_a: Any) -> None:
    codes = do_issue_codes(ua_a, "IIT", 2).codes
    got = signed_in(coordinator_a).post(ISSUE + "codes.csv", {"tool": "IIT", "codes": " ".join(codes)})
    text = got.content.decode("utf-8-sig")
    assert f"http://testserver/s/#{codes[0]}" in text and "/s/c/" not in text


# --- the Origin defect -----------------------------------------------------------------------------


def test_the_codes_page_sends_a_same_origin_referrer_policy_and_no_no_referrer_meta(
    coordinator_a: Any, ua_a: Any
) -> None:
    page = signed_in(coordinator_a).post(ISSUE, {"tool": "IIT", "count": "2", "batch": str(uuid.uuid4())})
    assert page["Referrer-Policy"] == "same-origin" and page["Cache-Control"] == "no-store"
    assert 'name="referrer"' not in page.content.decode()
    assert 'name="referrer"' not in signed_in(coordinator_a).get(UNIT).content.decode()


def test_a_download_post_with_origin_null_is_refused_and_with_the_sites_origin_is_served(
    coordinator_a: Any, ua_a: Any
) -> None:
    """What a no-referrer page made Chromium send (Origin: null), against what it sends now."""
    codes = do_issue_codes(ua_a, "IIT", 2).codes
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    html = client.get(UNIT).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    body = {"tool": "IIT", "codes": " ".join(codes), "csrfmiddlewaretoken": token}
    assert client.post(ISSUE + "codes.csv", body, headers={"origin": "null"}).status_code == 403
    assert client.post(ISSUE + "codes.csv", body, headers={"origin": "http://testserver"}).status_code == 200


def test_codes_issued_before_batches_existed_are_not_lost_by_the_void_rule(ua_a: Any) -> None:
    """Codes without a batch (made before the migration that batches them) still print."""
    from ita.surveys.codes import verified_codes

    SurveyCode.objects.create(digest=code_digest("ABCDEFGHJK"), unit_assessment=ua_a, tool="IIT")
    assert verified_codes(ua_a, "IIT", ["ABCDE-FGHJK"]) == ["ABCDEFGHJK"]
