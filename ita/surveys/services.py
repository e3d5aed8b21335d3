"""The tallies the engine reads: made with a unit's targets, rebuilt from the stored sheets,
and the scrub of what could order the sheets. A sheet is stored only by ``collect.do_submit``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ita.assessments.models import UnitAssessment
from ita.frameworks.spec import SURVEY_TOOLS, FrameworkSpec
from ita.surveys.manipulation import BANDS
from ita.surveys.models import (
    ItemTally,
    SignalCount,
    SignalKind,
    SurveyCode,
    SurveyResponse,
    ToolTally,
    UsedFormToken,
)


def ensure_tallies(uas: Iterable[UnitAssessment], spec: FrameworkSpec) -> None:
    """Create the zeroed tally rows of units (idempotent; a few statements however many units),
    among them every completion-time band counter: made now, before any response, their ids
    carry no order of submission."""
    uas = list(uas)
    rows = [
        ItemTally(unit_assessment=ua, tool=tool, item_key=item.key)
        for ua in uas
        for tool in SURVEY_TOOLS
        for item in spec.sub_items_of(tool)
    ]
    ItemTally.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    tools = [ToolTally(unit_assessment=ua, tool=t) for ua in uas for t in SURVEY_TOOLS]
    ToolTally.objects.bulk_create(tools, ignore_conflicts=True, batch_size=5000)
    bands = [
        SignalCount(unit_assessment=ua, tool=t, kind=SignalKind.DURATION, bucket=band)
        for ua in uas
        for t in SURVEY_TOOLS
        for band in BANDS
    ]
    SignalCount.objects.bulk_create(bands, ignore_conflicts=True, batch_size=5000)


def option_scores(spec: FrameworkSpec, tool: str, answers: Mapping[str, int]) -> dict[str, Decimal]:
    items = {item.key: item for item in spec.sub_items_of(tool)}
    return {key: _decimal(items[key].scale.options[index].score) for key, index in answers.items()}


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def rebuild_tallies(ua: UnitAssessment, spec: FrameworkSpec) -> None:
    """Recompute a unit's tallies from its stored responses (after a bulk load, or to check
    that the running tallies have not drifted)."""
    ensure_tallies([ua], spec)
    totals, counts, respondents = tally_responses(spec, ua.responses.values_list("tool", "answers"))
    tallies = list(ua.item_tallies.all())
    for tally in tallies:
        tally.total = totals.get(tally.item_key, Decimal(0))
        tally.count = counts.get(tally.item_key, 0)
    ItemTally.objects.bulk_update(tallies, ["total", "count"])
    for tool in SURVEY_TOOLS:
        ToolTally.objects.filter(unit_assessment=ua, tool=tool).update(respondents=respondents.get(tool, 0))


def tally_responses(
    spec: FrameworkSpec, sheets: Iterable[tuple[str, Mapping[str, int]]]
) -> tuple[dict[str, Decimal], dict[str, int], dict[str, int]]:
    """Sum option scores per sub-item over raw answer sheets."""
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    respondents: dict[str, int] = {}
    for tool, answers in sheets:
        respondents[tool] = respondents.get(tool, 0) + 1
        for key, score in option_scores(spec, tool, answers).items():
            totals[key] = totals.get(key, Decimal(0)) + score
            counts[key] = counts.get(key, 0) + 1
    return totals, counts, respondents


def scrub_storage_order() -> list[str]:
    """Rewrite every table a submission writes to in the order of its keys, and flush the
    write-ahead log where the database lets us. Returns what was done, for the command's output.

    Rows on disk keep the order they were written in: PostgreSQL appends each new version of a
    code row (marked used), of each tally and band counter, each response and each spent token to
    the end of its table, so someone who can read the raw pages could pair the n-th used code
    with the n-th change of the tallies (which is that person's answers). Rewriting the tables in
    key order (random hashes, random UUIDs, ids made before any response) erases that order. Run
    it on a schedule while collection is open (`ita scrub_survey_order`); see docs/anonymity.md."""
    tables = [
        model._meta.db_table for model in (SurveyCode, SurveyResponse, UsedFormToken, ItemTally, ToolTally, SignalCount)
    ]
    cache_table = _cache_table()
    done: list[str] = []
    with connection.cursor() as cursor:
        if cache_table:  # expired rate-limit counters: gone, not merely expired
            cursor.execute(f"DELETE FROM {cache_table} WHERE expires < %s", [timezone.now()])  # noqa: S608
            tables.append(cache_table)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # CLUSTER refuses pending FK checks
            for table in tables:  # each takes a brief exclusive lock on its table
                cursor.execute(f"CLUSTER {table} USING {table}_pkey")
            done.append(f"rewrote {len(tables)} tables in key order (CLUSTER)")
            done.append(_checkpoint(cursor))
            return done
        # SQLite updates rows in place (codes keep their hash order, tallies their creation
        # order) but numbers new rows by arrival: copy responses and spent tokens out and back
        # in key order so their row numbers follow the random keys, zeroing the freed space.
        cursor.execute("PRAGMA secure_delete = ON")
        renumber = [(m._meta.db_table, m._meta.pk.column) for m in (SurveyResponse, UsedFormToken)]
        if cache_table:
            renumber.append((cache_table, "cache_key"))
        with transaction.atomic():
            for table, key in renumber:
                cursor.execute(f"CREATE TEMP TABLE scrub_rows AS SELECT * FROM {table}")  # noqa: S608
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                cursor.execute(f"INSERT INTO {table} SELECT * FROM scrub_rows ORDER BY {key}")  # noqa: S608
                cursor.execute("DROP TABLE scrub_rows")
        done.append(f"renumbered {len(renumber)} tables in key order")
        if not connection.in_atomic_block:  # a checkpoint cannot run inside a transaction
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
            done.append("write-ahead log emptied" if not busy else "write-ahead log busy: run the scrub again")
    return done


def _cache_table() -> str:
    """The database cache's table, when the rate-limit counters live in the database."""
    from django.conf import settings

    config: dict[str, Any] = settings.CACHES.get("default", {})
    if not str(config.get("BACKEND", "")).endswith("db.DatabaseCache"):
        return ""
    return str(config["LOCATION"])  # our own setting, a plain table name


def _checkpoint(cursor: Any) -> str:
    """Ask PostgreSQL to write a checkpoint, after which the WAL segments that hold the rows in
    arrival order can be recycled; only a superuser or a member of pg_checkpoint may."""
    from django.db import DatabaseError

    try:
        with transaction.atomic():
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        return (
            "CHECKPOINT not permitted for this database role (grant it pg_checkpoint); "
            "the WAL keeps arrival order until the next automatic checkpoint"
        )
    return "checkpoint written"


def purge_spent_tokens(older_than_days: int = 2) -> int:
    """Forget spent form tokens that could no longer be posted anyway (they expire after
    ITA_SURVEY_FORM_MAX_AGE)."""
    from django.conf import settings
    from django.utils import timezone

    from ita.surveys.models import UsedFormToken

    days = max(older_than_days, -(-settings.ITA_SURVEY_FORM_MAX_AGE // 86400) + 1)
    deleted, _ = UsedFormToken.objects.filter(used_on__lt=timezone.localdate() - dt.timedelta(days=days)).delete()
    return deleted
