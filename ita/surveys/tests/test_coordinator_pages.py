"""The coordinator's survey pages: headcounts and minimum sample, codes shown once, slips and
CSV, the EIT poster, live progress; outsiders see nothing."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client

from ita.audit.models import AuditEntry
from ita.lib.cells import safe_cell
from ita.surveys.codes import code_digest, do_issue_codes
from ita.surveys.models import SurveyCode
from ita.surveys.printing import codes_csv


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_sets_the_headcount_and_sees_the_minimum_sample(coordinator_a: Any, ua_a: Any) -> None:
    client = signed_in(coordinator_a)
    saved = client.post("/s/m/esa-test/esa-a/", {"action": "headcounts", "internal": "120", "external": "900"})
    assert saved.status_code == 302
    page = client.get("/s/m/esa-test/esa-a/").content.decode()
    assert "กลุ่มตัวอย่างขั้นต่ำ 25 คน จากผู้มีสิทธิ์ 120 คน" in page
    assert 'data-live="esa-a:EIT:respondents">0<' in page
    assert AuditEntry.objects.filter(action="unit.headcounts", unit=ua_a.unit).exists()


def test_issued_codes_are_shown_once_and_only_their_hashes_are_stored(coordinator_a: Any, ua_a: Any) -> None:
    client = signed_in(coordinator_a)
    page = client.post("/s/m/esa-test/esa-a/codes/", {"tool": "IIT", "count": "27"})
    html = page.content.decode()
    codes = re.findall(r'data-code="([0-9A-Z]{10})"', html)
    assert len(codes) == 27
    assert "รหัสจะแสดงในหน้านี้เพียงครั้งเดียว" in html
    stored = set(SurveyCode.objects.filter(unit_assessment=ua_a).values_list("digest", flat=True))
    assert stored == {code_digest(c) for c in codes}
    assert not any(c in d for c in codes for d in stored)
    data = AuditEntry.objects.get(action="surveys.codes.issued").data
    assert data["count"] == 27 and data["tool"] == "IIT" and not data["flagged"]
    assert not any(c in str(data) for c in codes)
    assert "ออกรหัสแล้ว 27 รหัส ใช้แล้ว 0 รหัส" in client.get("/s/m/esa-test/esa-a/").content.decode()


def test_slips_print_as_a_thai_pdf_with_the_codes_in_large_type(coordinator_a: Any, ua_a: Any, tmp_path: Any) -> None:
    codes = do_issue_codes(ua_a, "IIT", 3).codes
    pdf = signed_in(coordinator_a).post(
        "/s/m/esa-test/esa-a/codes/slips.pdf", {"tool": "IIT", "codes": " ".join(codes)}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content, tmp_path)
    if text is not None:
        assert f"{codes[0][:5]}-{codes[0][5:]}" in text
        assert "ใช้ได้ครั้งเดียว" in text and "สพป.ก" in text


def test_slips_are_only_printed_for_this_units_own_codes(coordinator_a: Any, ua_a: Any, ua_b: Any) -> None:
    theirs = do_issue_codes(ua_b, "IIT", 2).codes
    page = signed_in(coordinator_a).post(
        "/s/m/esa-test/esa-a/codes/slips.pdf", {"tool": "IIT", "codes": " ".join(theirs)}
    )
    assert page.status_code == 404


def test_the_mail_merge_csv_lists_each_code_with_its_link(coordinator_a: Any, ua_a: Any) -> None:
    codes = sorted(do_issue_codes(ua_a, "IIT", 2).codes)
    got = signed_in(coordinator_a).post(
        "/s/m/esa-test/esa-a/codes/codes.csv", {"tool": "IIT", "codes": " ".join(codes)}
    )
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows == [
        ["unit", "tool", "code", "url"],
        ["สพป.ก", "IIT", f"{codes[0][:5]}-{codes[0][5:]}", f"http://testserver/s/#{codes[0]}"],
        ["สพป.ก", "IIT", f"{codes[1][:5]}-{codes[1][5:]}", f"http://testserver/s/#{codes[1]}"],
    ]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("-2") == "'-2"
    assert safe_cell("สพป.ก") == "สพป.ก"
    assert b"'=cmd,IIT,ABCDE-FGHJK,u" in codes_csv("=cmd", "IIT", [("ABCDEFGHJK", "u")])


def test_the_eit_poster_is_an_a4_thai_pdf_with_the_units_link(coordinator_a: Any, ua_a: Any, tmp_path: Any) -> None:
    client = signed_in(coordinator_a)
    page = client.get("/s/m/esa-test/esa-a/").content.decode()
    url = re.search(r'data-testid="eit-url">([^<]+)<', page).group(1)  # type: ignore[union-attr]
    pdf = client.get("/s/m/esa-test/esa-a/poster.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content, tmp_path)
    if text is not None:
        assert "สแกนคิวอาร์โค้ด" in text and url in text
        assert "595.276 x 841.89 pts (A4)" in _pdf_text(pdf.content, tmp_path, "pdfinfo")  # type: ignore[operator]


def test_live_progress_is_served_as_counts_only(coordinator_a: Any, ua_a: Any) -> None:
    data = signed_in(coordinator_a).get("/s/m/esa-test/esa-a/progress.json").json()
    assert data["tools"]["IIT"] == {
        "respondents": 0,
        "required": 25,
        "population": 40,
        "percent": 0,
        "reached": False,
        "codes_issued": 0,
        "codes_used": 0,
    }
    assert data["categories"]["parent"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/s/m/esa-test/esa-a/",
        "/s/m/esa-test/esa-a/progress.json",
        "/s/m/esa-test/esa-a/poster.pdf",
    ],
)
def test_another_units_coordinator_gets_not_found(coordinator_b: Any, ua_a: Any, path: str) -> None:
    assert signed_in(coordinator_b).get(path).status_code == 404


def test_another_units_coordinator_cannot_issue_codes(coordinator_b: Any, ua_a: Any) -> None:
    assert signed_in(coordinator_b).post("/s/m/esa-test/esa-a/codes/", {"tool": "IIT", "count": "5"}).status_code == 404
    assert not SurveyCode.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, ua_a: Any) -> None:
    for path in ("/s/m/esa-test/esa-a/", "/s/m/esa-test/", "/s/m/esa-test/progress.json"):
        assert client.get(path).status_code == 302


def test_the_overview_shows_each_unit_the_user_may_see(
    coordinator_a: Any, program_admin: Any, ua_a: Any, ua_b: Any
) -> None:
    mine = signed_in(coordinator_a).get("/s/m/esa-test/progress.json").json()
    assert sorted(mine["units"]) == ["esa-a"]
    everyone = signed_in(program_admin).get("/s/m/esa-test/progress.json").json()
    assert sorted(everyone["units"]) == ["esa-a", "esa-b"]


def _pdf_text(content: bytes, tmp_path: Any, tool: str = "pdftotext") -> str | None:
    """The PDF's text with line breaks removed (poppler-utils; skipped where missing)."""
    import shutil
    import subprocess

    if not shutil.which(tool):
        return None
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        [tool, str(path), *(["-"] if tool == "pdftotext" else [])], capture_output=True, text=True, check=True
    ).stdout
    return out if tool == "pdfinfo" else "".join(out.split())


@pytest.mark.parametrize("path", ["/s/m/esa-test/esa-a/codes/slips.pdf", "/s/m/esa-test/esa-a/codes/codes.csv"])
def test_another_units_coordinator_cannot_print_this_units_codes(coordinator_b: Any, ua_a: Any, path: str) -> None:
    codes = do_issue_codes(ua_a, "IIT", 2).codes
    assert signed_in(coordinator_b).post(path, {"tool": "IIT", "codes": " ".join(codes)}).status_code == 404


def test_an_assessor_cannot_manage_collection(assessor: Any, ua_a: Any) -> None:
    assert signed_in(assessor).get("/s/m/esa-test/esa-a/").status_code == 404
    assert signed_in(assessor).post("/s/m/esa-test/esa-a/codes/", {"tool": "IIT", "count": "5"}).status_code == 404
