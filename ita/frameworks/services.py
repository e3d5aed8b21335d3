"""Loading frameworks: validate the whole file first, then store it in one transaction."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ita.accounts.models import Actor
from ita.audit.services import record
from ita.frameworks.models import Framework
from ita.frameworks.spec import FrameworkError, FrameworkSpec, json_schema, parse_framework

SCHEMA_PATH = Path(__file__).parent / "framework.schema.json"


def schema_text() -> str:
    """The JSON Schema of the framework format, as committed in framework.schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (plain YAML keeps the last one, so a
    second ``aggregation:`` further down a file would win without a word)."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load_yaml(source: str) -> Any:
    return yaml.load(source, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)


def read_framework_file(path: Path) -> tuple[str, Any, FrameworkSpec]:
    """Read and validate a framework file; raises FrameworkError listing every problem."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([f"{path}: cannot read the file ({exc})"]) from None
    try:
        document = load_yaml(source)
    except yaml.YAMLError as exc:
        raise FrameworkError([f"$: not valid YAML ({exc})"]) from None
    return source, document, parse_framework(document)


@transaction.atomic
def do_load_framework(path: Path, actor: Actor = None) -> tuple[Framework, bool]:
    """Store a framework version. Loading the same file again changes nothing; loading a
    changed file over a version that an assessment uses is refused."""
    source, document, spec = read_framework_file(path)
    digest = hashlib.sha256(source.encode()).hexdigest()
    existing = Framework.objects.select_for_update().filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        if existing.in_use:
            raise FrameworkError(
                [
                    f"version: {spec.slug} v{spec.version} is used by an assessment and cannot change; "
                    f"give the file version: {spec.version + 1} and load it as a new version"
                ]
            )
    fields = dict(
        fiscal_year=spec.fiscal_year,
        unit_type=spec.unit_type,
        name_th=spec.name_th,
        name_en=spec.name_en,
        source=source,
        document=document,
        sha256=digest,
    )
    framework, created = Framework.objects.update_or_create(slug=spec.slug, version=spec.version, defaults=fields)
    record("framework.loaded" if created else "framework.replaced", actor=actor, target=str(framework), sha256=digest)
    return framework, True
