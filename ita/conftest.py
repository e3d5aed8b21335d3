"""Fixtures for the usual cast, and the rule for tests that need PostgreSQL or Chromium:
they skip on a laptop without them, and fail in CI (CI=true), where they must run."""

from __future__ import annotations

import os
from typing import Any

import pytest

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import Assessment
from ita.frameworks.models import Framework
from ita.units.models import Unit, UnitType

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, what: str) -> None:
    """Skip (laptop) or fail (CI) when something a test needs is not there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} not available")


@pytest.fixture(autouse=True)
def _login_throttling_off(settings: Any) -> None:
    """django-axes refuses ``Client.login()`` (it needs the request) and would count every
    wrong password a test types; ita/web/tests/test_login_throttling.py turns it back on."""
    settings.AXES_ENABLED = False


@pytest.fixture
def tree(db: Any) -> dict[str, Unit]:
    obec = Unit.objects.create(code="obec", name_th="สพฐ.", unit_type=UnitType.OBEC)
    esa_a = Unit.objects.create(
        code="esa-a", name_th="สพป.ก", unit_type=UnitType.ESA, parent=obec, website="https://esa-a.example.go.th/"
    )
    esa_b = Unit.objects.create(code="esa-b", name_th="สพป.ข", unit_type=UnitType.ESA, parent=obec)
    school_a = Unit.objects.create(code="school-a1", name_th="โรงเรียน ก1", unit_type=UnitType.SCHOOL, parent=esa_a)
    return {"obec": obec, "esa_a": esa_a, "esa_b": esa_b, "school_a": school_a}


@pytest.fixture
def esa_framework(db: Any) -> Framework:
    from django.conf import settings

    from ita.frameworks.services import do_load_framework

    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    return framework


@pytest.fixture
def assessment(tree: dict[str, Unit], esa_framework: Framework) -> Assessment:
    """The one test assessment: "esa-test", run by OBEC over both ESAs of the tree, with
    headcounts set and no calendar (a test, or an app's conftest, opens what it needs)."""
    from ita.assessments.services import do_create_assessment, do_set_headcounts
    from ita.flow import do_add_units

    a = do_create_assessment(slug="esa-test", name_th="การประเมินทดสอบ", framework=esa_framework, run_by=tree["obec"])
    for ua in do_add_units(a, [tree["esa_a"], tree["esa_b"]]):
        do_set_headcounts(ua, internal=40, external=300)
    return a


def _member(username: str, role: str, unit: Unit, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True, **extra)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def program_admin(tree: dict[str, Unit]) -> User:
    return _member("admin", Role.PROGRAM_ADMIN, tree["obec"])


@pytest.fixture
def coordinator_a(tree: dict[str, Unit]) -> User:
    return _member("coord-a", Role.COORDINATOR, tree["esa_a"])


@pytest.fixture
def coordinator_b(tree: dict[str, Unit]) -> User:
    return _member("coord-b", Role.COORDINATOR, tree["esa_b"])


@pytest.fixture
def assessor(tree: dict[str, Unit]) -> User:
    return _member("assessor", Role.ASSESSOR, tree["obec"])


@pytest.fixture
def demo(db: Any) -> None:
    """The full demo data set, loaded through the real services."""
    from ita.demo.load import load_demo

    load_demo()


CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's Chromium driven by Playwright (its own browser download does not work here)."""
    require(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's guard against ORM use
    # inside a loop would otherwise stop the test's own setup queries.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any) -> Any:
    context = chromium.new_context(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(chromium: Any) -> Any:
    context = chromium.new_context(viewport=DESKTOP, locale="th-TH")
    yield context.new_page()
    context.close()


def login(page: Any, live_server: Any, username: str, password: str = "pw-for-tests-only") -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('เข้าสู่ระบบ')")
    page.wait_for_url(f"{live_server.url}/")
