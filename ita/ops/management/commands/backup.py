from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ita.ops.backup import create_backup


class Command(BaseCommand):
    help = "Write the whole installation (database and stored files) to one .tar.gz with a SHA-256 manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="the archive to write, e.g. ita-backup.tar.gz")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        checksums = create_backup(output)
        self.stdout.write(self.style.SUCCESS(f"สำรองข้อมูลแล้ว: {output} ({len(checksums)} files in the manifest)"))
