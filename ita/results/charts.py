"""Server-side SVG charts: the same picture on screen, in print and in a PDF. Thai labels are
real SVG <text> (the browser or WeasyPrint shapes them with the page's Sarabun font)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from html import escape

from ita.frameworks.spec import Band
from ita.lib.rounding import display
from ita.scoring.analysis import IndicatorRow
from ita.scoring.engine import TrendRow

FONT = 'font-family="Sarabun, sans-serif"'


def _x(score: float, left: float, width: float) -> float:
    return left + width * max(0.0, min(100.0, score)) / 100


def indicator_bars(rows: Sequence[IndicatorRow], bands: Sequence[Band], title: str) -> str:
    """Horizontal bars 0-100 per indicator, with a dashed line at each passing band's minimum."""
    left, width, bar, gap, top = 230.0, 340.0, 18.0, 8.0, 24.0
    height = top + len(rows) * (bar + gap) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height:.0f}" role="img" class="chart" '
        f'{FONT} font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(rows):
        y = top + i * (bar + gap)
        label = f"{row.number} {row.name_th}"
        parts.append(f'<text x="{left - 8}" y="{y + bar - 4}" text-anchor="end">{escape(label)}</text>')
        if row.score is not None:
            value = float(row.score)
            colour = "#1f6f4a" if row.passed else "#b3471d"
            length = _x(value, 0, width)
            parts.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>')
            parts.append(f'<text x="{_x(value, left, width) + 4:.1f}" y="{y + bar - 4}">{display(row.score)}</text>')
    for band in bands:
        if band.passed:
            x = _x(float(band.minimum), left, width)
            parts.append(
                f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" '
                'stroke="#333" stroke-dasharray="4 3"/>'
            )
            label = f"{escape(band.code)} {display(band.minimum)}"
            parts.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" font-size="11">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_line(rows: Sequence[TrendRow], title: str) -> str:
    """Total per fiscal year (Buddhist era) as a line with its value at each point."""
    if not rows:
        return ""
    left, right, top, bottom, w, h = 40.0, 20.0, 24.0, 30.0, 640.0, 240.0
    low = min(50.0, min(float(r.score) for r in rows) - 5)
    span = max(1, len(rows) - 1)

    def point(i: int, score: Fraction) -> tuple[float, float]:
        x = left + (w - left - right) * i / span
        y = top + (h - top - bottom) * (100 - float(score)) / (100 - low)
        return x, y

    pts = [point(i, r.score) for i, r in enumerate(rows)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" role="img" class="chart" '
        f'{FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="{line}"/>',
    ]
    for (x, y), r in zip(pts, rows, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f4e79"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{display(r.score)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{h - 10:.0f}" text-anchor="middle">{r.year}</text>')
    parts.append("</svg>")
    return "".join(parts)
