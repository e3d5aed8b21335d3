from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

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


def test_the_rate_limit_cache_can_be_shared_between_workers_through_a_directory(tmp_path: Any) -> None:
    code = (
        "from django.core.cache import caches; c = caches['default']; "
        "c.add('k', 1); c.incr('k'); print(type(c).__name__)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(DEBUG="true", ITA_CACHE_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ita.settings")
    runs = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["FileBasedCache", "FileBasedCache"]
    # Two separate processes counted in the same place: the second saw the first's counter.
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.core.cache import cache; print(cache.get('k'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert check.stdout.strip() == "3"


def test_the_ita_command_names_a_missing_setting_in_one_line_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run(
        [sys.executable, "-m", "ita", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["ita: SECRET_KEY is required when DEBUG is off (see .env.example)"]
