"""Loading frameworks: validate the whole file first, then store it in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ita.audit.services import record
from ita.frameworks.models import Framework
from ita.frameworks.spec import FrameworkError, FrameworkSpec, parse_framework


def read_framework_file(path: Path) -> tuple[str, Any, FrameworkSpec]:
    """Read and validate a framework file; raises FrameworkError listing every problem."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([f"{path}: cannot read the file ({exc})"]) from None
    try:
        document = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise FrameworkError([f"$: not valid YAML ({exc})"]) from None
    return source, document, parse_framework(document)


@transaction.atomic
def do_load_framework(path: Path, actor: Any = None) -> tuple[Framework, bool]:
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
