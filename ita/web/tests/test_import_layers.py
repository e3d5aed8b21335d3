"""Imports follow the flow of an assessment (docs/architecture.md, "Layers"): a module may import
from its own app and the apps in layers below it, never from a layer above. The test reads every
module's imports (``ast``, nothing is executed) and names each import that runs against the flow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the ita package

# Lowest first. Apps in one layer may not import each other either, except where listed below.
LAYERS: list[set[str]] = [
    {"lib"},
    {"units"},
    {"accounts"},  # users, memberships, the access policy
    {"audit"},
    {"frameworks"},
    {"assessments"},
    {"jobs"},
    {"surveys", "disclosure"},
    {"scoring"},
    {"results"},
    {"improvement"},
    {"reports"},
    {"flow"},  # the one orchestration point: where an earlier app's action must reach later apps
    {"api", "web", "demo", "bench", "ops"},  # the shell, the demo data and the benchmarks
]
SAME_LAYER_ALLOWED: set[tuple[str, str]] = {("web", "demo"), ("web", "bench"), ("bench", "demo")}
# Modules that stand apart from their app's layer (pure code any layer may use).
SHARED_MODULES = ("ita.scoring.engine", "ita.frameworks.spec")
# The access policy is the one place that decides who sees what, so it reads the rows that
# decide it wherever they live: assessor assignments, assessments, audit entries. Models only.
POLICY_READS = {"ita.assessments.models", "ita.audit.models", "ita.disclosure.models"}

LEVEL = {app: i for i, layer in enumerate(LAYERS) for app in layer}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "ita":
        return None
    return parts[1]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ita":  # from ita import flow
            found.extend(f"ita.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if len(rel.parts) < 2 or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        out.append((rel.parts[0], path))
    return out


def against_the_flow() -> list[str]:
    problems = []
    for app, path in _modules():
        for module in _imports(path):
            other = _app_of(module)
            if other is None or other == app or other not in LEVEL or app not in LEVEL:
                continue
            if module.startswith(SHARED_MODULES):
                continue
            if path.name == "policy.py" and app == "accounts" and module in POLICY_READS:
                continue
            if LEVEL[other] > LEVEL[app] or (LEVEL[other] == LEVEL[app] and (app, other) not in SAME_LAYER_ALLOWED):
                problems.append(f"{path.relative_to(ROOT.parent)} imports {module}")
    return sorted(set(problems))


def test_every_app_has_a_layer() -> None:
    apps = {path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert apps - set(LEVEL) == set()


def test_no_module_imports_against_the_flow() -> None:
    assert against_the_flow() == []


@pytest.mark.parametrize(
    ("app", "module", "wrong"),
    [("surveys", "ita.results.models", True), ("results", "ita.surveys.models", False)],
)
def test_the_layer_check_itself_tells_up_from_down(app: str, module: str, wrong: bool) -> None:
    other = _app_of(module)
    assert other is not None
    assert (LEVEL[other] > LEVEL[app]) is wrong
