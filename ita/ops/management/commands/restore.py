from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ita.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `ita backup` into a new, empty database (migrated first) and MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            files = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(f"กู้คืนไม่ได้: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"กู้คืนข้อมูลแล้ว: {archive} ({files} stored files)"))
