"""Two-factor sign-in: required by role, recovery codes, admin reset; and the ways around it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ita.accounts.models import User
from ita.audit.models import AuditEntry

PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _required(settings: Any) -> None:
    settings.ITA_2FA_REQUIRED_ROLES = ["program_admin", "assessor"]


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now, or `ahead` steps later (each code works once; the device accepts the
    next step's code too, for a slow clock)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):06d}"


def password_only(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def set_up(client: Client, user: User) -> list[str]:
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"token": code_for(device)})
    assert response.status_code == 200
    return [t.token for t in StaticToken.objects.filter(device__user=user)]


def test_a_program_admin_with_only_a_password_reaches_nothing_until_set_up(program_admin: User) -> None:
    client = password_only("admin")
    for path in ("/oit/", "/admin/", "/s/m/x/", "/results/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/"), path
    assert client.get("/accounts/2fa/").status_code == 302  # no device yet: to the setup page
    codes = set_up(client, program_admin)
    assert len(codes) == 10
    assert client.get("/oit/").status_code == 200
    assert AuditEntry.objects.filter(action="account.2fa_enabled", target=f"user:{program_admin.pk}").exists()


def test_after_set_up_a_new_sign_in_needs_the_code_and_a_wrong_one_is_refused(program_admin: User) -> None:
    set_up(password_only("admin"), program_admin)
    client = password_only("admin")
    assert client.get("/oit/").status_code == 302
    wrong = client.post("/accounts/2fa/", {"token": "000000"})
    assert "รหัสไม่ถูกต้อง" in wrong.content.decode()
    assert client.get("/oit/").status_code == 302
    # An attacker with the password cannot replace the factor without the old one.
    assert client.get("/accounts/2fa/setup/")["Location"].startswith("/accounts/2fa/?")
    device = TOTPDevice.objects.get(user=program_admin, confirmed=True)
    replayed = client.post("/accounts/2fa/", {"token": code_for(device)})  # the code used at set-up
    assert replayed.status_code == 200 and "รหัสไม่ถูกต้อง" in replayed.content.decode()
    # Each failure makes the device refuse every code for a growing while (django-otp throttling):
    throttled = client.post("/accounts/2fa/", {"token": code_for(device, 1)})
    assert throttled.status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post("/accounts/2fa/", {"token": code_for(device, 1), "next": "/oit/"})["Location"] == "/oit/"
    assert client.get("/oit/").status_code == 200


def test_a_recovery_code_works_once(program_admin: User) -> None:
    codes = set_up(password_only("admin"), program_admin)
    first = password_only("admin")
    first.post("/accounts/2fa/", {"token": codes[0]})
    assert first.get("/oit/").status_code == 200
    second = password_only("admin")
    second.post("/accounts/2fa/", {"token": codes[0]})
    assert second.get("/oit/").status_code == 302


def test_next_never_leads_off_site(program_admin: User) -> None:
    client = password_only("admin")
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=program_admin, confirmed=False)
    response = client.post("/accounts/2fa/setup/?next=https://evil.example/", {"token": code_for(device)})
    page = response.content.decode()
    assert 'href="https://evil.example/"' not in page and '<a href="/">' in page


def test_coordinators_are_not_required_but_may_opt_in(coordinator_a: User) -> None:
    client = password_only("coord-a")
    assert client.get("/oit/").status_code == 200
    set_up(client, coordinator_a)
    again = password_only("coord-a")
    assert again.get("/oit/").status_code == 302  # turned on by choice: asked for from now on


def test_an_admin_reset_forgets_the_factor_ends_sessions_and_is_audited(program_admin: User, assessor: User) -> None:
    set_up(password_only("assessor"), assessor)
    admin_client = password_only("admin")
    set_up(admin_client, program_admin)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [assessor.pk], "index": 0},
        follow=True,
    )
    assert "ล้างแล้ว 1 บัญชี" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticToken.objects.filter(device__user=assessor).exists()
    assert AuditEntry.objects.filter(action="account.2fa_reset", actor=program_admin).exists()


def test_demo_settings_need_no_second_factor(program_admin: User, settings: Any) -> None:
    settings.ITA_2FA_REQUIRED_ROLES = []
    assert password_only("admin").get("/oit/").status_code == 200


@pytest.mark.browser
def test_a_program_admin_sets_up_and_uses_two_factor_in_chromium(
    desktop: Any, live_server: Any, program_admin: User
) -> None:
    desktop.goto(f"{live_server.url}/accounts/login/")
    desktop.fill("#id_username", "admin")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("button[type=submit]:has-text('เข้าสู่ระบบ')")
    desktop.wait_for_url("**/accounts/2fa/setup/**")
    secret = desktop.inner_text("#secret")
    device = TOTPDevice.objects.get(user=program_admin, confirmed=False)
    assert secret
    desktop.fill("#id_token", code_for(device))
    desktop.click("button[type=submit]:has-text('เปิดใช้งาน')")
    desktop.wait_for_selector("text=เปิดใช้การยืนยันตัวตนขั้นที่สองแล้ว")
    assert desktop.locator(".recovery-codes li").count() == 10
    desktop.context.clear_cookies()
    desktop.goto(f"{live_server.url}/accounts/login/")
    desktop.fill("#id_username", "admin")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("button[type=submit]:has-text('เข้าสู่ระบบ')")
    desktop.wait_for_url("**/accounts/2fa/**")
    desktop.fill("#id_token", code_for(TOTPDevice.objects.get(user=program_admin, confirmed=True), 1))
    desktop.click("button[type=submit]:has-text('ยืนยัน')")
    desktop.wait_for_url(f"{live_server.url}/")
    assert "ยืนยันตัวตนขั้นที่สอง" not in desktop.content()


def test_an_unknown_role_in_the_setting_stops_start_up_naming_it() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "true", "ITA_2FA_REQUIRED_ROLES": "program_admin,root"}
    result = subprocess.run(
        [sys.executable, "-m", "ita", "check"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0 and "ITA_2FA_REQUIRED_ROLES" in result.stderr and "root" in result.stderr
