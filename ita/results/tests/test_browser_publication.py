"""The program admin's publication controls and every open-data download on the ranking page,
once each in a real Chromium."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ita.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG, CODE = "esa-2566", "samutsakhon-pesa"


def _close_phases() -> None:
    """Publication needs collection and OIT closed: end every phase in the past."""
    from django.utils import timezone

    from ita.assessments.models import AssessmentPhase

    now = timezone.now()
    AssessmentPhase.objects.filter(assessment__slug=SLUG).update(
        starts_at=now - dt.timedelta(days=30), ends_at=now - dt.timedelta(days=1)
    )


def _download(page: Any, text: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(f"[data-testid=downloads] a:has-text('{text}')")
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _samutsakhon_total(name: str, data: bytes) -> str:
    from ita.results.exporters import read_csv

    if name.endswith(".json"):
        return str(next(u["total"] for u in json.loads(data)["units"] if u["unit"] == CODE))
    if name.endswith(".xlsx"):
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True)["units"]
        cells = list(sheet.iter_rows(values_only=True))
        return str(next(r[3] for r in cells[1:] if r[0] == CODE))
    rows = read_csv(data)
    return next(r[3] for r in rows[1:] if r[0] == CODE)


def test_a_program_admin_reopens_refreshes_publishes_and_downloads_every_open_data_file(
    desktop: Any, live_server: Any, demo: None
) -> None:
    from ita.audit.models import AuditEntry
    from ita.results.models import Publication

    _close_phases()
    page = desktop
    login(page, live_server, "admin", "ita-demo-2566")
    url = f"{live_server.url}/results/{SLUG}/"
    page.goto(url)

    page.fill("[data-testid=admin] input[name=reason]", "ทบทวนผลตามคำร้องของหน่วยงาน")
    page.click("[data-testid=admin] button:has-text('เปิดทบทวนผล')")
    page.wait_for_url(url)
    assert "เปิดทบทวนผลแล้ว" in page.inner_text("body")

    page.click("[data-testid=admin] button:has-text('คำนวณคะแนนเบื้องต้นใหม่')")
    page.wait_for_url("**provisional=1")
    assert page.locator("[data-testid=provisional]").count() == 1

    page.goto(url)
    page.click("[data-testid=publish-link]")
    page.wait_for_url("**/publish/confirm")
    # Publication asks first: a tick, and the revision's reason, before the results freeze.
    page.fill("[data-testid=publish-form] input[name=reason]", "ฉบับแก้ไขหลังการทบทวน")
    page.check("[data-testid=publish-form] input[name=confirm]")
    page.click("[data-testid=publish-form] button:has-text('ยืนยันประกาศผล')")
    page.wait_for_url(url)
    assert "ประกาศผลฉบับที่ 2 แล้ว" in page.inner_text("body")
    v2 = Publication.objects.get(assessment__slug=SLUG, version=2)
    assert AuditEntry.objects.filter(action="results.reopened", target=SLUG).count() == 1
    assert AuditEntry.objects.filter(action="results.published", target=SLUG, data__version=2).count() == 1

    downloads = {
        "คะแนนรายหน่วยงาน (CSV)": "esa-2566-v2-scores-csv.csv",
        "คะแนนรายข้อคำถาม (CSV)": "esa-2566-v2-questions-csv.csv",
        "คะแนนรายหน่วยงานและรายข้อคำถาม (XLSX)": "esa-2566-v2-scores-xlsx.xlsx",
        "คะแนนรายหน่วยงาน (JSON)": "esa-2566-v2-scores-json.json",
    }
    for text, expected in downloads.items():
        name, data = _download(page, text)
        assert name == expected
        if "questions" in name:
            from ita.results.exporters import read_csv

            rows = read_csv(data)
            assert rows[0][:4] == ["unit_code", "tool", "indicator", "question"]
            assert any(r[0] == CODE and r[1] == "IIT" and r[4] for r in rows[1:])
        else:
            assert _samutsakhon_total(name, data) == "96.77", name
        if name.endswith(".json"):
            assert json.loads(data)["sha256"] == v2.sha256

    page.goto(f"{live_server.url}/results/{SLUG}/u/{CODE}/?version=1")
    assert page.inner_text("[data-testid=total]") == "96.77"
    assert page.inner_text("[data-testid=version]") == "ประกาศผลแล้ว ฉบับที่ 1"
