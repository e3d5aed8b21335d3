"""Login throttling (django-axes): after ITA_LOGIN_FAILURE_LIMIT failed logins for one username
from one address, even the right password is refused for the cool-off, with a Thai page that
says what to do. Before, 30 wrong passwords and then the right one logged in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.conftest import login
from ita.web.tests.test_settings_and_database import start_with

RIGHT = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def throttling_on(settings: Any) -> None:
    settings.AXES_ENABLED = True  # the suite turns it off for Client.login(); this file proves it


def _login(client: Client, username: str, password: str, address: str = "203.0.113.7", **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_a_thai_message(coordinator_a: User) -> None:
    client = Client()
    for _ in range(30):
        _login(client, "coord-a", "wrong-guess")
    response = _login(client, "coord-a", RIGHT)
    html = response.content.decode()
    assert response.status_code == 429 and not _signed_in(client)
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html and "15 นาที" in html and "ติดต่อผู้ดูแลระบบ" in html


def test_the_lockout_starts_exactly_at_the_limit(coordinator_a: User) -> None:
    client = Client()
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT - 1):
        assert _login(client, "coord-a", "wrong-guess").status_code == 200  # the form again, with its error
    assert _login(client, "coord-a", "wrong-guess").status_code == 429
    assert _login(client, "coord-a", RIGHT).status_code == 429 and not _signed_in(client)


def test_below_the_limit_the_right_password_signs_in_and_starts_the_count_again(coordinator_a: User) -> None:
    for _ in range(2):
        client = Client()
        for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT - 1):
            _login(client, "coord-a", "wrong-guess")
        assert _login(client, "coord-a", RIGHT).status_code == 302 and _signed_in(client)


def test_the_lockout_holds_one_username_from_one_address_only(coordinator_a: User, coordinator_b: User) -> None:
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT):
        _login(Client(), "coord-a", "wrong-guess", address="203.0.113.7")
    assert _login(Client(), "coord-a", RIGHT, address="203.0.113.7").status_code == 429
    assert _login(Client(), "coord-a", RIGHT, address="198.51.100.9").status_code == 302
    assert _login(Client(), "coord-b", RIGHT, address="203.0.113.7").status_code == 302


def test_a_client_cannot_escape_the_lockout_by_writing_x_forwarded_for(coordinator_a: User) -> None:
    for n in range(django_settings.ITA_LOGIN_FAILURE_LIMIT + 5):
        _login(Client(), "coord-a", "wrong-guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = _login(Client(), "coord-a", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_trusted_proxy_the_lockout_counts_the_address_the_proxy_names(
    coordinator_a: User, settings: Any
) -> None:
    settings.ITA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT):
        _login(Client(), "coord-a", "wrong-guess", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    via_proxy = {"address": "10.0.0.2"}
    assert _login(Client(), "coord-a", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.50", **via_proxy).status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    assert _login(Client(), "coord-a", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.51", **via_proxy).status_code == 302


def test_after_the_cool_off_the_right_password_signs_in_again(coordinator_a: User) -> None:
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT):
        _login(Client(), "coord-a", "wrong-guess")
    assert _login(Client(), "coord-a", RIGHT).status_code == 429
    cool_off = timedelta(minutes=django_settings.ITA_LOGIN_COOLOFF_MINUTES)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    assert _login(Client(), "coord-a", RIGHT).status_code == 302


def test_the_admin_login_page_is_throttled_the_same_way(program_admin: User) -> None:
    client = Client()
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "wrong-guess"}, REMOTE_ADDR="203.0.113.7")
    response = client.post("/admin/login/", {"username": "admin", "password": RIGHT}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and not _signed_in(client)
    assert _login(Client(), "admin", RIGHT).status_code == 429  # one count for both login pages


def test_the_limits_default_to_five_failures_and_fifteen_minutes() -> None:
    assert (django_settings.ITA_LOGIN_FAILURE_LIMIT, django_settings.AXES_FAILURE_LIMIT) == (5, 5)
    assert (django_settings.ITA_LOGIN_COOLOFF_MINUTES, django_settings.AXES_COOLOFF_TIME.total_seconds()) == (15, 900)
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_login_helper_works_and_a_locked_out_user_sees_the_thai_page(
    desktop: Any, live_server: Any, coordinator_a: User
) -> None:
    login(desktop, live_server, "coord-a")  # the suite's helper, with throttling on
    desktop.context.clear_cookies()
    for _ in range(django_settings.ITA_LOGIN_FAILURE_LIMIT):
        desktop.goto(f"{live_server.url}/accounts/login/")
        desktop.fill("#id_username", "coord-a")
        desktop.fill("#id_password", "wrong-guess")
        desktop.click("button[type=submit]:has-text('เข้าสู่ระบบ')")
    desktop.goto(f"{live_server.url}/accounts/login/")
    desktop.fill("#id_username", "coord-a")
    desktop.fill("#id_password", RIGHT)
    desktop.click("button[type=submit]:has-text('เข้าสู่ระบบ')")
    assert desktop.locator("h1").inner_text() == "ระงับการเข้าสู่ระบบชั่วคราว"
    assert "15 นาที" in desktop.locator("main").inner_text()


@pytest.mark.parametrize(
    ("name", "value"),
    [("ITA_LOGIN_FAILURE_LIMIT", "0"), ("ITA_LOGIN_COOLOFF_MINUTES", "-1"), ("ITA_MAX_POST_BYTES", "0")],
)
def test_a_limit_that_would_lock_everyone_out_or_nobody_stops_start_up(name: str, value: str) -> None:
    result = start_with(DEBUG="true", **{name: value})
    assert result.returncode != 0 and name in result.stderr
