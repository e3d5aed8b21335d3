"""The `ita` command: Django's management commands under one name (`ita demo`, `ita score`...)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["ita", *sys.argv[1:]])
    except ImproperlyConfigured as exc:  # a bad setting: one line naming it, not a traceback
        sys.exit(f"ita: {exc}")


if __name__ == "__main__":
    main()
