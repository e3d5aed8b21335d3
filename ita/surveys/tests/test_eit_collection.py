"""EIT from the public link: category first, one-time form tokens, a cookie per device, a
per-address rate limit kept in the cache, and the optional one-time-code mode."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.test import Client

from ita.surveys import views
from ita.surveys.codes import do_issue_codes
from ita.surveys.models import EitLink, SurveyResponse
from ita.surveys.progress import category_counts
from ita.surveys.tests.conftest import full_answers
from ita.surveys.views import device_cookie


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def eit_count(ua: Any) -> int:
    return SurveyResponse.objects.filter(unit_assessment=ua, tool="EIT").count()


def test_the_public_link_asks_for_the_respondent_category_first(client: Client, eit_token: str) -> None:
    html = client.get(f"/s/e/{eit_token}/").content.decode()
    assert html.index('name="category"') < html.index('name="a-e')
    assert "ผู้ปกครอง" in html and "ความเป็นส่วนตัว" in html
    assert html.index("ความเป็นส่วนตัว") < html.index('name="category"')


def test_a_response_from_the_link_is_stored_with_its_category_and_the_device_is_remembered(
    client: Client, ua_a: Any, spec: Any, eit_token: str
) -> None:
    token = token_of(client.get(f"/s/e/{eit_token}/").content.decode())
    posted = client.post(f"/s/e/{eit_token}/", {"token": token, "category": "parent", **full_answers(spec, "EIT", 1)})
    assert posted.status_code == 303
    assert posted.cookies[device_cookie(eit_token)].value == "1"
    assert list(SurveyResponse.objects.values_list("tool", "category")) == [("EIT", "parent")]
    again = client.get(f"/s/e/{eit_token}/")
    assert "อุปกรณ์นี้ตอบแบบวัดนี้แล้ว" in again.content.decode()
    assert dict((c, n) for c, _l, n in category_counts(spec, ua_a))["parent"] == 1


def test_a_missing_category_is_pointed_to_and_nothing_is_stored(
    client: Client, ua_a: Any, spec: Any, eit_token: str
) -> None:
    token = token_of(client.get(f"/s/e/{eit_token}/").content.decode())
    page = client.post(f"/s/e/{eit_token}/", {"token": token, **full_answers(spec, "EIT", 1)})
    assert page.status_code == 200 and 'href="#category"' in page.content.decode()
    assert eit_count(ua_a) == 0


def test_a_replayed_eit_form_is_stored_once(ua_a: Any, spec: Any, eit_token: str) -> None:
    client = Client()
    body = {
        "token": token_of(client.get(f"/s/e/{eit_token}/").content.decode()),
        "category": "school",
        **full_answers(spec, "EIT", 0),
    }
    assert client.post(f"/s/e/{eit_token}/", body).status_code == 303
    fresh_device = Client()  # the cookie gone, the same form posted again
    assert fresh_device.post(f"/s/e/{eit_token}/", body).status_code == 303
    assert eit_count(ua_a) == 1


def test_a_forged_token_or_unknown_category_stores_nothing(
    client: Client, ua_a: Any, spec: Any, eit_token: str
) -> None:
    token = token_of(client.get(f"/s/e/{eit_token}/").content.decode())
    assert (
        client.post(
            f"/s/e/{eit_token}/", {"token": "x" + token, "category": "parent", **full_answers(spec, "EIT")}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/s/e/{eit_token}/", {"token": token, "category": "martian", **full_answers(spec, "EIT")}
        ).status_code
        == 400
    )
    assert eit_count(ua_a) == 0


def test_a_token_from_another_units_link_is_refused(
    client: Client, ua_a: Any, ua_b: Any, spec: Any, eit_token: str
) -> None:
    from ita.surveys.codes import do_ensure_eit_link

    other = do_ensure_eit_link(ua_b).token
    token = token_of(client.get(f"/s/e/{other}/").content.decode())
    assert (
        client.post(
            f"/s/e/{eit_token}/", {"token": token, "category": "parent", **full_answers(spec, "EIT")}
        ).status_code
        == 400
    )
    assert SurveyResponse.objects.count() == 0


def test_an_unknown_link_gets_a_clear_message(client: Client, eit_token: str) -> None:
    page = client.get("/s/e/not-a-real-link/")
    assert page.status_code == 404 and "ไม่พบแบบวัดนี้" in page.content.decode()


def post_eit(token: str, spec: Any, **meta: str) -> int:
    """A whole EIT response from a fresh device: load the form, post it."""
    device = Client()
    device.defaults.update(meta)
    form = token_of(device.get(f"/s/e/{token}/").content.decode())
    return device.post(f"/s/e/{token}/", {"token": form, "category": "parent", **full_answers(spec, "EIT")}).status_code


def test_posts_beyond_the_per_address_rate_limit_are_refused_and_nothing_is_stored(
    ua_a: Any, spec: Any, eit_token: str, settings: Any
) -> None:
    settings.ITA_SURVEY_RATE_LIMIT = 2
    assert [post_eit(eit_token, spec) for _ in range(3)] == [303, 303, 429]
    assert eit_count(ua_a) == 2


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(
    ua_a: Any, spec: Any, eit_token: str, settings: Any
) -> None:
    settings.ITA_SURVEY_RATE_LIMIT = 2
    statuses = [
        post_eit(eit_token, spec, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}") for i in range(4)
    ]
    assert statuses == [303, 303, 429, 429]
    assert eit_count(ua_a) == 2


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(
    ua_a: Any, spec: Any, eit_token: str, settings: Any
) -> None:
    settings.ITA_SURVEY_RATE_LIMIT = 2
    settings.ITA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [post_eit(eit_token, spec, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7") for _ in range(3)]
    # A client behind the proxy cannot pose as another by writing the header itself: the
    # proxy appends the address it saw, and that right-most entry is the one counted.
    spoofed = post_eit(eit_token, spec, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.8, 198.51.100.7")
    other = post_eit(eit_token, spec, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert (first, spoofed, other) == ([303, 303, 429], 429, 303)
    assert eit_count(ua_a) == 3


def test_the_limit_is_counted_in_the_database_shared_by_every_worker(
    ua_a: Any, spec: Any, eit_token: str, settings: Any, monkeypatch: Any
) -> None:
    assert type(caches["default"]).__name__ == "DatabaseCache"  # the default, with no setting
    settings.ITA_SURVEY_RATE_LIMIT = 30
    # Two workers: two cache connections that share nothing in memory, taking turns.
    workers = [caches.create_connection("default"), caches.create_connection("default")]
    turn = iter(range(1000))
    monkeypatch.setattr(views, "counters", lambda: workers[next(turn) % 2])
    statuses = [post_eit(eit_token, spec) for _ in range(50)]
    assert statuses.count(303) == 30 and set(statuses[30:]) == {429}
    assert eit_count(ua_a) == 30
    with connection.cursor() as cursor:  # the counters are rows keyed by a hash, never the address
        cursor.execute(f"SELECT cache_key FROM {settings.CACHE_TABLE}")  # noqa: S608
        keys = [k for (k,) in cursor.fetchall()]
    assert len(keys) == 30 and not any("127.0.0.1" in k for k in keys)


def test_in_code_mode_the_link_asks_for_a_code_and_a_code_opens_the_eit_form(
    client: Client, ua_a: Any, spec: Any, eit_token: str
) -> None:
    EitLink.objects.filter(token=eit_token).update(requires_code=True)
    page = client.get(f"/s/e/{eit_token}/").content.decode()
    assert 'name="code"' in page and 'name="a-e' not in page
    assert 'action="/s/"' in page and 'src="/static/surveys/entry.js"' in page  # the code goes by post
    code = do_issue_codes(ua_a, "EIT", 1).codes[0]
    form = client.post("/s/", {"code": code}).content.decode()
    assert 'name="category"' in form and f'name="code" value="{code}"' in form
    posted = client.post(
        "/s/", {"code": code, "token": token_of(form), "category": "business", **full_answers(spec, "EIT", 1)}
    )
    assert posted.status_code == 303 and eit_count(ua_a) == 1
    assert client.post("/s/", {"code": code}).status_code == 409


def test_the_coordinator_switches_code_mode_on(coordinator_a: Any, ua_a: Any, eit_token: str) -> None:
    client = Client()
    client.force_login(coordinator_a)
    client.post("/s/m/esa-test/esa-a/", {"action": "eit_mode", "requires_code": "on"})
    assert EitLink.objects.get(token=eit_token).requires_code is True
