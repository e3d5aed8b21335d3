"""The interface switches to English through Django's set_language view."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_choosing_english_shows_the_login_page_in_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Log in" in html
    assert "เข้าสู่ระบบ" not in html
    assert 'lang="en"' in html or page.headers.get("Content-Language") == "en"


def test_the_login_page_is_thai_by_default(client: Client) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="th")
    assert page.status_code == 200
    html = page.content.decode()
    assert "เข้าสู่ระบบ" in html
    assert "Log in" not in html
