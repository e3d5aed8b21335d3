"""The `ita` command: Django's management commands under one name (`ita demo`, `ita score`...)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ita", *sys.argv[1:]])


if __name__ == "__main__":
    main()
