"""The `ita` command: Django's management commands under one name (`ita demo`, `ita score`...)."""

from __future__ import annotations

import os
import sys

# Commands spelled with a hyphen on the command line (Django names them after their module).
HYPHENATED = {"check-integrity": "check_integrity"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        args = [HYPHENATED.get(arg, arg) if i == 0 else arg for i, arg in enumerate(sys.argv[1:])]
        execute_from_command_line(["ita", *args])
    except ImproperlyConfigured as exc:  # a bad setting: one line naming it, not a traceback
        sys.exit(f"ita: {exc}")


if __name__ == "__main__":
    main()
