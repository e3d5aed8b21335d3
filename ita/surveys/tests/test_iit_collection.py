"""IIT responses from single-use codes: the form, the one transaction, and every refusal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ita.assessments.models import Assessment, AssessmentPhase, AssessmentState, UnitAssessment
from ita.assessments.services import do_set_calendar
from ita.lib import caches
from ita.scoring.services import score_unit_assessment
from ita.surveys.codes import code_digest
from ita.surveys.models import SurveyCode, SurveyResponse, ToolTally, UsedFormToken
from ita.surveys.tests.conftest import full_answers


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the form carries a one-time token"
    return found.group(1)


def open_form(client: Client, code: str) -> str:
    page = client.post("/s/", {"code": code})
    assert page.status_code == 200
    return token_of(page.content.decode())


def stored(ua: UnitAssessment) -> int:
    return SurveyResponse.objects.filter(unit_assessment=ua).count()


def test_a_code_opens_the_form_once_and_its_answers_are_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    posted = client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT", 3)})
    assert posted.status_code == 303 and posted["Location"] == "/s/thanks/"
    assert stored(ua_a) == 1
    assert ToolTally.objects.get(unit_assessment=ua_a, tool="IIT").respondents == 1
    assert SurveyCode.objects.get(digest=code_digest(code)).used is True
    again = client.post("/s/", {"code": code})
    assert again.status_code == 409
    assert "รหัสนี้ถูกใช้ตอบแล้ว" in again.content.decode()


def test_a_typed_code_is_answered_with_the_form_itself_and_never_put_in_a_url(
    client: Client, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    typed = client.post("/s/", {"code": f"{code[:5].lower()}-{code[5:]}"})
    html = typed.content.decode()
    assert typed.status_code == 200 and 'name="a-i1.1"' in html  # no redirect to an address with the code
    assert 'action="/s/"' in html and f'name="code" value="{code}"' in html  # posted back in the body
    assert code not in "".join(re.findall(r'(?:href|action|src)="([^"]*)"', html))


def test_the_code_address_of_old_is_gone(client: Client, iit_codes: list[str]) -> None:
    assert client.get(f"/s/c/{iit_codes[0]}/").status_code == 404
    assert client.get(f"/s/?code={iit_codes[0]}").content.decode().count(iit_codes[0]) == 0


def test_the_entry_page_reads_a_code_from_the_fragment_with_its_own_script(client: Client) -> None:
    html = client.get("/s/").content.decode()
    assert 'id="code-form"' in html and 'src="/static/surveys/entry.js"' in html
    assert 'data-alphabet="23456789ABCDEFGHJKMNPQRSTUVWXYZ"' in html and 'method="post"' in html


def test_a_retried_submission_is_stored_once_and_shows_the_same_thank_you(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    body = {"token": open_form(client, code), **full_answers(spec, "IIT", 2)}
    first = client.post("/s/", {"code": code, **body})
    second = client.post("/s/", {"code": code, **body})
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"]) == (303, "/s/thanks/")
    assert stored(ua_a) == 1
    assert ToolTally.objects.get(unit_assessment=ua_a, tool="IIT").respondents == 1


def test_a_second_form_opened_with_a_spent_code_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    first, second = open_form(client, code), open_form(client, code)  # opened in two tabs
    assert client.post("/s/", {"code": code, "token": first, **full_answers(spec, "IIT", 1)}).status_code == 303
    replay = client.post("/s/", {"code": code, "token": second, **full_answers(spec, "IIT", 0)})
    assert replay.status_code == 409
    assert stored(ua_a) == 1
    assert UsedFormToken.objects.count() == 1  # the refused post left no spent token behind


def test_a_forged_token_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    for forged in ("", "abc", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        page = client.post("/s/", {"code": code, "token": forged, **full_answers(spec, "IIT")})
        assert page.status_code == 400
        assert "แบบฟอร์มไม่ถูกต้อง" in page.content.decode()
    assert stored(ua_a) == 0
    assert SurveyCode.objects.filter(used=True).count() == 0


def test_a_token_from_another_codes_form_is_refused(client: Client, ua_a: Any, spec: Any, iit_codes: list[str]) -> None:
    token = open_form(client, iit_codes[0])
    page = client.post("/s/", {"code": iit_codes[1], "token": token, **full_answers(spec, "IIT")})
    assert page.status_code == 400
    assert stored(ua_a) == 0


def test_an_unknown_code_gets_a_clear_message(client: Client, iit_codes: list[str]) -> None:
    page = client.post("/s/", {"code": "ABCDEFGHJK"})
    assert page.status_code == 404
    assert "ไม่พบรหัสนี้" in page.content.decode()


def test_a_closed_window_refuses_the_form_and_the_post_and_stores_nothing(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    AssessmentPhase.objects.filter(kind="iit").update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    caches.clear()  # as every worker forgets the calendar within half a minute
    assert client.post("/s/", {"code": iit_codes[1]}).status_code == 403
    page = client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT")})
    assert page.status_code == 403
    assert "ขณะนี้ไม่อยู่ในช่วงเวลาตอบแบบวัด" in page.content.decode()
    assert stored(ua_a) == 0
    assert not SurveyCode.objects.get(digest=code_digest(code)).used


def test_missing_answers_are_pointed_to_in_place_and_chosen_answers_are_kept(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    answers = full_answers(spec, "IIT", 2)
    del answers["a-i1.2"], answers["a-i3.1"]
    page = client.post("/s/", {"code": code, "token": token, **answers})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#q-i1-2"' in html and 'href="#q-i3-1"' in html
    assert '<fieldset id="q-i1-2" class="item missing"' in html
    assert 'name="a-i1.1" value="2" checked' in html  # what was chosen is still chosen
    assert token_of(html) == token  # the same form can still be sent once
    assert stored(ua_a) == 0
    done = client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT", 2)})
    assert done.status_code == 303 and stored(ua_a) == 1


def test_a_malformed_post_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    bad_option = {**full_answers(spec, "IIT"), "a-i1.1": "7"}
    not_a_number = {**full_answers(spec, "IIT"), "a-i1.1": "-1"}
    unknown_question = {**full_answers(spec, "IIT"), "a-x9.9": "0"}
    for body in (bad_option, not_a_number, unknown_question):
        page = client.post("/s/", {"code": code, "token": token, **body})
        assert page.status_code == 400
        assert "ข้อมูลที่ส่งมาไม่ถูกต้อง" in page.content.decode()
    assert stored(ua_a) == 0


def test_an_oversized_post_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str], settings: Any
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    page = client.post(
        "/s/",
        {
            "code": code,
            "token": token,
            **full_answers(spec, "IIT"),
            "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        },
    )
    assert page.status_code == 413
    assert stored(ua_a) == 0


def test_a_submission_costs_one_transaction_of_a_few_statements(
    client: Client, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT", 1)}).status_code == 303
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    # spent token, code, sheet, tallies (one statement for all 51), respondents, signal counters
    assert len(writes) == 6
    assert len(queries) <= 10


def test_responses_make_the_units_score_appear_once_the_window_closes_and_the_group_is_large_enough(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    assert score_unit_assessment(ua_a).tools["IIT"].respondents == 0
    for code in iit_codes[: spec.min_group_size]:
        assert (
            client.post(
                "/s/",
                {
                    "code": code,
                    "token": open_form(client, code),
                    **full_answers(spec, "IIT", lambda i: i.scale.top_index),
                },
            ).status_code
            == 303
        )
    assert score_unit_assessment(ua_a).tools["IIT"].score is None  # withheld while collecting
    closed = (timezone.now() - dt.timedelta(days=30), timezone.now() - dt.timedelta(days=1))
    do_set_calendar(ua_a.assessment, {"iit": closed})
    card = score_unit_assessment(ua_a)
    assert card.tools["IIT"].score == 100


def test_the_form_switches_to_english_without_a_session_or_cookie(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    thai = client.post("/s/", {"code": code})
    assert 'lang="th"' in thai.content.decode() and 'action="/s/?lang=en" class="lang-switch"' in thai.content.decode()
    english = client.post("/s/?lang=en", {"code": code})  # the switch posts the code again
    html = english.content.decode()
    assert '<html lang="en">' in html and "Least or none" in html
    assert 'action="/s/?lang=en" class="survey-form"' in html
    assert not thai.cookies and not english.cookies  # no CSRF or session cookie for respondents
    posted = client.post("/s/?lang=en", {"code": code, "token": token_of(html), **full_answers(spec, "IIT", 1)})
    assert posted["Location"] == "/s/thanks/?lang=en"
    assert stored(ua_a) == 1


def test_odd_digits_negative_and_huge_numbers_are_malformed_never_a_server_error(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    for odd in ("²", "๓", "٣", "-1", "+1", " 1", "1.0", "99999999999999999999", "9" * 5000, "0x1"):
        page = client.post("/s/", {"code": code, "token": token, **full_answers(spec, "IIT"), "a-i1.1": odd})
        assert page.status_code == 400, odd
        assert "ข้อมูลที่ส่งมาไม่ถูกต้อง" in page.content.decode()
    assert stored(ua_a) == 0 and UsedFormToken.objects.count() == 0


def test_a_code_with_odd_characters_is_refused_with_the_characters_a_code_may_have(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    for odd in ("ABCDE-FGH2³", "ABCDE-FGH๒๓", "ABCDE-FGH01", "ABCDE-OIL23", "x" * 5000, ""):
        page = client.post("/s/", {"code": odd})
        html = page.content.decode()
        assert page.status_code == 400, odd
        assert "A–Z" in html and "2–9" in html and "0, 1, I, L, O" in html
    token = open_form(client, iit_codes[0])  # a form whose hidden code was altered
    altered = client.post("/s/", {"code": "ABCDE-FGH2³", "token": token, **full_answers(spec, "IIT")})
    assert altered.status_code == 400 and "ข้อมูลที่ส่งมาไม่ถูกต้อง" in altered.content.decode()
    assert stored(ua_a) == 0


def test_answers_are_refused_once_the_assessment_is_published_even_with_the_window_open(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    token = open_form(client, iit_codes[0])
    Assessment.objects.filter(pk=ua_a.assessment_id).update(state=AssessmentState.PUBLISHED)
    caches.clear()  # as every worker forgets the calendar within half a minute
    opened = client.post("/s/", {"code": iit_codes[1]})
    assert opened.status_code == 403 and "ขณะนี้ไม่อยู่ในช่วงเวลาตอบแบบวัด" in opened.content.decode()
    posted = client.post("/s/", {"code": iit_codes[0], "token": token, **full_answers(spec, "IIT")})
    assert posted.status_code == 403
    assert stored(ua_a) == 0 and not SurveyCode.objects.filter(used=True).exists()


def test_an_iit_sheet_without_a_code_is_refused_and_nothing_is_stored(ua_a: Any, spec: Any) -> None:
    from ita.surveys.collect import FormToken, Refused, Target, do_submit
    from ita.surveys.models import SurveyResponse

    a = ua_a.assessment
    target = Target(ua_id=ua_a.pk, assessment_id=a.pk, framework_id=a.framework_id, tool="IIT")
    answers = {item.key: 0 for item in spec.sub_items_of("IIT")}
    with pytest.raises(Refused):
        do_submit(target, FormToken(nonce="no-code", started=0), answers)
    assert SurveyResponse.objects.filter(unit_assessment=ua_a).count() == 0
