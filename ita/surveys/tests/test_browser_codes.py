"""The coordinator's survey page in real Chromium: every form post and download once. This is
what the test client could not see: a real browser sends an Origin header with each post, and
the codes page once made it "null", so Django's CSRF check refused the slip PDF and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_calendar, do_set_headcounts
from ita.conftest import login, require
from ita.flow import do_add_units
from ita.frameworks.services import do_load_framework
from ita.surveys.models import CodeBatch, EitLink, SurveyCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(tree: dict[str, Any]) -> UnitAssessment:
    """A school assessment run by its ESA, with the survey windows open now."""
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-school.yaml")
    a = do_create_assessment(slug="school-test", name_th="การประเมินโรงเรียน", framework=framework, run_by=tree["esa_a"])
    now = timezone.now()
    window = (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
    do_set_calendar(a, {"iit": window, "eit": window})
    (ua,) = do_add_units(a, [tree["school_a"]])
    return ua


@pytest.fixture
def school_coordinator(school: UnitAssessment) -> User:
    user = User.objects.create_user(username="coord-school", password="pw-for-tests-only")
    Membership.objects.create(user=user, unit=school.unit, role=Role.COORDINATOR)
    return user


def pdf_text(path: Path) -> str:
    """The PDF's text with all whitespace removed (Thai line breaks fall anywhere)."""
    pdftotext = shutil.which("pdftotext")
    require(pdftotext is not None, "pdftotext (poppler-utils)")
    out = subprocess.run([str(pdftotext), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def download(page: Any, selector: str, tmp_path: Path, name: str) -> tuple[Path, Any]:
    with page.expect_download() as info:
        page.click(selector)
    got = info.value
    assert got.failure() is None
    target = tmp_path / name
    got.save_as(target)
    return target, got


def codes_on(page: Any) -> list[str]:
    return [str(c) for c in page.locator("[data-code]").evaluate_all("els => els.map(e => e.dataset.code)")]


def pretty(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def check_slips_and_csv(page: Any, tmp_path: Path, codes: list[str], tag: str) -> None:
    pdf, got = download(page, "button:has-text('ดาวน์โหลดบัตรรหัสสำหรับพิมพ์ (PDF)')", tmp_path, f"{tag}.pdf")
    assert got.suggested_filename.endswith("-iit-slips.pdf") and pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert all(pretty(c) in text for c in codes)
    sheet, got = download(page, "button:has-text('ดาวน์โหลด CSV สำหรับจดหมายเวียน')", tmp_path, f"{tag}.csv")
    assert got.suggested_filename.endswith("-iit-codes.csv")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["unit", "tool", "code", "url"]
    assert sorted(r[2] for r in rows[1:]) == sorted(pretty(c) for c in codes)
    assert all(r[3].endswith("/s/#" + r[2].replace("-", "")) for r in rows[1:])


def test_a_school_coordinator_issues_iit_codes_and_downloads_the_slips_and_the_csv(
    desktop: Any, live_server: Any, school: UnitAssessment, school_coordinator: User, tmp_path: Path
) -> None:
    login(desktop, live_server, "coord-school")
    unit_url = f"{live_server.url}/s/m/school-test/school-a1/"
    desktop.goto(unit_url)

    desktop.fill("#id_internal", "12")
    desktop.fill("#id_external", "80")
    desktop.click("[data-testid=headcounts] button[type=submit]")
    desktop.wait_for_url(unit_url)
    school.refresh_from_db()
    assert (school.internal_headcount, school.external_headcount) == (12, 80)

    desktop.fill("#id_count", "6")
    desktop.click("[data-testid=issue-iit] button[type=submit]")
    desktop.wait_for_selector("[data-code]")
    codes = codes_on(desktop)
    assert len(codes) == 6 and SurveyCode.objects.filter(unit_assessment=school).count() == 6
    check_slips_and_csv(desktop, tmp_path, codes, "first")
    check_slips_and_csv(desktop, tmp_path, codes, "again")  # the page keeps working while open


def test_the_eit_code_mode_switch_the_poster_and_void_and_reissue_work_in_chromium(
    desktop: Any, live_server: Any, school: UnitAssessment, school_coordinator: User, tmp_path: Path
) -> None:
    do_set_headcounts(school, internal=12, external=80)
    login(desktop, live_server, "coord-school")
    unit_url = f"{live_server.url}/s/m/school-test/school-a1/"
    desktop.goto(unit_url)

    eit_url = desktop.text_content("[data-testid=eit-url]")
    poster, got = download(desktop, "a:has-text('ดาวน์โหลดโปสเตอร์คิวอาร์โค้ด (PDF)')", tmp_path, "poster.pdf")
    assert got.suggested_filename == "school-a1-eit-poster.pdf" and eit_url in pdf_text(poster)

    desktop.check("[data-testid=eit-mode] input[name=requires_code]")
    desktop.click("[data-testid=eit-mode] button[type=submit]")
    desktop.wait_for_selector("[data-testid=issue-eit]")
    assert EitLink.objects.get(unit_assessment=school).requires_code

    desktop.fill("#id_count", "3")
    desktop.click("[data-testid=issue-iit] button[type=submit]")
    desktop.wait_for_selector("[data-code]")
    lost = codes_on(desktop)
    desktop.goto(unit_url)  # the coordinator leaves the page without saving the slips
    row = desktop.locator("[data-testid=batches] tr[data-batch]")
    assert row.count() == 1
    row.locator("input[name=reason]").fill("ปิดหน้าก่อนพิมพ์บัตร")
    row.locator("input[name=confirm]").check()
    row.locator("button[type=submit]").click()
    desktop.wait_for_selector("[data-testid=replaces]")
    fresh = codes_on(desktop)
    assert len(fresh) == 3 and not set(fresh) & set(lost)
    old = CodeBatch.objects.get(size=3, voided_at__isnull=False)
    assert old.replaced_by is not None and old.replaced_by.voided_at is None
    check_slips_and_csv(desktop, tmp_path, fresh, "reissued")
