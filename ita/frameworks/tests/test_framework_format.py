"""The framework format is strict, and its JSON Schema says exactly what the loader accepts."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from ita.frameworks.services import SCHEMA_PATH, read_framework_file, schema_text
from ita.frameworks.spec import FORMAT, FrameworkError, indicator_kind, json_schema, parse_framework

SHIPPED = sorted(p.name for p in settings.ITA_FRAMEWORK_DIR.glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def shipped(name: str = "ita-2566-esa.yaml") -> dict[str, Any]:
    return yaml.safe_load((settings.ITA_FRAMEWORK_DIR / name).read_text(encoding="utf-8"))


def problems(doc: Any) -> list[str]:
    try:
        parse_framework(doc)
    except FrameworkError as exc:
        return exc.problems
    return []


def test_a_misspelt_top_level_key_is_refused_instead_of_falling_back_to_the_default_rule() -> None:
    doc = shipped()
    del doc["aggregation"]
    doc["aggregaton"] = "mean_of_subindicators"
    assert problems(doc) == [
        "aggregaton: unknown key; did you mean 'aggregation'?",
        "aggregation: required",
    ]


def test_keys_in_the_wrong_place_are_refused_and_their_place_is_named() -> None:
    doc = shipped()
    doc["indicators"][0]["weight"] = "0.10"
    doc["indicators"][0]["aggregation"] = "mean_of_items"
    doc["indicators"][0]["sub_indicators"] = copy.deepcopy(doc["indicators"][8]["sub_indicators"])
    doc["indicators"][8]["questions"] = []
    doc["indicators"][8]["sub_indicators"][0]["items"][0]["requires"] = "โครงสร้าง"
    assert problems(doc) == [
        "indicators[0].weight: 'weight' is not a key of an IIT or EIT indicator (it belongs to a tool)",
        "indicators[0].aggregation: 'aggregation' is not a key of an IIT or EIT indicator"
        " (it belongs to the framework or an OIT indicator)",
        "indicators[0].sub_indicators: 'sub_indicators' is not a key of an IIT or EIT indicator"
        " (it belongs to an OIT indicator)",
        "indicators[8].questions: 'questions' is not a key of an OIT indicator (it belongs to an IIT or EIT indicator)",
        "indicators[8].sub_indicators[0].items[0].requires: unknown key; did you mean 'requires_th'?",
    ]


def test_values_of_the_wrong_type_or_empty_are_refused() -> None:
    doc = shipped()
    doc["name_en"] = None
    doc["bands"][0]["passed"] = "yes"
    doc["tools"][0]["weight"] = "30%"
    doc["indicators"][0]["questions"][0]["items"] = []
    doc["indicators"][8]["sub_indicators"][1]["items"] = []
    assert problems(doc) == [
        "name_en: has no value (give one or remove the key)",
        "tools[0].weight: not a number: '30%' (write 30, 0.30 or 100/3)",
        "tools: weights must add up to 1, they add up to 0.7",
        "indicators[0].questions[0].items: expected a non-empty list",
        "indicators[8].sub_indicators[1].items: expected a non-empty list",
        "bands[0].passed: expected true or false",
    ]


def test_an_oit_indicator_may_set_its_own_rule_over_the_frameworks_default() -> None:
    doc = shipped()
    doc["aggregation"] = "mean_of_items"
    doc["indicators"][9]["aggregation"] = "mean_of_subindicators"
    spec = parse_framework(doc)
    assert spec.rule_for(spec.indicator("9")) == "mean_of_items"
    assert spec.rule_for(spec.indicator("10")) == "mean_of_subindicators"


def test_scores_and_weights_may_be_written_as_exact_fractions() -> None:
    doc = shipped()
    doc["scales"]["likert4_pos"]["options"][1]["score"] = "100/3"
    doc["scales"]["likert4_pos"]["options"][2]["score"] = "200/3"
    doc["tools"][0]["weight"] = "3/10"
    spec = parse_framework(doc)
    assert [str(o.score) for o in spec.scales["likert4_pos"].options] == ["0", "100/3", "200/3", "100"]
    assert str(spec.tool("IIT").weight) == "3/10"


def test_a_key_given_twice_in_a_file_is_refused(tmp_path: Path) -> None:
    text = (settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml").read_text(encoding="utf-8")
    path = tmp_path / "twice.yaml"
    path.write_text(text + "aggregation: mean_of_items\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="duplicate key 'aggregation'"):
        read_framework_file(path)


def test_validate_reports_every_problem_of_a_file_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = shipped()
    doc["aggregaton"] = doc.pop("aggregation")
    doc["indicators"][0]["weight"] = "0.10"
    doc["bands"][0]["min"] = "high"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="4 problem"):
        call_command("framework", "validate", str(path))
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "aggregaton: unknown key; did you mean 'aggregation'?",
        "aggregation: required",
        "indicators[0].weight: 'weight' is not a key of an IIT or EIT indicator (it belongs to a tool)",
        "bands[0].min: not a number: 'high' (write 30, 0.30 or 100/3)",
    ]


# --- the JSON Schema ------------------------------------------------------------------------


def test_the_schema_command_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("framework", "schema")
    printed = capsys.readouterr().out
    assert printed == schema_text()
    assert SCHEMA_PATH.read_text(encoding="utf-8") == printed, "run: ita framework schema > " + str(SCHEMA_PATH)
    jsonschema.Draft202012Validator.check_schema(json.loads(printed))


@pytest.mark.parametrize("name", SHIPPED)
def test_the_schema_accepts_every_shipped_framework(name: str) -> None:
    doc = shipped(name)
    assert list(VALIDATOR.iter_errors(doc)) == []
    assert problems(doc) == []


def objects(node: Any, kind: str, path: str) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Every mapping of a document with its kind in FORMAT and its path."""
    yield node, kind, path
    for key, spec in FORMAT[kind].keys.items():
        value = node.get(key)
        if spec.kind == "list" and isinstance(value, list):
            for i, entry in enumerate(value):
                sub = indicator_kind(entry) if spec.of == "indicator" else spec.of
                assert isinstance(sub, str)
                yield from objects(entry, sub, f"{path}.{key}[{i}]")
        elif spec.kind == "map" and spec.of in FORMAT and isinstance(value, dict):
            for name, entry in value.items():
                yield from objects(entry, spec.of, f"{path}.{key}.{name}")


