"""Backup, restore into an empty database, and the drift check; run on SQLite and on PostgreSQL
(DATABASE_URL=postgres://... ITA_EXPECT_POSTGRES=1)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ita.assessments.models import UnitAssessment
from ita.ops.backup import BackupError, create_backup, read_backup, restore_backup
from ita.ops.integrity import check_integrity
from ita.results.models import Publication, UnitScore
from ita.surveys.codes import do_issue_codes
from ita.surveys.models import ItemTally, SurveyCode, SurveyResponse, ToolTally


def _state() -> dict[str, Any]:
    return {
        "publications": sorted(Publication.objects.values_list("version", "sha256", "inputs_sha256")),
        "scores": sorted(
            (s.unit_code, str(s.publication_id is not None), str(s.total), s.band) for s in UnitScore.objects.all()
        ),
        "responses": SurveyResponse.objects.count(),
        "codes": sorted(SurveyCode.objects.values_list("digest", "used")),
    }


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "snapshots").mkdir(parents=True)
    (settings.MEDIA_ROOT / "snapshots" / "page.html").write_bytes("<p>หน้าเว็บ</p>".encode())
    return Path(settings.MEDIA_ROOT)


def test_backup_restores_into_an_empty_database_with_the_same_scores_and_hashes(
    transactional_db: Any, demo: None, media: Path, tmp_path: Path
) -> None:
    """Transactional: PostgreSQL cannot empty (TRUNCATE) tables inside the test's transaction."""
    ua = UnitAssessment.objects.filter(responses__isnull=False).first()
    assert ua is not None
    plaintext = do_issue_codes(ua, "IIT", 3, reason="backup test").codes
    before = _state()
    assert before["publications"] and before["responses"] > 0
    assert check_integrity() == []
    archive = tmp_path / "ita.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())

    raw = b"".join(read_backup(archive).values())
    for code in plaintext:  # only keyed hashes of codes are stored, so none is in the backup
        assert code.encode() not in raw
    assert b'"model": "sessions.session"' not in raw

    call_command("flush", interactive=False, verbosity=0)
    (media / "snapshots" / "page.html").unlink()
    assert SurveyResponse.objects.count() == 0
    restore_backup(archive)
    assert _state() == before
    assert (media / "snapshots" / "page.html").read_text() == "<p>หน้าเว็บ</p>"
    out = io.StringIO()
    call_command("check_integrity", stdout=out)
    assert "0 drift" in out.getvalue()


def test_restore_refuses_a_database_that_is_not_empty(demo: None, media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ita.tar.gz"
    create_backup(archive)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive)


def _rewrite(archive: Path, target: Path, change: Any, extra: dict[str, bytes] | None = None) -> None:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            member, data = change(member, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_a_tampered_or_traversing_backup_is_refused_before_anything_is_written(db: Any, tmp_path: Path) -> None:
    archive = tmp_path / "ita.tar.gz"
    create_backup(archive)
    edited = tmp_path / "edited.tar.gz"

    def edit_data(member: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        return member, (data.replace(b"[", b"[ ", 1) if member.name == "database.json" else data)

    _rewrite(archive, edited, edit_data)
    with pytest.raises(BackupError, match="checksum"):
        read_backup(edited)

    def escape(member: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["sha256"]["media/../../evil.py"] = hashlib.sha256(b"evil").hexdigest()
            return member, json.dumps(manifest).encode()
        return member, data

    _rewrite(archive, edited, escape, extra={"media/../../evil.py": b"evil"})
    with pytest.raises(BackupError, match="refusing member"):
        read_backup(edited)
    with pytest.raises(CommandError, match="กู้คืนไม่ได้"):
        call_command("restore", str(edited), stdout=io.StringIO())
    assert not (Path(settings.MEDIA_ROOT).parent.parent / "evil.py").exists()


def test_check_integrity_names_a_drifted_tally(demo: None) -> None:
    tally = ItemTally.objects.filter(count__gt=0).select_related("unit_assessment__unit").first()
    assert tally is not None
    ItemTally.objects.filter(pk=tally.pk).update(total=tally.total + Decimal(1))
    ToolTally.objects.filter(unit_assessment=tally.unit_assessment, tool=tally.tool).update(respondents=0)
    problems = check_integrity()
    assert any(tally.item_key in p and tally.unit_assessment.unit.code in p for p in problems)
    assert any("stored respondents=0" in p for p in problems)
    with pytest.raises(CommandError, match="differences"):
        call_command("check_integrity", stdout=io.StringIO())
