"""The ITA framework as typed data, and the validator that turns a YAML document into it.

Plain Python (no Django) so that the scoring engine, the loader and the tests share one
reading of the file. `parse_framework()` collects *every* problem with its path in the file
(``indicators[3].questions[2].scale: unknown scale 'likert5'``) before it gives up, so a
coordinator fixes a file in one pass instead of one error at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

TOOLS = ("IIT", "EIT", "OIT")
SURVEY_TOOLS = ("IIT", "EIT")
AGGREGATION_RULES = ("mean_of_items", "mean_of_subindicators")
UNIT_TYPES = ("obec", "esa", "school")


@dataclass(frozen=True)
class ScaleOption:
    label_th: str
    label_en: str
    score: Fraction


@dataclass(frozen=True)
class Scale:
    code: str
    options: tuple[ScaleOption, ...]

    @property
    def top_index(self) -> int:
        """The option that scores highest (used by straight-lining checks)."""
        return max(range(len(self.options)), key=lambda i: self.options[i].score)


@dataclass(frozen=True)
class SubItem:
    key: str  # "i1.1": question code, dot, 1-based position
    text_th: str
    text_en: str
    scale: Scale


@dataclass(frozen=True)
class Question:
    code: str
    indicator: str
    text_th: str
    text_en: str
    items: tuple[SubItem, ...]
    note_th: str = ""


@dataclass(frozen=True)
class OitItem:
    code: str
    sub_indicator: str
    name_th: str
    name_en: str
    requires_th: str


@dataclass(frozen=True)
class SubIndicator:
    number: str
    name_th: str
    name_en: str
    items: tuple[OitItem, ...]


@dataclass(frozen=True)
class Indicator:
    number: str
    tool: str
    name_th: str
    name_en: str
    questions: tuple[Question, ...] = ()
    sub_indicators: tuple[SubIndicator, ...] = ()

    @property
    def oit_items(self) -> tuple[OitItem, ...]:
        return tuple(item for sub in self.sub_indicators for item in sub.items)


@dataclass(frozen=True)
class Tool:
    code: str
    name_th: str
    name_en: str
    weight: Fraction


@dataclass(frozen=True)
class Band:
    code: str
    minimum: Fraction
    label_th: str
    label_en: str
    passed: bool


@dataclass(frozen=True)
class SampleRule:
    """Minimum respondents: ``share`` of the population, at least ``minimum`` (or everyone
    when fewer), at most ``maximum`` when given."""

    minimum: int
    share: Fraction = Fraction(0)
    maximum: int | None = None

    def required(self, population: int) -> int:
        if population <= 0:
            return 0
        wanted = max(self.minimum, -(-self.share * population // 1))
        if self.maximum is not None:
            wanted = min(wanted, self.maximum)
        return int(min(population, wanted))


@dataclass(frozen=True)
class RespondentCategory:
    code: str
    label_th: str
    label_en: str


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    version: int
    fiscal_year: int
    unit_type: str
    name_th: str
    name_en: str
    aggregation: str
    min_group_size: int
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...]
    sample_rules: Mapping[str, SampleRule]
    respondent_categories: tuple[RespondentCategory, ...] = ()
    scales: Mapping[str, Scale] = field(default_factory=dict)

    def tool(self, code: str) -> Tool:
        return next(t for t in self.tools if t.code == code)

    def indicators_of(self, tool: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.tool == tool)

    def indicator(self, number: str) -> Indicator:
        return next(i for i in self.indicators if i.number == number)

    def questions_of(self, tool: str) -> tuple[Question, ...]:
        return tuple(q for i in self.indicators_of(tool) for q in i.questions)

    def sub_items_of(self, tool: str) -> tuple[SubItem, ...]:
        return tuple(s for q in self.questions_of(tool) for s in q.items)

    @property
    def oit_items(self) -> tuple[OitItem, ...]:
        return tuple(item for i in self.indicators_of("OIT") for item in i.oit_items)

    def band_for(self, score: Fraction) -> Band:
        """The band of an unrounded score: bands are judged on the value as displayed
        (84.995 shows as 85.00 and so is an A), which is what a reader of the report checks."""
        from ita.lib.rounding import round_half_up

        shown = Fraction(round_half_up(score))
        for band in sorted(self.bands, key=lambda b: b.minimum, reverse=True):
            if shown >= band.minimum:
                return band
        return min(self.bands, key=lambda b: b.minimum)


class FrameworkError(ValueError):
    """Raised with every problem found in a framework document."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Reader:
    """Walks a YAML document and collects problems with their paths instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, node: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(node, Mapping):
            self.fail(path, "expected a mapping")
            return {}
        return node

    def listing(self, node: Any, path: str, required: bool = True) -> list[Any]:
        if node is None and not required:
            return []
        if not isinstance(node, list) or (required and not node):
            self.fail(path, "expected a non-empty list")
            return []
        return node

    def text(self, node: Mapping[str, Any], key: str, path: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "required")
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.fail(f"{path}.{key}", "expected text")
            return ""
        return str(value)

    def number(self, node: Mapping[str, Any], key: str, path: str) -> Fraction | None:
        value = node.get(key)
        if value is None:
            self.fail(f"{path}.{key}", "required")
            return None
        try:
            # Through Decimal(str()) so that 0.3 means exactly 3/10, not the float nearest it.
            return Fraction(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            self.fail(f"{path}.{key}", f"not a number: {value!r}")
            return None

    def integer(self, node: Mapping[str, Any], key: str, path: str, default: int | None = None) -> int:
        value = node.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(f"{path}.{key}", f"expected a whole number >= 0, got {value!r}")
            return 0
        return value


def parse_framework(doc: Any) -> FrameworkSpec:
    """Validate a framework document (already parsed from YAML) and build the spec."""
    r = _Reader()
    root = r.mapping(doc, "$")
    scales = _parse_scales(r, root.get("scales"))
    tools = _parse_tools(r, root.get("tools"))
    indicators = _parse_indicators(r, root.get("indicators"), scales, {t.code for t in tools})
    bands = _parse_bands(r, root.get("bands"))
    _check_cross_references(r, tools, indicators)

    aggregation = root.get("aggregation", "mean_of_items")
    if aggregation not in AGGREGATION_RULES:
        r.fail("aggregation", f"unknown rule {aggregation!r} (use {' or '.join(AGGREGATION_RULES)})")
    unit_type = r.text(root, "unit_type", "$")
    if unit_type and unit_type not in UNIT_TYPES:
        r.fail("unit_type", f"unknown unit type {unit_type!r} (use {', '.join(UNIT_TYPES)})")
    slug = r.text(root, "slug", "$")
    spec = FrameworkSpec(
        slug=slug,
        version=r.integer(root, "version", "$", default=1),
        fiscal_year=r.integer(root, "fiscal_year", "$"),
        unit_type=unit_type,
        name_th=r.text(root, "name_th", "$"),
        name_en=r.text(root, "name_en", "$"),
        aggregation=str(aggregation),
        min_group_size=r.integer(root, "min_group_size", "$", default=5),
        tools=tools,
        indicators=indicators,
        bands=bands,
        sample_rules=_parse_sample_rules(r, root.get("sample_rules")),
        respondent_categories=_parse_categories(r, root.get("respondent_categories")),
        scales=scales,
    )
    if spec.fiscal_year and not 2500 <= spec.fiscal_year <= 2700:
        r.fail("fiscal_year", f"expected a Buddhist Era year such as 2566, got {spec.fiscal_year}")
    if r.problems:
        raise FrameworkError([p.removeprefix("$.") for p in r.problems])
    return spec


def _parse_scales(r: _Reader, node: Any) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    for code, body in r.mapping(node, "scales").items():
        path = f"scales.{code}"
        options = []
        for i, opt in enumerate(r.listing(r.mapping(body, path).get("options"), f"{path}.options")):
            opath = f"{path}.options[{i}]"
            opt = r.mapping(opt, opath)
            score = r.number(opt, "score", opath)
            if score is not None and not 0 <= score <= 100:
                r.fail(f"{opath}.score", f"must lie in 0-100, got {float(score):g}")
            options.append(
                ScaleOption(
                    r.text(opt, "label_th", opath), r.text(opt, "label_en", opath, required=False), score or Fraction(0)
                )
            )
        if len(options) == 1:
            r.fail(f"{path}.options", "a scale needs at least two options")
        scales[str(code)] = Scale(str(code), tuple(options))
    return scales


def _parse_tools(r: _Reader, node: Any) -> tuple[Tool, ...]:
    tools = []
    for i, body in enumerate(r.listing(node, "tools")):
        path = f"tools[{i}]"
        body = r.mapping(body, path)
        code = r.text(body, "code", path)
        if code and code not in TOOLS:
            r.fail(f"{path}.code", f"unknown tool {code!r} (use {', '.join(TOOLS)})")
        weight = r.number(body, "weight", path)
        tools.append(
            Tool(
                code,
                r.text(body, "name_th", path),
                r.text(body, "name_en", path, required=False),
                weight or Fraction(0),
            )
        )
    if tools and sum((t.weight for t in tools), Fraction(0)) != 1:
        total = sum((t.weight for t in tools), Fraction(0))
        r.fail("tools", f"weights must add up to 1, they add up to {float(total):g}")
    codes = [t.code for t in tools]
    if len(set(codes)) != len(codes):
        r.fail("tools", "a tool is listed twice")
    return tuple(tools)


def _parse_indicators(
    r: _Reader, node: Any, scales: Mapping[str, Scale], tool_codes: set[str]
) -> tuple[Indicator, ...]:
    indicators = []
    for i, body in enumerate(r.listing(node, "indicators")):
        path = f"indicators[{i}]"
        body = r.mapping(body, path)
        number = r.text(body, "number", path)
        tool = r.text(body, "tool", path)
        if tool and tool not in tool_codes:
            r.fail(f"{path}.tool", f"unknown tool {tool!r}")
        questions: tuple[Question, ...] = ()
        subs: tuple[SubIndicator, ...] = ()
        if tool == "OIT":
            subs = _parse_sub_indicators(r, body.get("sub_indicators"), path, number)
        elif tool:
            questions = _parse_questions(r, body.get("questions"), path, number, scales)
        indicators.append(
            Indicator(
                number,
                tool,
                r.text(body, "name_th", path),
                r.text(body, "name_en", path, required=False),
                questions,
                subs,
            )
        )
    _check_unique(r, "indicators", [ind.number for ind in indicators], "indicator number")
    _check_unique(r, "indicators", [q.code for ind in indicators for q in ind.questions], "question code")
    _check_unique(r, "indicators", [it.code for ind in indicators for it in ind.oit_items], "OIT item code")
    return tuple(indicators)


def _parse_questions(
    r: _Reader, node: Any, ipath: str, indicator: str, scales: Mapping[str, Scale]
) -> tuple[Question, ...]:
    questions = []
    for j, body in enumerate(r.listing(node, f"{ipath}.questions")):
        path = f"{ipath}.questions[{j}]"
        body = r.mapping(body, path)
        code = r.text(body, "code", path)
        default_scale = body.get("scale")
        raw_items = r.listing(body.get("items"), f"{path}.items", required=False) or [{}]
        items = []
        for k, raw in enumerate(raw_items):
            kpath = f"{path}.items[{k}]"
            raw = r.mapping(raw, kpath) if raw != {} else {}
            scale_code = raw.get("scale", default_scale)
            scale_path = f"{kpath}.scale" if "scale" in raw else f"{path}.scale"
            scale = scales.get(str(scale_code)) if scale_code is not None else None
            if scale_code is None:
                r.fail(scale_path, "required")
            elif scale is None:
                r.fail(scale_path, f"unknown scale {scale_code!r}")
            text_th = r.text(raw, "text_th", kpath) if len(raw_items) > 1 else ""
            items.append(SubItem(f"{code}.{k + 1}", text_th, str(raw.get("text_en", "")), scale or Scale("?", ())))
        questions.append(
            Question(
                code,
                indicator,
                r.text(body, "text_th", path),
                r.text(body, "text_en", path, required=False),
                tuple(items),
                str(body.get("note_th", "")),
            )
        )
    return tuple(questions)


def _parse_sub_indicators(r: _Reader, node: Any, ipath: str, indicator: str) -> tuple[SubIndicator, ...]:
    subs = []
    for j, body in enumerate(r.listing(node, f"{ipath}.sub_indicators")):
        path = f"{ipath}.sub_indicators[{j}]"
        body = r.mapping(body, path)
        number = r.text(body, "number", path)
        if number and not number.startswith(f"{indicator}."):
            r.fail(f"{path}.number", f"sub-indicator {number!r} must be numbered under indicator {indicator}")
        items = []
        for k, raw in enumerate(r.listing(body.get("items"), f"{path}.items")):
            kpath = f"{path}.items[{k}]"
            raw = r.mapping(raw, kpath)
            items.append(
                OitItem(
                    r.text(raw, "code", kpath),
                    number,
                    r.text(raw, "name_th", kpath),
                    r.text(raw, "name_en", kpath, required=False),
                    r.text(raw, "requires_th", kpath, required=False),
                )
            )
        subs.append(
            SubIndicator(
                number, r.text(body, "name_th", path), r.text(body, "name_en", path, required=False), tuple(items)
            )
        )
    return tuple(subs)


def _parse_bands(r: _Reader, node: Any) -> tuple[Band, ...]:
    bands = []
    for i, body in enumerate(r.listing(node, "bands")):
        path = f"bands[{i}]"
        body = r.mapping(body, path)
        minimum = r.number(body, "min", path)
        passed = body.get("passed", False)
        if not isinstance(passed, bool):
            r.fail(f"{path}.passed", "expected true or false")
        bands.append(
            Band(
                r.text(body, "code", path),
                minimum or Fraction(0),
                r.text(body, "label_th", path),
                r.text(body, "label_en", path, required=False),
                bool(passed),
            )
        )
    if bands and min(b.minimum for b in bands) != 0:
        r.fail("bands", "the lowest band must start at 0 so that every score has a band")
    _check_unique(r, "bands", [b.code for b in bands], "band code")
    return tuple(bands)


def _parse_sample_rules(r: _Reader, node: Any) -> dict[str, SampleRule]:
    rules: dict[str, SampleRule] = {}
    for tool, body in r.mapping(node or {}, "sample_rules").items():
        path = f"sample_rules.{tool}"
        if tool not in SURVEY_TOOLS:
            r.fail(path, f"sample rules apply to {' and '.join(SURVEY_TOOLS)} only")
            continue
        body = r.mapping(body, path)
        share = r.number(body, "share", path) if "share" in body else Fraction(0)
        maximum = r.integer(body, "maximum", path) if "maximum" in body else None
        rules[tool] = SampleRule(r.integer(body, "minimum", path), share or Fraction(0), maximum)
    return rules


def _parse_categories(r: _Reader, node: Any) -> tuple[RespondentCategory, ...]:
    cats = []
    for i, body in enumerate(r.listing(node, "respondent_categories", required=False)):
        path = f"respondent_categories[{i}]"
        body = r.mapping(body, path)
        cats.append(
            RespondentCategory(
                r.text(body, "code", path),
                r.text(body, "label_th", path),
                r.text(body, "label_en", path, required=False),
            )
        )
    _check_unique(r, "respondent_categories", [c.code for c in cats], "category code")
    return tuple(cats)


def _check_cross_references(r: _Reader, tools: tuple[Tool, ...], indicators: tuple[Indicator, ...]) -> None:
    for tool in tools:
        if tool.code and not any(i.tool == tool.code for i in indicators):
            r.fail("tools", f"tool {tool.code} has no indicators")


def _check_unique(r: _Reader, path: str, values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            r.fail(path, f"duplicate {what} {value!r}")
        seen.add(value)
