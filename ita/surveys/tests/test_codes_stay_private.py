"""A code is a key to one person's sheet: it travels only in post bodies, never reaches a log,
and cannot be guessed at speed."""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection, connections
from django.test import Client
from django.test.testcases import QuietWSGIRequestHandler
from django.views.debug import SafeExceptionReporterFilter

from ita.surveys import views
from ita.surveys.codes import code_digest
from ita.surveys.models import SurveyResponse
from ita.surveys.tests.conftest import full_answers


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


class Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}")


@pytest.fixture
def logs() -> Iterator[Keep]:
    """Everything the request, server and root loggers are given, at every level."""
    keep = Keep()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server", "")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(keep)
        logger.setLevel(logging.DEBUG)
    yield keep
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(keep)
        logger.setLevel(level)


def secrets_of(codes: list[str]) -> list[str]:
    """The forms a code could leak in: as printed, normalised, lower case, and its digest."""
    found = []
    for code in codes:
        found += [code, f"{code[:5]}-{code[5:]}", code.lower(), code_digest(code), code_digest(code)[:16]]
    return found


def test_nothing_logged_while_codes_are_checked_used_and_refused_carries_a_code(
    client: Client, spec: Any, iit_codes: list[str], logs: Keep
) -> None:
    valid, spent, unknown = iit_codes[0], iit_codes[1], "ABCDEFGHJK"
    form = client.post("/s/", {"code": spent}).content.decode()
    assert client.post("/s/", {"code": spent, "token": token_of(form), **full_answers(spec, "IIT")}).status_code == 303
    assert client.post("/s/", {"code": spent}).status_code == 409
    assert client.post("/s/", {"code": unknown}).status_code == 404
    assert client.post("/s/", {"code": valid}).status_code == 200
    assert client.post("/s/", {"code": valid, "token": "forged", **full_answers(spec, "IIT")}).status_code == 400
    assert client.post("/s/", {"code": valid + "²"}).status_code == 400
    assert any("/s/" in line for line in logs.lines)  # the refusals were logged, by path only
    leaked = [line for line in logs.lines for secret in secrets_of([valid, spent, unknown]) if secret in line]
    assert leaked == []


@pytest.mark.django_db(transaction=True)
def test_the_servers_access_log_never_carries_a_code(
    live_server: Any, ua_a: Any, spec: Any, iit_codes: list[str], logs: Keep, monkeypatch: Any
) -> None:
    # The test server is quiet; give it the access log of `runserver` (django.server).
    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    code = iit_codes[0]

    def post(path: str, body: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(body).encode()
        try:
            with urllib.request.urlopen(live_server.url + path, data=data, timeout=30) as reply:  # noqa: S310
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    with urllib.request.urlopen(f"{live_server.url}/s/#{code}", timeout=30) as reply:  # noqa: S310 - a slip's QR link
        assert reply.status == 200
    status, form = post("/s/", {"code": code})
    assert status == 200
    assert post("/s/", {"code": code, "token": token_of(form), **full_answers(spec, "IIT")})[0] == 200  # thanks
    assert post("/s/", {"code": code})[0] == 409
    assert post("/s/", {"code": "ABCDEFGHJK"})[0] == 404
    assert any('"POST /s/ HTTP/1.1" 409' in line for line in logs.lines)
    assert [line for line in logs.lines for secret in secrets_of([code, "ABCDEFGHJK"]) if secret in line] == []


def test_error_reports_hide_the_posted_code_and_token(rf: Any) -> None:
    request = rf.post("/s/", {"code": "ABCDE-FGH23", "token": "t", "a-i1.1": "1"})
    views.code_entry(request)  # the view marks what must not reach an error report
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["code"] != "ABCDE-FGH23" and shown["token"] != "t" and shown["a-i1.1"] == "1"


def test_guessing_codes_is_stopped_after_the_limit_and_says_what_to_do(
    client: Client, ua_a: Any, iit_codes: list[str], settings: Any
) -> None:
    settings.ITA_CODE_CHECK_RATE_LIMIT = 3
    wrong = [client.post("/s/", {"code": f"ABCDEFGH2{c}"}).status_code for c in "CDE"]
    assert wrong == [404, 404, 404]
    refused = client.post("/s/", {"code": iit_codes[0]})  # even a right code, for the rest of the window
    html = refused.content.decode()
    assert refused.status_code == 429 and "โปรดรอประมาณ 10 นาที" in html and "อินเทอร์เน็ตมือถือ" in html
    assert 0 < int(refused["Retry-After"]) <= 600
    assert iit_codes[0] not in html
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert elsewhere.post("/s/", {"code": iit_codes[0]}).status_code == 200  # other networks are not held up


def test_colleagues_behind_one_school_address_all_open_their_forms(
    client: Client, ua_a: Any, iit_codes: list[str], settings: Any
) -> None:
    settings.ITA_CODE_CHECK_RATE_LIMIT = 3
    # Right codes cost nothing: a whole staff room on one wifi gets through.
    assert {client.post("/s/", {"code": code}).status_code for code in iit_codes[:10]} == {200}


def test_a_forged_forwarded_for_header_does_not_reset_the_code_check_limit(
    ua_a: Any, iit_codes: list[str], settings: Any
) -> None:
    settings.ITA_CODE_CHECK_RATE_LIMIT = 2
    statuses = [
        Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        .post("/s/", {"code": f"ABCDEFGH2{c}"})
        .status_code
        for i, c in enumerate("CDEF")
    ]
    assert statuses == [404, 404, 429, 429]


def test_two_workers_count_code_checks_in_one_place(ua_a: Any, settings: Any, monkeypatch: Any) -> None:
    settings.ITA_CODE_CHECK_RATE_LIMIT = 4
    workers = [caches.create_connection("default"), caches.create_connection("default")]
    turn = iter(range(100))
    monkeypatch.setattr(views, "counters", lambda: workers[next(turn) % 2])
    statuses = [Client().post("/s/", {"code": f"ABCDEFGH2{c}"}).status_code for c in "CDEFGHJK"]
    assert statuses[:4] == [404] * 4 and set(statuses[4:]) == {429}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_from_many_workers_never_pass_the_limit(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's (this runs in CI's PostgreSQL pass)")
    start = threading.Barrier(50)
    admitted: list[bool] = []

    def request() -> None:
        try:
            start.wait()
            admitted.append(views.within_rate_limit("eit", "198.51.100.1", 30))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert admitted.count(True) == 30 and len(admitted) == 50
    assert SurveyResponse.objects.count() == 0
