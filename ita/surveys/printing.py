"""Printed matter for collection: code slips (PDF and a CSV for mail merge) and the EIT poster.

PDFs are rendered by WeasyPrint with the Sarabun files given by path, so no system font is
needed; QR codes are made by segno as SVG data URIs."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string

from ita.lib.cells import safe_cell
from ita.surveys.codes import pretty


def qr_data_uri(url: str, scale: int = 4) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=scale, border=2))


def font_faces() -> str:
    base = settings.SARABUN_DIR.as_uri()
    return (
        f'@font-face {{ font-family: "Sarabun"; font-weight: 400; src: url("{base}/Sarabun-Regular.ttf"); }}\n'
        f'@font-face {{ font-family: "Sarabun"; font-weight: 700; src: url("{base}/Sarabun-Bold.ttf"); }}'
    )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_faces": font_faces()})
    return bytes(HTML(string=html, base_url=str(settings.SARABUN_DIR)).write_pdf())


def slips_pdf(
    unit_name: str, assessment_name: str, tool: str, codes: Sequence[tuple[str, str]], entry_url: str
) -> bytes:
    """One slip per code (eight to an A4 page, dashed for cutting): QR to the form, the code
    in large type, and how to use it."""
    slips = [{"code": pretty(code), "url": url, "qr": qr_data_uri(url)} for code, url in codes]
    return render_pdf(
        "surveys/slips_pdf.html",
        {
            "slips": slips,
            "unit_name": unit_name,
            "assessment_name": assessment_name,
            "tool": tool,
            "entry_url": entry_url,
        },
    )


def poster_pdf(unit_name: str, assessment_name: str, url: str) -> bytes:
    return render_pdf(
        "surveys/poster_pdf.html",
        {"unit_name": unit_name, "assessment_name": assessment_name, "url": url, "qr": qr_data_uri(url, scale=10)},
    )


def codes_csv(unit_name: str, tool: str, codes: Sequence[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "tool", "code", "url"])
    for code, url in codes:
        writer.writerow([safe_cell(v) for v in (unit_name, tool, pretty(code), url)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel then reads the Thai correctly
