from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ita.surveys.services import purge_spent_tokens, scrub_storage_order


class Command(BaseCommand):
    help = (
        "Rewrite the tables a survey submission writes to in key order and flush the write-ahead log "
        "where permitted, so row order on disk cannot pair codes with responses (run hourly while "
        "collection is open)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_spent_tokens()
        for line in scrub_storage_order():
            self.stdout.write(line)
        self.stdout.write(f"{purged} expired form tokens forgotten")
