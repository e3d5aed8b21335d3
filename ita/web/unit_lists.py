"""Lists of unit codes uploaded as CSV or XLSX: read every row, report every bad one by row and
column, and hand back units only when the whole list is good (nothing is half-imported)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ita.units.models import Unit

HEADERS = {"code", "unit_code", "รหัส", "รหัสหน่วยงาน"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class UnitListError(ValueError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.row}/{e.column}: {e.message}" for e in errors))


def _rows(upload: UploadedFile) -> Iterable[tuple[int, str]]:
    """(row number, first cell) of every non-empty row, as the spreadsheet numbers them."""
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise UnitListError([RowError(0, "-", _("อ่านไฟล์ XLSX นี้ไม่ได้ บันทึกเป็น .xlsx หรือ .csv แล้วลองใหม่"))]) from None
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cell = row[0] if row else None
            if cell is not None and str(cell).strip():
                yield number, str(cell).strip()
        return
    if not name.endswith(".csv"):
        raise UnitListError([RowError(0, "-", _("รับเฉพาะไฟล์ .csv หรือ .xlsx"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnitListError(
            [RowError(0, "-", _('ไฟล์ CSV ต้องเข้ารหัสเป็น UTF-8 (บันทึกจาก Excel เป็น "CSV UTF-8")'))]
        ) from None
    for number, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if fields and fields[0].strip():
            yield number, fields[0].strip()


def units_from_upload(upload: UploadedFile, allowed: Iterable[Unit]) -> list[Unit]:
    """The units a file of codes names (first column, an optional header row), each of which
    must be one of ``allowed``; every wrong row is reported, and then none is taken."""
    by_code = {u.code: u for u in allowed}
    errors: list[RowError] = []
    found: list[Unit] = []
    seen: dict[str, int] = {}
    for number, code in _rows(upload):
        if number > MAX_ROWS:
            errors.append(RowError(number, "A", _("ไฟล์มีเกิน %(n)s แถว แบ่งเป็นหลายไฟล์") % {"n": MAX_ROWS}))
            break
        if number == 1 and code.lower() in HEADERS:
            continue
        if code in seen:
            errors.append(RowError(number, "A", _("รหัส %(code)s ซ้ำกับแถว %(row)s") % {"code": code, "row": seen[code]}))
            continue
        seen[code] = number
        unit = by_code.get(code)
        if unit is None:
            message = _(
                "ไม่พบหน่วยงานรหัส %(code)s ในหน่วยงานที่รับการประเมินนี้ได้ (ต้องอยู่ภายใต้หน่วยงานผู้ดำเนินการ และเป็นประเภทตามเกณฑ์)"
            )
            errors.append(RowError(number, "A", message % {"code": code}))
            continue
        found.append(unit)
    if not found and not errors:
        errors.append(RowError(0, "A", _("ไม่พบรหัสหน่วยงานในไฟล์ ใส่รหัสหน่วยงานในคอลัมน์แรก หนึ่งรหัสต่อแถว")))
    if errors:
        raise UnitListError(errors)
    return found