def mutations() -> Iterator[tuple[str, dict[str, Any]]]:
    """Broken copies of the shipped framework: at every object an unknown key, a missing
    required key, a value of the wrong type, a list emptied."""
    base = shipped()
    wrong = {"text": [], "number": "lots", "integer": -1, "boolean": "yes", "choice": "other", "list": {}, "map": []}
    seen: set[tuple[str, str]] = set()
    for index, (_node, kind, path) in enumerate(objects(base, "framework", "$")):
        for key, spec in FORMAT[kind].keys.items():
            if (kind, key) in seen:  # each key of each kind once keeps the test quick
                continue
            seen.add((kind, key))
            changes: list[tuple[str, Any]] = [("wrong type", wrong[spec.kind])]
            if spec.required:
                changes.append(("missing", None))
            if spec.kind == "list" and spec.nonempty:
                changes.append(("empty", []))
            for label, change in changes:
                doc = copy.deepcopy(base)
                target = list(objects(doc, "framework", "$"))[index][0]
                if label == "missing":
                    del target[key]
                else:
                    target[key] = change
                yield f"{path}.{key} {label}", doc
        doc = copy.deepcopy(base)
        list(objects(doc, "framework", "$"))[index][0]["zzz_unknown"] = 1
        yield f"{path} unknown key", doc


@pytest.mark.parametrize(("case", "doc"), list(mutations()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_schema_and_the_loader_refuse_the_same_broken_documents(case: str, doc: dict[str, Any]) -> None:
    assert problems(doc), f"the loader accepts {case}"
    assert list(VALIDATOR.iter_errors(doc)), f"the schema accepts {case}"


def test_the_schema_refuses_the_misplaced_keys_the_loader_refuses() -> None:
    doc = shipped()
    doc["indicators"][0]["sub_indicators"] = copy.deepcopy(doc["indicators"][8]["sub_indicators"])
    assert problems(doc) and list(VALIDATOR.iter_errors(doc))
    doc = shipped()
    doc["indicators"][8]["aggregation"] = "median"
    assert problems(doc) and list(VALIDATOR.iter_errors(doc))
    doc = shipped()
    doc["sample_rules"]["OIT"] = {"minimum": 1}
    assert problems(doc) and list(VALIDATOR.iter_errors(doc))


def test_a_framework_may_declare_its_unit_types_and_must_use_one_it_knows() -> None:
    doc = shipped()
    doc["unit_type"] = "ministry"
    assert problems(doc) == [
        "unit_type: unknown unit type 'ministry' (use obec, esa or school, or declare it in unit_types)"
    ]
    doc["unit_types"] = [{"code": "ministry", "label_th": "กระทรวง"}, {"code": "a_very_long_code", "label_th": "x"}]
    assert problems(doc) == ["unit_types[1].code: at most 10 characters, got 'a_very_long_code'"]
    del doc["unit_types"][1]
    assert [t.code for t in parse_framework(doc).unit_types] == ["ministry"]


def test_a_band_condition_must_name_a_tool_and_a_score() -> None:
    doc = shipped()
    doc["bands"][0]["tool_minimums"] = {"IIT": 95, "XYZ": 95, "EIT": 120, "OIT": "high"}
    assert problems(doc) == [
        "bands[0].tool_minimums.XYZ: unknown tool 'XYZ' (use IIT, EIT or OIT)",
        "bands[0].tool_minimums.EIT: expected a score from 0 to 100, got 120",
        "bands[0].tool_minimums.OIT: expected a score from 0 to 100, got 'high'",
    ]
    assert list(VALIDATOR.iter_errors(doc))  # the schema refuses the unknown tool and the text
