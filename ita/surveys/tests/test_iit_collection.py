"""IIT responses from single-use codes: the form, the one transaction, and every refusal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ita.assessments.models import AssessmentPhase, UnitAssessment
from ita.assessments.services import do_set_calendar
from ita.scoring.services import score_unit_assessment
from ita.surveys.codes import code_digest
from ita.surveys.models import SurveyCode, SurveyResponse, ToolTally, UsedFormToken
from ita.surveys.tests.conftest import full_answers
from ita.surveys.views import forget_phases


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the form carries a one-time token"
    return found.group(1)


def open_form(client: Client, code: str) -> str:
    page = client.get(f"/s/c/{code}/")
    assert page.status_code == 200
    return token_of(page.content.decode())


def stored(ua: UnitAssessment) -> int:
    return SurveyResponse.objects.filter(unit_assessment=ua).count()


def test_a_code_opens_the_form_once_and_its_answers_are_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    posted = client.post(f"/s/c/{code}/", {"token": token, **full_answers(spec, "IIT", 3)})
    assert posted.status_code == 303 and posted["Location"] == "/s/thanks/"
    assert stored(ua_a) == 1
    assert ToolTally.objects.get(unit_assessment=ua_a, tool="IIT").respondents == 1
    assert SurveyCode.objects.get(digest=code_digest(code)).used is True
    again = client.get(f"/s/c/{code}/")
    assert again.status_code == 409
    assert "รหัสนี้ถูกใช้ตอบแล้ว" in again.content.decode()


def test_a_code_is_accepted_in_lower_case_with_a_dash(client: Client, iit_codes: list[str]) -> None:
    code = iit_codes[0]
    typed = client.post("/s/", {"code": f"{code[:5].lower()}-{code[5:]}"})
    assert typed.status_code == 302 and typed["Location"] == f"/s/c/{code}/"


def test_a_retried_submission_is_stored_once_and_shows_the_same_thank_you(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    body = {"token": open_form(client, code), **full_answers(spec, "IIT", 2)}
    first = client.post(f"/s/c/{code}/", body)
    second = client.post(f"/s/c/{code}/", body)
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"]) == (303, "/s/thanks/")
    assert stored(ua_a) == 1
    assert ToolTally.objects.get(unit_assessment=ua_a, tool="IIT").respondents == 1


def test_a_second_form_opened_with_a_spent_code_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    first, second = open_form(client, code), open_form(client, code)  # opened in two tabs
    assert client.post(f"/s/c/{code}/", {"token": first, **full_answers(spec, "IIT", 1)}).status_code == 303
    replay = client.post(f"/s/c/{code}/", {"token": second, **full_answers(spec, "IIT", 0)})
    assert replay.status_code == 409
    assert stored(ua_a) == 1
    assert UsedFormToken.objects.count() == 1  # the refused post left no spent token behind


def test_a_forged_token_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    for forged in ("", "abc", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        page = client.post(f"/s/c/{code}/", {"token": forged, **full_answers(spec, "IIT")})
        assert page.status_code == 400
        assert "แบบฟอร์มไม่ถูกต้อง" in page.content.decode()
    assert stored(ua_a) == 0
    assert SurveyCode.objects.filter(used=True).count() == 0


def test_a_token_from_another_codes_form_is_refused(client: Client, ua_a: Any, spec: Any, iit_codes: list[str]) -> None:
    token = open_form(client, iit_codes[0])
    page = client.post(f"/s/c/{iit_codes[1]}/", {"token": token, **full_answers(spec, "IIT")})
    assert page.status_code == 400
    assert stored(ua_a) == 0


def test_an_unknown_code_gets_a_clear_message(client: Client, iit_codes: list[str]) -> None:
    page = client.get("/s/c/ABCDEFGHJK/")
    assert page.status_code == 404
    assert "ไม่พบรหัสนี้" in page.content.decode()


def test_a_closed_window_refuses_the_form_and_the_post_and_stores_nothing(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    AssessmentPhase.objects.filter(kind="iit").update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    forget_phases()  # as every worker does within half a minute
    assert client.get(f"/s/c/{iit_codes[1]}/").status_code == 403
    page = client.post(f"/s/c/{code}/", {"token": token, **full_answers(spec, "IIT")})
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
    page = client.post(f"/s/c/{code}/", {"token": token, **answers})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#q-i1-2"' in html and 'href="#q-i3-1"' in html
    assert '<fieldset id="q-i1-2" class="item missing"' in html
    assert 'name="a-i1.1" value="2" checked' in html  # what was chosen is still chosen
    assert token_of(html) == token  # the same form can still be sent once
    assert stored(ua_a) == 0
    done = client.post(f"/s/c/{code}/", {"token": token, **full_answers(spec, "IIT", 2)})
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
        page = client.post(f"/s/c/{code}/", {"token": token, **body})
        assert page.status_code == 400
        assert "ข้อมูลที่ส่งมาไม่ถูกต้อง" in page.content.decode()
    assert stored(ua_a) == 0


def test_an_oversized_post_is_refused_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str], settings: Any
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    page = client.post(
        f"/s/c/{code}/",
        {"token": token, **full_answers(spec, "IIT"), "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert page.status_code == 413
    assert stored(ua_a) == 0


def test_a_submission_costs_one_transaction_of_a_few_statements(
    client: Client, spec: Any, iit_codes: list[str]
) -> None:
    code = iit_codes[0]
    token = open_form(client, code)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/s/c/{code}/", {"token": token, **full_answers(spec, "IIT", 1)}).status_code == 303
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
                f"/s/c/{code}/",
                {"token": open_form(client, code), **full_answers(spec, "IIT", lambda i: i.scale.top_index)},
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
    thai = client.get(f"/s/c/{code}/")
    assert 'lang="th"' in thai.content.decode() and f'href="/s/c/{code}/?lang=en"' in thai.content.decode()
    english = client.get(f"/s/c/{code}/?lang=en")
    html = english.content.decode()
    assert '<html lang="en">' in html and "Least or none" in html
    assert f'action="/s/c/{code}/?lang=en"' in html
    assert not thai.cookies and not english.cookies  # no CSRF or session cookie for respondents
    posted = client.post(f"/s/c/{code}/?lang=en", {"token": token_of(html), **full_answers(spec, "IIT", 1)})
    assert posted["Location"] == "/s/thanks/?lang=en"
    assert stored(ua_a) == 1
