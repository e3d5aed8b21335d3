"""The questionnaire as the template sees it, and the rendered form kept per process.

The blank questionnaire (about 150 radio buttons for IIT) is the same for everyone, so it is
rendered once per framework, tool and language and reused; only a page with errors (which
must keep the answers already chosen) is rendered afresh."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ita.frameworks.spec import FrameworkSpec

_rendered: dict[tuple[str, int, str, str], SafeString] = {}


@dataclass(frozen=True)
class Option:
    index: int
    label: str
    checked: bool


@dataclass(frozen=True)
class ItemView:
    key: str
    legend: str
    options: tuple[Option, ...]
    missing: bool

    @property
    def anchor(self) -> str:
        return "q-" + self.key.replace(".", "-")


@dataclass(frozen=True)
class QuestionView:
    code: str
    text: str
    items: tuple[ItemView, ...]
    single: bool  # one sub-item: the question text is its legend


@dataclass(frozen=True)
class IndicatorView:
    number: str
    name: str
    questions: tuple[QuestionView, ...]


def build(spec: FrameworkSpec, tool: str, chosen: Mapping[str, int], missing: set[str]) -> list[IndicatorView]:
    english = (get_language() or "th").startswith("en")

    def pick(th: str, en: str) -> str:
        return en if english and en else th

    indicators = []
    for ind in spec.indicators_of(tool):
        questions = []
        for q in ind.questions:
            items = tuple(
                ItemView(
                    key=item.key,
                    legend=pick(q.text_th, q.text_en) if len(q.items) == 1 else pick(item.text_th, item.text_en),
                    options=tuple(
                        Option(i, pick(o.label_th, o.label_en), chosen.get(item.key) == i)
                        for i, o in enumerate(item.scale.options)
                    ),
                    missing=item.key in missing,
                )
                for item in q.items
            )
            questions.append(QuestionView(q.code, pick(q.text_th, q.text_en), items, single=len(q.items) == 1))
        indicators.append(IndicatorView(ind.number, pick(ind.name_th, ind.name_en), tuple(questions)))
    return indicators


def questionnaire_html(
    spec: FrameworkSpec, tool: str, chosen: Mapping[str, int] | None = None, missing: set[str] | None = None
) -> SafeString:
    """The questions part of the form; the blank one comes from the per-process cache."""
    if chosen or missing:
        return _render(spec, tool, chosen or {}, missing or set())
    key = (spec.slug, spec.version, tool, get_language() or "th")
    if key not in _rendered:
        _rendered[key] = _render(spec, tool, {}, set())
    return _rendered[key]


def _render(spec: FrameworkSpec, tool: str, chosen: Mapping[str, int], missing: set[str]) -> SafeString:
    context: dict[str, Any] = {"indicators": build(spec, tool, chosen, missing)}
    return SafeString(render_to_string("surveys/_questions.html", context))
