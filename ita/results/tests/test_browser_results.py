"""Result journeys in a real browser: the ranking for a program admin, open data for the public."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ita.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_program_admin_filters_the_ranking_and_opens_a_unit(desktop: Any, live_server: Any, demo: None) -> None:
    login(desktop, live_server, "admin", "ita-demo-2566")
    desktop.goto(f"{live_server.url}/results/esa-2566/")
    assert desktop.locator("[data-testid=ranking] tbody tr").count() == 9
    desktop.select_option("#band", "AA")
    desktop.click("button:has-text('แสดง')")
    desktop.wait_for_url("**band=AA**")
    assert desktop.locator("[data-testid=ranking] tbody tr").count() == 3
    assert set(desktop.locator("[data-testid=ranking] td[data-testid=band]").all_inner_texts()) == {"AA"}
    desktop.click("text=สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร")
    desktop.wait_for_url("**/u/samutsakhon-pesa/")
    assert desktop.inner_text("[data-testid=total]") == "96.77"
    assert desktop.inner_text("[data-tool=IIT]") == "28.36"
    # The chart labels are real text shaped with the page's Sarabun font.
    assert desktop.locator("svg text:has-text('การปฏิบัติหน้าที่')").count() >= 1
    assert desktop.evaluate("document.fonts.check('16px Sarabun', 'คะแนน')")


def test_the_public_sees_nothing_before_publication_and_downloads_the_csv_after(
    desktop: Any, live_server: Any, demo: None
) -> None:
    from ita.assessments.models import Assessment
    from ita.results.models import Publication
    from ita.results.services import do_publish

    Publication.objects.all().delete()
    Assessment.objects.filter(slug="esa-2566").update(state="open")
    response = desktop.goto(f"{live_server.url}/results/esa-2566/")
    assert response.status == 404
    assert desktop.goto(f"{live_server.url}/results/esa-2566/download/scores-csv").status == 404

    do_publish(Assessment.objects.get(slug="esa-2566"), actor=None)
    desktop.goto(f"{live_server.url}/results/esa-2566/")
    assert desktop.locator("[data-testid=ranking] tbody tr").count() == 9
    with desktop.expect_download() as info:
        desktop.click("text=คะแนนรายหน่วยงาน (CSV)")
    download = info.value
    assert download.suggested_filename == "esa-2566-v1-scores-csv.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("unit_code,unit_name,parent_code,total,band")
    assert "samutsakhon-pesa,สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสมุทรสาคร,obec,96.77,AA" in content
