"""Import of historical totals: every bad row reported, nothing imported when any is bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ita.results.models import HistoricalResult

pytestmark = pytest.mark.django_db


def test_a_good_csv_is_imported_with_indicator_scores(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("year,unit_code,total,indicator_1\n2564,esa-a,87.91,90.5\n2565,esa-a,96.94,\n", encoding="utf-8")
    call_command("results", "import", str(path))
    rows = list(HistoricalResult.objects.order_by("fiscal_year").values_list("fiscal_year", "total", "indicators"))
    assert [(y, str(t), i) for y, t, i in rows] == [(2564, "87.91", {"1": "90.50"}), (2565, "96.94", {})]


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        "year,unit_code,total\n2564,esa-a,87.91\n64,esa-a,80\n2565,nowhere,101\n2565,esa-b,abc\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("results", "import", str(path))
    assert str(error.value).splitlines()[1:] == [
        "row 3, column year: not a Buddhist-era year: '64'",
        "row 4, column unit_code: unknown unit: 'nowhere'",
        "row 4, column total: outside 0-100: 101",
        "row 5, column total: not a number: 'abc'",
    ]
    assert not HistoricalResult.objects.exists()


def test_an_xlsx_file_is_read_the_same_way(tree: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["year", "unit_code", "total"])  # type: ignore[union-attr]
    book.active.append([2563, "esa-b", 89.79])  # type: ignore[union-attr]
    book.save(tmp_path / "h.xlsx")
    call_command("results", "import", str(tmp_path / "h.xlsx"))
    assert str(HistoricalResult.objects.get(unit__code="esa-b").total) == "89.79"


def test_scores_are_rounded_half_up_as_the_engine_displays_them(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("year,unit_code,total,indicator_1\n2564,esa-a,81.445,90.125\n", encoding="utf-8")
    call_command("results", "import", str(path))
    row = HistoricalResult.objects.get()
    assert (str(row.total), row.indicators) == ("81.45", {"1": "90.13"})


def test_band_and_tool_points_are_stored(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("year,unit_code,total,band,iit,eit,oit\n2565,esa-a,96.77,aa,28.36,28.42,40.00\n", encoding="utf-8")
    call_command("results", "import", str(path))
    row = HistoricalResult.objects.get()
    assert (row.band, row.tools) == ("AA", {"IIT": "28.36", "EIT": "28.42", "OIT": "40.00"})


def test_a_total_that_disagrees_with_its_tool_points_is_refused_naming_the_row(tree: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        "year,unit_code,total,iit,eit,oit\n2564,esa-a,94.99,27.50,27.50,40\n2565,esa-a,94.90,27.50,27.50,40.00\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("results", "import", str(path))
    # 94.99 against 95.00 is within 0.01: totals are computed before rounding (row 2 is fine).
    problems = str(error.value).splitlines()[1:]
    assert len(problems) == 1
    assert problems[0].startswith("row 3, column total: คะแนนรวม 94.90 ไม่ตรงกับผลรวมคะแนน IIT + EIT + OIT = 95.00")
    assert not HistoricalResult.objects.exists()
