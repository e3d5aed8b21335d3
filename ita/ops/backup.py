"""A whole installation in one .tar.gz: the database as Django fixtures (any engine to any
engine), the stored files under MEDIA_ROOT (OIT snapshots), and manifest.json with the SHA-256
of every other member, checked before anything is restored.

Left out on purpose: sessions (live logins), the cache table (rate-limit counters keyed by
address hashes) and anything outside the models. Codes are only ever stored as keyed hashes, so
none is in a backup; rows are written in primary-key order (random UUIDs and hashes for the
survey tables), so the file keeps no trace of the order answers arrived in (docs/anonymity.md)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT = 1
DATA = "database.json"
MANIFEST = "manifest.json"
EXCLUDED = ["sessions", "contenttypes", "auth.permission", "admin.logentry"]


class BackupError(Exception):
    """A backup that cannot be restored, with what to do about it."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def database_json() -> bytes:
    out = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, natural_primary=True, stdout=out, verbosity=0)
    return out.getvalue().encode()


def create_backup(output: Path) -> dict[str, str]:
    """Write the archive; returns the manifest's checksums by member name."""
    members: dict[str, bytes] = {DATA: database_json()}
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for path in sorted(p for p in media.rglob("*") if p.is_file()):
            members[f"media/{path.relative_to(media).as_posix()}"] = path.read_bytes()
    checksums = {name: _sha256(data) for name, data in members.items()}
    manifest = {"format": FORMAT, "created": timezone.now().isoformat(), "sha256": checksums}
    with tarfile.open(output, "w:gz") as tar:
        _add(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        for name, data in members.items():
            _add(tar, name, data)
    return checksums


def read_backup(archive: Path) -> dict[str, bytes]:
    """Every member, after checking it against the manifest: refuses a changed, missing, extra
    or oddly named member before anything is written."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            found = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in found:
                raise BackupError(f"{archive}: no {MANIFEST}; this is not an ita backup")
            manifest = json.loads(_read(tar, found[MANIFEST]))
            expected: dict[str, str] = manifest.get("sha256", {})
            if manifest.get("format") != FORMAT or set(found) - {MANIFEST} != set(expected):
                raise BackupError(f"{archive}: members do not match the manifest; use an unmodified backup")
            members = {}
            for name, digest in expected.items():
                path = PurePosixPath(name)
                if path.is_absolute() or ".." in path.parts or not found[name].isfile():
                    raise BackupError(f"{archive}: refusing member {name!r} (not a plain file inside the backup)")
                data = _read(tar, found[name])
                if _sha256(data) != digest:
                    raise BackupError(f"{archive}: checksum of {name} does not match the manifest; the file is damaged")
                members[name] = data
            return members
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"{archive}: cannot read the backup ({exc})") from None


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(member)
    if stream is None:
        raise BackupError(f"{member.name} is not a file")
    return stream.read()


def database_is_empty() -> bool:
    skip = {"contenttypes", "auth", "sessions", "admin"}
    return not any(model._default_manager.exists() for model in apps.get_models() if model._meta.app_label not in skip)


def restore_backup(archive: Path) -> int:
    """Load the backup into this (migrated, empty) database and MEDIA_ROOT; returns the number
    of stored files restored."""
    members = read_backup(archive)
    if not database_is_empty():
        raise BackupError("the database is not empty: restore into a new, migrated database (ita migrate)")
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / DATA
        fixture.write_bytes(members[DATA])
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    files = 0
    for name, data in members.items():
        if name.startswith("media/"):
            target = media / PurePosixPath(name).relative_to("media")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files += 1
    return files
