"""Import of totals from years before the platform: all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ita.accounts.models import Actor
from ita.audit.services import record
from ita.results.models import HistoricalResult
from ita.units.models import Unit

REQUIRED = ("year", "unit_code", "total")
TOOL_COLUMNS = ("iit", "eit", "oit")  # weighted points of each tool, as the report prints them
POINTS_DISAGREE = "คะแนนรวม %(total)s ไม่ตรงกับผลรวมคะแนน IIT + EIT + OIT = %(points)s โปรดตรวจแถวนี้กับรายงานที่ประกาศ"
TOLERANCE = Decimal("0.01")  # how far the stated total may be from the sum of the stated points


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based line in the file, header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportFailed(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_table(path: Path) -> list[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _score(value: Any, row: int, column: str, problems: list[Problem]) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(Problem(row, column, f"not a number: {value!r}"))
        return None
    if not Decimal(0) <= number <= Decimal(100):
        problems.append(Problem(row, column, f"outside 0-100: {value}"))
        return None
    # Half-up, as the engine displays its figures (81.445 is 81.45, not the banker's 81.44).
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse(table: list[list[Any]]) -> list[dict[str, Any]]:
    """Check every row; raise ImportFailed listing every problem by row and column."""
    if not table:
        raise ImportFailed([Problem(1, "-", "empty file")])
    header = [str(h).strip() for h in table[0]]
    problems = [Problem(1, col, "missing column") for col in REQUIRED if col not in header]
    if problems:
        raise ImportFailed(problems)
    indicator_columns = [h for h in header if h.startswith("indicator_")]
    codes = {c: pk for c, pk in Unit.objects.values_list("code", "pk")}
    seen: set[tuple[str, int]] = set()
    out = []
    for number, raw in enumerate(table[1:], start=2):
        cells = dict(zip(header, [("" if v is None else v) for v in raw], strict=False))
        if not any(str(v).strip() for v in cells.values()):
            continue
        year_text = str(cells.get("year", "")).strip()
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 2500 <= year <= 2700:
            problems.append(Problem(number, "year", f"not a Buddhist-era year: {year_text!r}"))
        code = str(cells.get("unit_code", "")).strip()
        if code not in codes:
            problems.append(Problem(number, "unit_code", f"unknown unit: {code!r}"))
        elif year is not None and (code, year) in seen:
            problems.append(Problem(number, "unit_code", f"{code} {year} appears twice"))
        seen.add((code, year or 0))
        total = _score(cells.get("total", ""), number, "total", problems)
        indicators = {}
        for column in indicator_columns:
            if str(cells.get(column, "")).strip():
                value = _score(cells[column], number, column, problems)
                indicators[column.removeprefix("indicator_")] = str(value)
        tools = {}
        for column in TOOL_COLUMNS:
            if column in header and str(cells.get(column, "")).strip():
                value = _score(cells[column], number, column, problems)
                if value is not None:
                    tools[column.upper()] = str(value)
        if total is not None and len(tools) == len(TOOL_COLUMNS):
            points = sum((Decimal(v) for v in tools.values()), Decimal(0))
            if abs(points - total) > TOLERANCE:
                problems.append(
                    Problem(
                        number,
                        "total",
                        _(POINTS_DISAGREE) % {"total": total, "points": points},
                    )
                )
        band = str(cells.get("band", "")).strip().upper()
        if len(band) > 4:
            problems.append(Problem(number, "band", _("ระดับผลการประเมินไม่ถูกต้อง: %(band)r") % {"band": band}))
        out.append(
            {
                "unit_id": codes.get(code),
                "fiscal_year": year,
                "total": total,
                "indicators": indicators,
                "tools": tools,
                "band": band,
            }
        )
    if problems:
        raise ImportFailed(problems)
    return out


class HistoryError(ValueError):
    """A refused correction; the message is for the user, in Thai."""


@transaction.atomic
def do_import_history(path: Path, *, actor: Actor = None, source: str = "", by: str = "") -> int:
    """Import every row or none, with one audit entry in the same transaction: who (the user,
    or ``by``, e.g. the account that ran the command), the file, how many rows, and each
    published total it replaced, so that public history never changes silently."""
    rows = parse(read_table(path))
    old = {
        (h.unit_id, h.fiscal_year): h.total
        for h in HistoricalResult.objects.select_for_update().filter(unit_id__in={r["unit_id"] for r in rows})
    }
    codes = dict(Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("pk", "code"))
    replaced = []
    for row in rows:
        before = old.get((row["unit_id"], row["fiscal_year"]))
        if before is not None and before != row["total"]:
            replaced.append([codes[row["unit_id"]], row["fiscal_year"], str(before), str(row["total"])])
        HistoricalResult.objects.update_or_create(
            unit_id=row["unit_id"],
            fiscal_year=row["fiscal_year"],
            defaults={
                "total": row["total"],
                "indicators": row["indicators"],
                "tools": row["tools"],
                "band": row["band"],
                "source": source or path.name,
            },
        )
    record(
        "results.history.imported",
        actor=actor,
        target=path.name,
        file=path.name,
        rows=len(rows),
        by=by or getattr(actor, "username", ""),
        replaced=replaced,
    )
    return len(rows)


@transaction.atomic
def do_correct_history(unit: Unit, fiscal_year: int, total: Decimal, reason: str, actor: Actor) -> HistoricalResult:
    """Correct one imported total, with a reason, audited with the figure it replaces."""
    if not reason.strip():
        raise HistoryError(_("โปรดระบุเหตุผลของการแก้ไขผลย้อนหลัง"))
    if not Decimal(0) <= total <= Decimal(100):
        raise HistoryError(_("คะแนนรวมต้องอยู่ระหว่าง 0 ถึง 100"))
    row = HistoricalResult.objects.select_for_update().filter(unit=unit, fiscal_year=fiscal_year).first()
    if row is None:
        raise HistoryError(
            _("ไม่พบผลย้อนหลังปี %(year)s ของ %(unit)s ให้นำเข้าด้วยคำสั่ง ita results import")
            % {"year": fiscal_year, "unit": unit.code}
        )
    before = row.total
    row.total = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    row.save(update_fields=["total"])
    record(
        "results.history.corrected",
        actor=actor,
        unit=unit,
        target=f"{unit.code}/{fiscal_year}",
        before=str(before),
        after=str(row.total),
        reason=reason.strip(),
    )
    return row
