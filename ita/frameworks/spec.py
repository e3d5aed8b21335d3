"""The ITA framework as typed data, and the validator that turns a YAML document into it.

Plain Python (no Django) so that the scoring engine, the loader and the tests share one
reading of the file. `parse_framework()` collects *every* problem with its path in the file
(``indicators[3].questions[2].scale: unknown scale 'likert5'``) before it gives up, so a
coordinator fixes a file in one pass instead of one error at a time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

TOOLS = ("IIT", "EIT", "OIT")
SURVEY_TOOLS = ("IIT", "EIT")
AGGREGATION_RULES = ("mean_of_items", "mean_of_subindicators")
UNIT_TYPES = ("obec", "esa", "school")
DEFAULT_AGGREGATION = "mean_of_items"


# --- the format -----------------------------------------------------------------------------
# One definition of every key a framework file may hold. The loader checks documents against
# it (unknown, misplaced and missing keys, value types) and `json_schema()` publishes it, so the
# two cannot drift apart. Semantic checks (weights add up to 1, scales exist, ...) stay in the
# parse functions below.


@dataclass(frozen=True)
class Key:
    kind: str  # text, number, integer, boolean, choice, list, map
    required: bool = False
    doc: str = ""
    of: str = ""  # the object kind of a list's or map's entries
    choices: tuple[str, ...] = ()
    nonempty: bool = True  # lists only
    noun: str = ""  # how a choice's problem names the value: "unknown rule 'median'"
    key_choices: tuple[str, ...] = ()  # maps only: the keys allowed

    @property
    def doc_noun(self) -> str:
        return self.noun or "value"


@dataclass(frozen=True)
class Kind:
    name: str  # how messages name it: "an OIT indicator"
    keys: Mapping[str, Key]


_TEXT_TH = Key("text", True, "Thai text")
_TEXT_EN = Key("text", doc="English text")
_SOURCE = Key("text", doc="where this comes from (a source id such as S5, or a URL)")
_VERIFIED = Key("boolean", doc="true when a public source confirms it; false marks a draft")

FORMAT: dict[str, Kind] = {
    "framework": Kind(
        "the framework",
        {
            "slug": Key("text", True, "identifies the framework, with version"),
            "version": Key("integer", doc="a framework used by an assessment never changes: load a new version"),
            "fiscal_year": Key("integer", True, "Buddhist Era, e.g. 2566"),
            "unit_type": Key("text", True, "the kind of unit assessed: obec, esa, school or one of unit_types"),
            "unit_types": Key("list", doc="kinds of unit beyond obec, esa and school", of="unit_type"),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "aggregation": Key(
                "choice",
                True,
                "how an OIT indicator combines its sub-indicators, unless the indicator says otherwise",
                choices=AGGREGATION_RULES,
                noun="rule",
            ),
            "aggregation_source": _SOURCE,
            "min_group_size": Key("integer", doc="no result of a smaller group is shown (default 5)"),
            "scales": Key("map", True, "answer scales by code", of="scale"),
            "tools": Key("list", True, "IIT, EIT, OIT with weights adding up to 1", of="tool"),
            "sample_rules": Key(
                "map", doc="minimum respondents per survey tool", of="sample_rule", key_choices=SURVEY_TOOLS
            ),
            "respondent_categories": Key("list", doc="EIT respondents choose one", of="category", nonempty=False),
            "indicators": Key("list", True, of="indicator"),
            "bands": Key("list", True, "score bands; the lowest starts at 0", of="band"),
        },
    ),
    "scale": Kind(
        "a scale",
        {"options": Key("list", True, of="option"), "source": _SOURCE, "verified": _VERIFIED},
    ),
    "option": Kind(
        "a scale option",
        {
            "label_th": _TEXT_TH,
            "label_en": _TEXT_EN,
            "score": Key("number", True, "0-100; exact: 33, 33.33 or 100/3"),
        },
    ),
    "tool": Kind(
        "a tool",
        {
            "code": Key("choice", True, choices=TOOLS, noun="tool"),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "weight": Key("number", True, "share of the total, e.g. 0.30 or 3/10"),
            "source": _SOURCE,
            "verified": _VERIFIED,
        },
    ),
    "sample_rule": Kind(
        "a sample rule",
        {
            "minimum": Key("integer", True),
            "share": Key("number", doc="share of the population, e.g. 0.10"),
            "maximum": Key("integer"),
            "source": _SOURCE,
            "verified": _VERIFIED,
        },
    ),
    "unit_type": Kind(
        "a unit type",
        {"code": Key("text", True, "at most 10 characters"), "label_th": _TEXT_TH, "label_en": _TEXT_EN},
    ),
    "category": Kind("a respondent category", {"code": Key("text", True), "label_th": _TEXT_TH, "label_en": _TEXT_EN}),
    "survey_indicator": Kind(
        "an IIT or EIT indicator",
        {
            "number": Key("text", True),
            "tool": Key("choice", True, choices=SURVEY_TOOLS, noun="tool"),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "questions": Key("list", True, of="question"),
        },
    ),
    "oit_indicator": Kind(
        "an OIT indicator",
        {
            "number": Key("text", True),
            "tool": Key("choice", True, choices=("OIT",), noun="tool"),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "aggregation": Key("choice", doc="overrides the framework's rule", choices=AGGREGATION_RULES, noun="rule"),
            "aggregation_source": _SOURCE,
            "sub_indicators": Key("list", True, of="sub_indicator"),
        },
    ),
    "question": Kind(
        "a question",
        {
            "code": Key("text", True),
            "text_th": _TEXT_TH,
            "text_en": _TEXT_EN,
            "note_th": Key("text", doc="a note printed under the question"),
            "scale": Key("text", doc="the scale code; the default for its items"),
            "items": Key("list", doc="sub-items; a question without them has one", of="sub_item"),
            "source": _SOURCE,
            "verified": _VERIFIED,
        },
    ),
    "sub_item": Kind(
        "a question's sub-item",
        {"text_th": _TEXT_TH, "text_en": _TEXT_EN, "scale": Key("text"), "source": _SOURCE, "verified": _VERIFIED},
    ),
    "sub_indicator": Kind(
        "a sub-indicator",
        {
            "number": Key("text", True),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "items": Key("list", True, of="oit_item"),
        },
    ),
    "oit_item": Kind(
        "an OIT item",
        {
            "code": Key("text", True),
            "name_th": _TEXT_TH,
            "name_en": _TEXT_EN,
            "requires_th": Key("text", doc="what the evidence must show"),
            "source": _SOURCE,
            "verified": _VERIFIED,
        },
    ),
    "band": Kind(
        "a band",
        {
            "code": Key("text", True),
            "min": Key("number", True, "lowest displayed total in the band"),
            "label_th": _TEXT_TH,
            "label_en": _TEXT_EN,
            "passed": Key("boolean"),
            "tool_minimums": Key(
                "map", doc="minimum displayed score per tool, e.g. {IIT: 95}", of="number", key_choices=TOOLS
            ),
            "source": _SOURCE,
            "verified": _VERIFIED,
        },
    ),
}
INDICATOR_KINDS = ("survey_indicator", "oit_indicator")
# How an indicator whose tool is not known yet is checked: any indicator key is allowed, and
# the tool problem lists every tool.
_ANY_INDICATOR = Kind(
    "an indicator",
    {
        **FORMAT["survey_indicator"].keys,
        **FORMAT["oit_indicator"].keys,
        "tool": Key("choice", True, choices=TOOLS, noun="tool"),
        "questions": Key("list", of="question"),
        "sub_indicators": Key("list", of="sub_indicator"),
    },
)
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?(/[1-9][0-9]*)?$")


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
    source: str = ""
    verified: bool | None = None  # None: the file does not say


@dataclass(frozen=True)
class Question:
    code: str
    indicator: str
    text_th: str
    text_en: str
    items: tuple[SubItem, ...]
    note_th: str = ""
    source: str = ""
    verified: bool | None = None


@dataclass(frozen=True)
class OitItem:
    code: str
    sub_indicator: str
    name_th: str
    name_en: str
    requires_th: str
    source: str = ""
    verified: bool | None = None


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
    aggregation: str | None = None  # None: the framework's rule

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
    # Minimum displayed score per tool, on top of the total (NACC's 2566 scheme: "each of IIT,
    # EIT and OIT at least 95").
    tool_minimums: Mapping[str, Fraction] = field(default_factory=dict, hash=False)
    source: str = ""
    verified: bool | None = None


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
    aggregation_source: str = ""
    unit_types: tuple[UnitTypeSpec, ...] = ()

    def rule_for(self, indicator: Indicator) -> str:
        """The aggregation rule of an OIT indicator: its own, else the framework's."""
        return indicator.aggregation or self.aggregation

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

    def band_for(self, score: Fraction, tools: Mapping[str, Fraction | None] | None = None) -> Band:
        """The band of an unrounded score: bands are judged on the value as displayed
        (84.995 shows as 85.00 and so is an A), which is what a reader of the report checks.

        A unit's rating passes its tool scores too, for bands with tool minimums; the highest
        band whose every condition holds wins (the stricter of two bands with the same minimum
        first). Without ``tools`` only the totals' thresholds count: right for the level of a
        single score such as an indicator, never for a unit's rating under such bands."""
        from ita.lib.rounding import round_half_up

        shown = Fraction(round_half_up(score))
        for band in sorted(self.bands, key=lambda b: (b.minimum, len(b.tool_minimums)), reverse=True):
            if shown < band.minimum:
                continue
            if tools is not None and not all(
                (value := tools.get(code)) is not None and Fraction(round_half_up(value)) >= minimum
                for code, minimum in band.tool_minimums.items()
            ):
                continue
            return band
        return min(self.bands, key=lambda b: b.minimum)

    @property
    def bands_have_tool_conditions(self) -> bool:
        return any(b.tool_minimums for b in self.bands)


