"""Passwords, sessions, HTTPS and disabling an account: each attacked the way an intruder would."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.audit.models import AuditEntry
from ita.conftest import login

PASSWORD = "pw-for-tests-only"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_new_passwords_are_hashed_with_argon2(db: Any) -> None:
    user = User.objects.create_user("fresh", password="a long enough passphrase")
    assert user.password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2(db: Any) -> None:
    user = User.objects.create(username="old", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert user.password.startswith("pbkdf2_sha256$")
    assert Client().login(username="old", password=PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_an_idle_session_ends_and_each_request_extends_it(coordinator_a: User, settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.ITA_SESSION_IDLE_MINUTES * 60
    client = signed_in(coordinator_a)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert client.get("/oit/").status_code == 200
    refreshed = Session.objects.get(pk=session.pk).expire_date
    assert refreshed > timezone.now() + timedelta(minutes=settings.ITA_SESSION_IDLE_MINUTES - 1)
    # Idle past the limit: the stored session has expired and the next request must sign in again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/oit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _deploy_env(**extra: str) -> dict[str, str]:
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last one set by the Chromium fixture
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    secret = "a-long-random-looking-secret-for-tests-" + "x7Qp" * 8
    return {**clean, "DEBUG": "false", "SECRET_KEY": secret, "ALLOWED_HOSTS": "ita.example.go.th", **extra}


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ita", "check", "--deploy", "--fail-level", "WARNING"],
        env=_deploy_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_force_https_hsts_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ita.settings'; {code}"],
        env=_deploy_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True", "True", "DENY", "same-origin"]


@pytest.mark.django_db
def test_plain_http_is_redirected_but_healthz_is_not(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/oit/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    assert client.get("/", secure=True).status_code == 200


def _disable(admin_client: Client, *users: User) -> Any:
    return admin_client.post(
        "/admin/accounts/user/",
        {"action": "disable_accounts", "_selected_action": [u.pk for u in users], "index": 0},
        follow=True,
    )


def test_disabling_an_account_ends_its_sessions_at_once_and_is_audited(
    program_admin: User, coordinator_a: User
) -> None:
    victim_browser = signed_in(coordinator_a)
    assert victim_browser.get("/oit/").status_code == 200
    response = _disable(signed_in(program_admin), coordinator_a)
    assert response.status_code == 200
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_active
    after = victim_browser.get("/oit/")
    assert after.status_code == 302 and "/accounts/login/" in after["Location"]
    assert not Client().login(username="coord-a", password=PASSWORD)
    entry = AuditEntry.objects.get(action="account.disabled")
    assert entry.actor == program_admin and entry.target == f"user:{coordinator_a.pk}"
    assert entry.data["sessions"] == 1


def test_a_program_admin_cannot_disable_an_account_outside_their_units(tree: Any, coordinator_a: User) -> None:
    from ita.accounts.models import Membership, Role

    other_admin = User.objects.create_user("admin-b", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=other_admin, unit=tree["esa_b"], role=Role.PROGRAM_ADMIN)
    _disable(signed_in(other_admin), coordinator_a)  # a forged selection of someone else's user
    coordinator_a.refresh_from_db()
    assert coordinator_a.is_active
    assert not AuditEntry.objects.filter(action="account.disabled").exists()


def test_an_admin_cannot_disable_themself(program_admin: User) -> None:
    _disable(signed_in(program_admin), program_admin)
    program_admin.refresh_from_db()
    assert program_admin.is_active


@pytest.mark.browser
def test_a_program_admin_disables_an_account_in_the_admin(
    desktop: Any, live_server: Any, program_admin: User, coordinator_a: User
) -> None:
    login(desktop, live_server, "admin", PASSWORD)
    desktop.goto(f"{live_server.url}/admin/accounts/user/")
    desktop.check(f"input[name=_selected_action][value='{coordinator_a.pk}']")
    desktop.select_option("select[name=action]", "disable_accounts")
    desktop.click("button[name=index]")
    desktop.wait_for_selector("text=ปิดบัญชีแล้ว 1 บัญชี")
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_active
