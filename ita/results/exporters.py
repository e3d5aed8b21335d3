"""Open-data exporters of a published assessment, as classes in a registry.

Each reads only the frozen version (``UnitScore`` rows of a publication) through
``iterator()`` and yields its file piece by piece, so 29,000 units never sit in memory."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from ita.assessments.models import Assessment
from ita.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from ita.lib.cells import safe_cell
from ita.results.models import Publication, UnitScore

CHUNK = 2000


def indicator_numbers(spec: FrameworkSpec) -> list[str]:
    return [n for ind in spec.indicators for n in (ind.number, *(s.number for s in ind.sub_indicators))]


def unit_header(spec: FrameworkSpec) -> list[str]:
    tools = [f"{t.code.lower()}_{kind}" for t in spec.tools for kind in ("score", "points")]
    return [
        "unit_code",
        "unit_name",
        "parent_code",
        "total",
        "band",
        "passed",
        *tools,
        *(f"indicator_{n}" for n in indicator_numbers(spec)),
    ]


def _rows(publication: Publication) -> Iterator[tuple[str, str, str | None, dict[str, Any]]]:
    qs = (
        UnitScore.objects.filter(publication=publication)
        .order_by("unit_code")
        .values_list("unit_code", "unit_name", "parent__code", "card")
    )
    return iter(qs.iterator(chunk_size=CHUNK))


def unit_rows(spec: FrameworkSpec, publication: Publication) -> Iterator[list[Any]]:
    numbers = indicator_numbers(spec)
    for code, name, parent, card in _rows(publication):
        tools = [card["tools"].get(t.code, {}).get(kind) for t in spec.tools for kind in ("score", "points")]
        yield [
            code,
            name,
            parent or "",
            card["total"],
            card["rating"] or "",
            card["passed"],
            *tools,
            *(card["indicators"].get(n) for n in numbers),
        ]


def question_rows(spec: FrameworkSpec, publication: Publication) -> Iterator[list[Any]]:
    """Per unit and question: respondents and mean score; both blank for a group below the
    framework's minimum size (the engine already gave None for its scores)."""
    questions = [
        (tool, ind.number, q.code) for tool in SURVEY_TOOLS for ind in spec.indicators_of(tool) for q in ind.questions
    ]
    qs = (
        UnitScore.objects.filter(publication=publication)
        .order_by("unit_code")
        .values_list("unit_code", "questions", "respondents")
    )
    for code, scores, respondents in qs.iterator(chunk_size=CHUNK):
        for tool, indicator, question in questions:
            n = respondents.get(tool)
            shown = n is not None and n >= spec.min_group_size
            yield [
                code,
                tool,
                indicator,
                question,
                n if shown else None,
                scores.get(question) if shown else None,
                not shown,
            ]


QUESTION_HEADER = ["unit_code", "tool", "indicator", "question", "respondents", "mean", "suppressed"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(header)).encode()  # BOM: Excel opens Thai text as UTF-8
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow(["" if v is None else safe_cell(v) for v in row]))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    yield "".join(buffer).encode()


class Exporter:
    identifier = ""
    verbose_name = ""
    extension = ""
    content_type = ""

    def render(self, assessment: Assessment, publication: Publication) -> tuple[str, str, Iterator[bytes]]:
        filename = f"{assessment.slug}-v{publication.version}-{self.identifier}.{self.extension}"
        return filename, self.content_type, self.stream(assessment.framework.spec, assessment, publication)

    def stream(self, spec: FrameworkSpec, assessment: Assessment, publication: Publication) -> Iterator[bytes]:
        raise NotImplementedError


class UnitScoresCsv(Exporter):
    identifier, verbose_name, extension, content_type = (
        "scores-csv",
        "คะแนนรายหน่วยงาน (CSV)",
        "csv",
        "text/csv; charset=utf-8",
    )

    def stream(self, spec: FrameworkSpec, assessment: Assessment, publication: Publication) -> Iterator[bytes]:
        return csv_stream(unit_header(spec), unit_rows(spec, publication))


class QuestionsCsv(Exporter):
    identifier, verbose_name, extension, content_type = (
        "questions-csv",
        "คะแนนรายข้อคำถาม (CSV)",
        "csv",
        "text/csv; charset=utf-8",
    )

    def stream(self, spec: FrameworkSpec, assessment: Assessment, publication: Publication) -> Iterator[bytes]:
        return csv_stream(QUESTION_HEADER, question_rows(spec, publication))


class UnitScoresJson(Exporter):
    identifier, verbose_name, extension, content_type = (
        "scores-json",
        "คะแนนรายหน่วยงาน (JSON)",
        "json",
        "application/json",
    )

    def stream(self, spec: FrameworkSpec, assessment: Assessment, publication: Publication) -> Iterator[bytes]:
        head = {
            "assessment": assessment.slug,
            "fiscal_year": assessment.fiscal_year,
            "version": publication.version,
            "published_at": publication.published_at.isoformat(),
            "sha256": publication.sha256,
        }
        yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "units": ['
        qs = UnitScore.objects.filter(publication=publication).order_by("unit_code").values_list("card", flat=True)
        for i, card in enumerate(qs.iterator(chunk_size=CHUNK)):
            yield (b"," if i else b"") + json.dumps(card, ensure_ascii=False).encode()
        yield b"]}"


class UnitScoresXlsx(Exporter):
    identifier, verbose_name, extension = "scores-xlsx", "คะแนนรายหน่วยงานและรายข้อคำถาม (XLSX)", "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def stream(self, spec: FrameworkSpec, assessment: Assessment, publication: Publication) -> Iterator[bytes]:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)  # rows go to a temporary file, not memory
        sheets = (
            (workbook.create_sheet("units"), unit_header(spec), unit_rows(spec, publication)),
            (workbook.create_sheet("questions"), QUESTION_HEADER, question_rows(spec, publication)),
        )
        for sheet, header, rows in sheets:
            sheet.append(header)
            for row in rows:
                sheet.append([safe_cell(v) for v in row])
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            handle.seek(0)
            while chunk := handle.read(64 * 1024):
                yield chunk


EXPORTERS: dict[str, Exporter] = {
    e.identifier: e for e in (UnitScoresCsv(), QuestionsCsv(), UnitScoresXlsx(), UnitScoresJson())
}


def read_csv(data: bytes) -> list[list[str]]:
    """Parse an export back (tests and the import check use it)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