@dataclass(frozen=True)
class UnitTypeSpec:
    code: str
    label_th: str
    label_en: str


class FrameworkError(ValueError):
    """Raised with every problem found in a framework document."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Reader:
    """Walks a YAML document and collects problems with their paths instead of stopping.

    `obj()` checks a mapping against its kind in FORMAT and reports every problem of shape
    and type; the other helpers then read values quietly (a bad value reads as empty), so a
    problem is reported once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, node: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(node, Mapping):
            self.fail(path, "expected a mapping")
            return {}
        return node

    def obj(self, node: Any, kind: str | Kind, path: str) -> Mapping[str, Any]:
        """The mapping at ``path`` checked against its kind in FORMAT: unknown or misplaced
        keys, missing required keys and values of the wrong type are all problems."""
        body = self.mapping(node, path)
        form = FORMAT[kind] if isinstance(kind, str) else kind
        keys = form.keys
        for key in body:
            if key not in keys:
                self.fail(f"{path}.{key}", _unknown_key(str(key), form))
        for key, spec in keys.items():
            if key not in body:
                if spec.required:
                    self.fail(f"{path}.{key}", "required")
            elif (problem := value_problem(spec, body[key])) is not None:
                self.fail(f"{path}.{key}", problem)
        return body

    @staticmethod
    def listing(node: Any) -> list[Any]:
        return node if isinstance(node, list) else []

    @staticmethod
    def text(node: Mapping[str, Any], key: str) -> str:
        value = node.get(key)
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""

    @staticmethod
    def number(node: Mapping[str, Any], key: str) -> Fraction | None:
        return to_fraction(node.get(key))

    @staticmethod
    def integer(node: Mapping[str, Any], key: str, default: int = 0) -> int:
        value = node.get(key, default)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def to_fraction(value: Any) -> Fraction | None:
    """A number of the format, exactly: 30, "0.30" (3/10, not the float nearest it), "100/3"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value) if value >= 0 else None
    if isinstance(value, float):
        # YAML reads an unquoted 0.3 as a float; its shortest repr is the decimal that was written.
        return Fraction(Decimal(repr(value))) if value >= 0 and value not in (float("inf"),) else None
    if isinstance(value, str) and _NUMBER.match(value):
        return Fraction(value)
    return None


def value_problem(key: Key, value: Any) -> str | None:
    """What is wrong with a value of a key, or None."""
    if value is None:
        return "has no value (give one or remove the key)"
    if key.kind == "text":
        ok = isinstance(value, str | int) and not isinstance(value, bool)
        return None if ok else "expected text"
    if key.kind == "number":
        return None if to_fraction(value) is not None else f"not a number: {value!r} (write 30, 0.30 or 100/3)"
    if key.kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"expected a whole number >= 0, got {value!r}"
    if key.kind == "boolean":
        return None if isinstance(value, bool) else "expected true or false"
    if key.kind == "choice":
        return None if value in key.choices else f"unknown {key.doc_noun} {value!r} (use {_alternatives(key.choices)})"
    if key.kind == "list":
        if not isinstance(value, list) or (key.nonempty and not value):
            return "expected a non-empty list" if key.nonempty else "expected a list"
        return None
    return None if isinstance(value, Mapping) else "expected a mapping"


def _alternatives(choices: Sequence[str]) -> str:
    return " or ".join(choices) if len(choices) <= 2 else ", ".join(choices[:-1]) + f" or {choices[-1]}"


def _unknown_key(key: str, form: Kind) -> str:
    homes = [k.name for k in FORMAT.values() if key in k.keys and k is not form]
    if homes:
        return f"{key!r} is not a key of {form.name} (it belongs to {' or '.join(homes)})"
    close = difflib.get_close_matches(key, list(form.keys), n=1)
    return f"unknown key; did you mean {close[0]!r}?" if close else f"unknown key of {form.name}"


def parse_framework(doc: Any) -> FrameworkSpec:
    """Validate a framework document (already parsed from YAML) and build the spec."""
    r = _Reader()
    root = r.obj(doc, "framework", "$")
    scales = _parse_scales(r, root.get("scales"))
    tools = _parse_tools(r, root.get("tools"))
    indicators = _parse_indicators(r, root.get("indicators"), scales, {t.code for t in tools})
    bands = _parse_bands(r, root.get("bands"))
    _check_cross_references(r, tools, indicators)
    spec = FrameworkSpec(
        slug=r.text(root, "slug"),
        version=r.integer(root, "version", default=1),
        fiscal_year=r.integer(root, "fiscal_year"),
        unit_type=r.text(root, "unit_type"),
        name_th=r.text(root, "name_th"),
        name_en=r.text(root, "name_en"),
        aggregation=r.text(root, "aggregation") or DEFAULT_AGGREGATION,
        min_group_size=r.integer(root, "min_group_size", default=5),
        tools=tools,
        indicators=indicators,
        bands=bands,
        sample_rules=_parse_sample_rules(r, root.get("sample_rules")),
        respondent_categories=_parse_categories(r, root.get("respondent_categories")),
        scales=scales,
        aggregation_source=r.text(root, "aggregation_source"),
        unit_types=_parse_unit_types(r, root),
    )
    if spec.fiscal_year and not 2500 <= spec.fiscal_year <= 2700:
        r.fail("fiscal_year", f"expected a Buddhist Era year such as 2566, got {spec.fiscal_year}")
    if r.problems:
        raise FrameworkError([p.removeprefix("$.") for p in r.problems])
    return spec


def _parse_unit_types(r: _Reader, root: Mapping[str, Any]) -> tuple[UnitTypeSpec, ...]:
    """The unit types a framework declares; its unit_type must be one of them or built in."""
    types = []
    for i, body in enumerate(r.listing(root.get("unit_types"))):
        path = f"unit_types[{i}]"
        body = r.obj(body, "unit_type", path)
        code = r.text(body, "code")
        if len(code) > 10:
            r.fail(f"{path}.code", f"at most 10 characters, got {code!r}")
        types.append(UnitTypeSpec(code, r.text(body, "label_th"), r.text(body, "label_en")))
    _check_unique(r, "unit_types", [t.code for t in types], "unit type")
    known = (*UNIT_TYPES, *(t.code for t in types))
    unit_type = r.text(root, "unit_type")
    if unit_type and unit_type not in known:
        hint = f"use {_alternatives(known)}, or declare it in unit_types"
        r.fail("unit_type", f"unknown unit type {unit_type!r} ({hint})")
    return tuple(types)


def _verified(node: Mapping[str, Any]) -> bool | None:
    value = node.get("verified")
    return value if isinstance(value, bool) else None


def _parse_scales(r: _Reader, node: Any) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    for code, body in (node if isinstance(node, Mapping) else {}).items():
        path = f"scales.{code}"
        body = r.obj(body, "scale", path)
        options = []
        for i, opt in enumerate(r.listing(body.get("options"))):
            opath = f"{path}.options[{i}]"
            opt = r.obj(opt, "option", opath)
            score = r.number(opt, "score")
            if score is not None and not 0 <= score <= 100:
                r.fail(f"{opath}.score", f"must lie in 0-100, got {float(score):g}")
            options.append(ScaleOption(r.text(opt, "label_th"), r.text(opt, "label_en"), score or Fraction(0)))
        if len(options) == 1:
            r.fail(f"{path}.options", "a scale needs at least two options")
        scales[str(code)] = Scale(str(code), tuple(options))
    return scales


def _parse_tools(r: _Reader, node: Any) -> tuple[Tool, ...]:
    tools = []
    for i, body in enumerate(r.listing(node)):
        body = r.obj(body, "tool", f"tools[{i}]")
        tools.append(
            Tool(
                r.text(body, "code"),
                r.text(body, "name_th"),
                r.text(body, "name_en"),
                r.number(body, "weight") or Fraction(0),
            )
        )
    if tools and sum((t.weight for t in tools), Fraction(0)) != 1:
        total = sum((t.weight for t in tools), Fraction(0))
        r.fail("tools", f"weights must add up to 1, they add up to {float(total):g}")
    codes = [t.code for t in tools]
    if len(set(codes)) != len(codes):
        r.fail("tools", "a tool is listed twice")
    return tuple(tools)


def indicator_kind(body: Any) -> str | Kind:
    """The kind an indicator entry is read as, by its tool."""
    tool = body.get("tool") if isinstance(body, Mapping) else None
    if tool == "OIT":
        return "oit_indicator"
    return "survey_indicator" if tool in SURVEY_TOOLS else _ANY_INDICATOR


def _parse_indicators(
    r: _Reader, node: Any, scales: Mapping[str, Scale], tool_codes: set[str]
) -> tuple[Indicator, ...]:
    indicators = []
    for i, body in enumerate(r.listing(node)):
        path = f"indicators[{i}]"
        body = r.obj(body, indicator_kind(body), path)
        number = r.text(body, "number")
        tool = r.text(body, "tool")
        if tool in TOOLS and tool not in tool_codes:
            r.fail(f"{path}.tool", f"tool {tool!r} is not listed under tools")
        questions: tuple[Question, ...] = ()
        subs: tuple[SubIndicator, ...] = ()
        if tool == "OIT":
            subs = _parse_sub_indicators(r, body.get("sub_indicators"), path, number)
        elif tool in SURVEY_TOOLS:
            questions = _parse_questions(r, body.get("questions"), path, number, scales)
        indicators.append(
            Indicator(
                number,
                tool,
                r.text(body, "name_th"),
                r.text(body, "name_en"),
                questions,
                subs,
                aggregation=r.text(body, "aggregation") or None,
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
    for j, body in enumerate(r.listing(node)):
        path = f"{ipath}.questions[{j}]"
        body = r.obj(body, "question", path)
        code = r.text(body, "code")
        listed = "items" in body
        raw_items = [r.obj(raw, "sub_item", f"{path}.items[{k}]") for k, raw in enumerate(r.listing(body.get("items")))]
        items = []
        for k, raw in enumerate(raw_items if listed else [{}]):
            scale_code = raw.get("scale", body.get("scale"))
            scale_path = f"{path}.items[{k}].scale" if "scale" in raw else f"{path}.scale"
            scale = scales.get(str(scale_code)) if scale_code is not None else None
            if scale_code is None:
                r.fail(scale_path, "required")
            elif scale is None:
                r.fail(scale_path, f"unknown scale {scale_code!r}")
            items.append(
                SubItem(
                    f"{code}.{k + 1}",
                    r.text(raw, "text_th"),
                    r.text(raw, "text_en"),
                    scale or Scale("?", ()),
                    source=r.text(raw, "source"),
                    verified=_verified(raw),
                )
            )
        questions.append(
            Question(
                code,
                indicator,
                r.text(body, "text_th"),
                r.text(body, "text_en"),
                tuple(items),
                r.text(body, "note_th"),
                source=r.text(body, "source"),
                verified=_verified(body),
            )
        )
    return tuple(questions)


def _parse_sub_indicators(r: _Reader, node: Any, ipath: str, indicator: str) -> tuple[SubIndicator, ...]:
    subs = []
    for j, body in enumerate(r.listing(node)):
        path = f"{ipath}.sub_indicators[{j}]"
        body = r.obj(body, "sub_indicator", path)
        number = r.text(body, "number")
        if number and not number.startswith(f"{indicator}."):
            r.fail(f"{path}.number", f"sub-indicator {number!r} must be numbered under indicator {indicator}")
        items = []
        for k, raw in enumerate(r.listing(body.get("items"))):
            raw = r.obj(raw, "oit_item", f"{path}.items[{k}]")
            items.append(
                OitItem(
                    r.text(raw, "code"),
                    number,
                    r.text(raw, "name_th"),
                    r.text(raw, "name_en"),
                    r.text(raw, "requires_th"),
                    source=r.text(raw, "source"),
                    verified=_verified(raw),
                )
            )
        subs.append(SubIndicator(number, r.text(body, "name_th"), r.text(body, "name_en"), tuple(items)))
    return tuple(subs)


def _parse_bands(r: _Reader, node: Any) -> tuple[Band, ...]:
    bands = []
    for i, body in enumerate(r.listing(node)):
        path = f"bands[{i}]"
        body = r.obj(body, "band", path)
        bands.append(
            Band(
                r.text(body, "code"),
                r.number(body, "min") or Fraction(0),
                r.text(body, "label_th"),
                r.text(body, "label_en"),
                body.get("passed") is True,
                _parse_tool_minimums(r, body.get("tool_minimums"), f"{path}.tool_minimums"),
                source=r.text(body, "source"),
                verified=_verified(body),
            )
        )
    if bands and min(b.minimum for b in bands) != 0:
        r.fail("bands", "the lowest band must start at 0 so that every score has a band")
    _check_unique(r, "bands", [b.code for b in bands], "band code")
    return tuple(bands)


def _parse_tool_minimums(r: _Reader, node: Any, path: str) -> dict[str, Fraction]:
    minimums: dict[str, Fraction] = {}
    for code, value in (node if isinstance(node, Mapping) else {}).items():
        if code not in TOOLS:
            r.fail(f"{path}.{code}", f"unknown tool {code!r} (use {_alternatives(TOOLS)})")
        elif (minimum := to_fraction(value)) is None or minimum > 100:
            r.fail(f"{path}.{code}", f"expected a score from 0 to 100, got {value!r}")
        else:
            minimums[str(code)] = minimum
    return minimums


def _parse_sample_rules(r: _Reader, node: Any) -> dict[str, SampleRule]:
    rules: dict[str, SampleRule] = {}
    for tool, body in (node if isinstance(node, Mapping) else {}).items():
        path = f"sample_rules.{tool}"
        if tool not in SURVEY_TOOLS:
            r.fail(path, f"sample rules apply to {' and '.join(SURVEY_TOOLS)} only")
            continue
        body = r.obj(body, "sample_rule", path)
        maximum = r.integer(body, "maximum") if "maximum" in body else None
        rules[tool] = SampleRule(r.integer(body, "minimum"), r.number(body, "share") or Fraction(0), maximum)
    return rules


def _parse_categories(r: _Reader, node: Any) -> tuple[RespondentCategory, ...]:
    cats = []
    for i, body in enumerate(r.listing(node)):
        body = r.obj(body, "category", f"respondent_categories[{i}]")
        cats.append(RespondentCategory(r.text(body, "code"), r.text(body, "label_th"), r.text(body, "label_en")))
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


def shape_problems(spec: FrameworkSpec) -> list[str]:
    """What makes a spec unscoreable however it was built (a file, or code in a test): an
    indicator or sub-indicator without items would otherwise be skipped without a word."""
    problems = []
    for ind in spec.indicators:
        if ind.tool in SURVEY_TOOLS and not ind.questions:
            problems.append(f"indicator {ind.number} has no questions")
        for q in ind.questions:
            if not q.items:
                problems.append(f"question {q.code} has no items")
        if ind.tool == "OIT":
            if not ind.sub_indicators:
                problems.append(f"indicator {ind.number} has no sub-indicators")
            problems.extend(f"sub-indicator {sub.number} has no items" for sub in ind.sub_indicators if not sub.items)
        rule = spec.rule_for(ind)
        if rule not in AGGREGATION_RULES:
            problems.append(f"indicator {ind.number}: unknown rule {rule!r}")
    return problems


# --- JSON Schema ----------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The format as a JSON Schema (draft 2020-12), built from FORMAT, the loader's own
    definitions. It checks shape and types; the loader's semantic checks (weights add up to 1,
    scales exist, numbering) are beyond a schema and stay in `parse_framework`."""
    defs: dict[str, Any] = {name: _kind_schema(kind) for name, kind in FORMAT.items() if name != "framework"}
    defs["indicator"] = {"oneOf": [{"$ref": f"#/$defs/{name}"} for name in INDICATOR_KINDS]}
    root = _kind_schema(FORMAT["framework"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ITA Online framework",
        **root,
        "$defs": defs,
    }


def _kind_schema(kind: Kind) -> dict[str, Any]:
    return {
        "description": kind.name,
        "type": "object",
        "properties": {key: _key_schema(spec) for key, spec in kind.keys.items()},
        "required": [key for key, spec in kind.keys.items() if spec.required],
        "additionalProperties": False,
    }


def _key_schema(key: Key) -> dict[str, Any]:
    out: dict[str, Any] = {"description": key.doc} if key.doc else {}
    if key.kind == "text":
        out["type"] = ["string", "integer"]
    elif key.kind == "number":
        out["anyOf"] = [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _NUMBER.pattern}]
    elif key.kind == "integer":
        out.update(type="integer", minimum=0)
    elif key.kind == "boolean":
        out["type"] = "boolean"
    elif key.kind == "choice":
        out["enum"] = list(key.choices)
    elif key.kind == "list":
        out.update(type="array", items={"$ref": f"#/$defs/{key.of}"})
        if key.nonempty:
            out["minItems"] = 1
    else:
        entries = {"$ref": f"#/$defs/{key.of}"} if key.of in FORMAT else _key_schema(Key(key.of))
        out.update(type="object", additionalProperties=entries)
        if key.key_choices:
            out["propertyNames"] = {"enum": list(key.key_choices)}
    return out
