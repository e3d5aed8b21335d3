from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from ita.frameworks.models import Framework
from ita.frameworks.services import do_load_framework
from ita.frameworks.spec import FrameworkError, parse_framework

SHIPPED = ["ita-2566-esa.yaml", "ita-2566-school.yaml", "ita-2566-nacc.yaml"]


def shipped(name: str = "ita-2566-esa.yaml") -> dict[str, Any]:
    return yaml.safe_load((settings.ITA_FRAMEWORK_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_frameworks_are_valid_and_complete(name: str) -> None:
    spec = parse_framework(shipped(name))
    assert [i.number for i in spec.indicators] == [str(n) for n in range(1, 11)]
    assert len(spec.questions_of("IIT")) == 30
    assert len(spec.sub_items_of("IIT")) == 51  # as in the NACC form (R4)
    assert [item.code for item in spec.oit_items] == [f"O{n}" for n in range(1, 44)]
    assert [s.number for s in spec.indicator("9").sub_indicators] == ["9.1", "9.2", "9.3", "9.4", "9.5"]
    assert [(t.code, str(t.weight)) for t in spec.tools] == [("IIT", "3/10"), ("EIT", "3/10"), ("OIT", "2/5")]
    # The rule the published figures need (docs/scoring.md): indicator 10 = 87.5 at สพป.สกลนคร เขต 1.
    assert spec.aggregation == "mean_of_subindicators" and spec.min_group_size == 5


def test_sample_rules_follow_the_framework() -> None:
    spec = parse_framework(shipped())
    iit, eit = spec.sample_rules["IIT"], spec.sample_rules["EIT"]
    assert [iit.required(n) for n in (0, 12, 25, 72, 400)] == [0, 12, 25, 25, 25]
    assert [eit.required(n) for n in (20, 100, 301, 1000, 4500, 9000)] == [20, 30, 31, 100, 400, 400]


def test_a_file_with_mistakes_is_refused_with_every_mistake_listed_by_path() -> None:
    doc = copy.deepcopy(shipped())
    doc["indicators"][3]["questions"][2]["scale"] = "likert5"
    doc["indicators"][0]["tool"] = "XYZ"
    doc["tools"][0]["weight"] = "0.5"
    del doc["bands"][6]
    doc["aggregation"] = "median"
    doc["indicators"][8]["sub_indicators"][0]["number"] = "8.1"
    with pytest.raises(FrameworkError) as caught:
        parse_framework(doc)
    assert caught.value.problems == [
        "aggregation: unknown rule 'median' (use mean_of_items or mean_of_subindicators)",
        "tools: weights must add up to 1, they add up to 1.2",
        "indicators[0].tool: unknown tool 'XYZ' (use IIT, EIT or OIT)",
        "indicators[3].questions[2].scale: unknown scale 'likert5'",
        "indicators[8].sub_indicators[0].number: sub-indicator '8.1' must be numbered under indicator 9",
        "bands: the lowest band must start at 0 so that every score has a band",
    ]


def test_a_document_that_is_not_a_mapping_or_not_yaml_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"^\$: expected a mapping"):
        parse_framework(["not", "a", "framework"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("framework", "validate", str(bad))


def test_validate_command_names_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = shipped()
    doc["indicators"][3]["questions"][2]["scale"] = "likert5"
    doc["min_group_size"] = -1
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="2 problem"):
        call_command("framework", "validate", str(path))
    err = capsys.readouterr().err
    assert "indicators[3].questions[2].scale: unknown scale 'likert5'" in err
    assert "min_group_size: expected a whole number >= 0, got -1" in err


@pytest.mark.django_db
def test_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    doc = shipped()
    doc["indicators"][0]["questions"][0]["scale"] = "nope"
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("framework", "load", str(path))
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_loading_is_idempotent_and_a_framework_in_use_cannot_change(tmp_path: Path, tree: dict[str, Any]) -> None:
    from ita.assessments.services import do_create_assessment

    path = settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml"
    framework, changed = do_load_framework(path)
    assert changed
    assert do_load_framework(path) == (framework, False)
    do_create_assessment(slug="a", name_th="ก", framework=framework, run_by=tree["obec"])

    edited = tmp_path / "edited.yaml"
    edited.write_text(
        path.read_text(encoding="utf-8").replace("min_group_size: 5", "min_group_size: 7"), encoding="utf-8"
    )
    with pytest.raises(FrameworkError, match="used by an assessment"):
        do_load_framework(edited)
    assert Framework.objects.get().spec.min_group_size == 5

    edited.write_text(edited.read_text(encoding="utf-8").replace("version: 2", "version: 3"), encoding="utf-8")
    v3, _ = do_load_framework(edited)
    assert (v3.version, v3.spec.min_group_size) == (3, 7)
    assert Framework.objects.count() == 2


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_wording_says_where_it_comes_from_and_whether_it_is_verified(name: str) -> None:
    spec = parse_framework(shipped(name))
    questions = {q.code: q for q in spec.questions_of("IIT")}
    assert questions["i1"].text_th.startswith("บุคลากรในหน่วยงานของท่าน ปฏิบัติงาน/ให้บริการแก่ผู้มาติดต่อ")
    assert all(q.source.startswith("S1") and q.verified is False for c, q in questions.items() if c != "i10")
    assert questions["i10"].verified is False and "draft" in questions["i10"].source  # no source has it
    assert questions["i30"].items[3].text_th == "มั่นใจว่าจะปลอดภัยและไม่มีผลกระทบต่อตนเอง"
    items = {item.code: item for item in spec.oit_items}
    assert "6 เดือนแรกของปี พ.ศ. 2566" in items["O24"].requires_th and items["O24"].source.startswith("S10")
    assert "แยกต่างหากจากช่องทางการร้องเรียนเรื่องทั่วไป" in items["O28"].requires_th
    assert all(part in items["O40"].requires_th for part in ("(1)", "(2)", "(3)"))
    assert all(items[c].verified is True for c in ("O24", "O28", "O31", "O40"))
    assert items["O1"].verified is None  # not yet checked against a source
