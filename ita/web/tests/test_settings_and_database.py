from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from ita.conftest import require


def start_with(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "ita", "check"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DEBUG": "true", "LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(env: dict[str, str], named: str) -> None:
    result = start_with(**env)
    assert result.returncode != 0
    assert named in result.stderr


def test_good_settings_start() -> None:
    assert start_with(DEBUG="true").returncode == 0


@pytest.mark.django_db
def test_the_database_is_the_one_ci_asked_for() -> None:
    if os.environ.get("ITA_EXPECT_POSTGRES"):
        require(connection.vendor == "postgresql", "PostgreSQL")
    else:
        assert connection.vendor in ("sqlite", "postgresql")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
