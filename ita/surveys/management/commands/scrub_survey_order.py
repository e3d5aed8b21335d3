from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ita.surveys.services import purge_spent_tokens, scrub_storage_order


class Command(BaseCommand):
    help = (
        "Rewrite the survey code and response tables in random-key order, so row order on disk "
        "cannot pair codes with responses (run hourly while collection is open)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        scrub_storage_order()
        purged = purge_spent_tokens()
        self.stdout.write(f"survey tables rewritten in key order; {purged} expired form tokens forgotten")
