"""Given the whole database, try to link IIT responses to the codes that gave them, and fail.

The attacker here knows more than any real one: which code produced which response (the test
holds the ground truth) only to *score* the attacks. The attacks themselves use nothing but
the tables: joins on every pair of columns, and pairing used codes with responses by every
column order and by the rows' physical order in the database file."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import signing
from django.db import connection, models
from django.test import Client

from ita.surveys.codes import code_digest
from ita.surveys.collect import TOKEN_SALT, FormToken
from ita.surveys.models import SignalCount, SurveyCode, SurveyResponse, UsedFormToken
from ita.surveys.services import scrub_storage_order

PEOPLE = 20  # a chance pairing links >= half of 20 with p ~ 1e-7; a real link, all of them


def _answers_for(spec: Any, person: int) -> dict[str, str]:
    """A sheet that encodes the person's number in its first answers (ground truth only)."""
    items = spec.sub_items_of("IIT")
    body = {f"a-{item.key}": "0" for item in items}
    for bit, item in enumerate(items[:5]):
        body[f"a-{item.key}"] = str((person >> bit) & 1)
    return body


def _person_of(spec: Any, answers: dict[str, int]) -> int:
    return sum(answers[item.key] << bit for bit, item in enumerate(spec.sub_items_of("IIT")[:5]))


def _rows(table: str, physical: bool = True) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every column of a table plus its physical row position, in the database's own order."""
    position = ("rowid" if connection.vendor == "sqlite" else "ctid::text") if physical else "NULL"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {position}, * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
        columns = ["<physical>", *[c[0] for c in cursor.description[1:]]]
        return columns, cursor.fetchall()


def _orderings(
    columns: Sequence[str], rows: Sequence[tuple[Any, ...]], physical: bool, seed: int
) -> dict[str, list[int]]:
    """Every order an attacker could pair rows by: by each column, and (when ``physical``)
    as stored. Sorting by a column falls back on the stored order for ties, so the physical
    order is excluded there by a random tie-break."""
    shuffled = list(range(len(rows)))
    random.Random(seed).shuffle(shuffled)
    base = list(range(len(rows))) if physical else shuffled
    orders = {"<as stored>": base} if physical else {}
    for i, name in enumerate(columns):
        if name == "<physical>" and not physical:
            continue
        orders[name] = sorted(base, key=lambda r, i=i: str(rows[r][i]))  # type: ignore[misc]
    return orders


@pytest.mark.parametrize("use_order", ["slip order", "own pace"])
def test_the_database_does_not_link_any_response_to_its_code(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str], use_order: str
) -> None:
    # Worst case: people answer in the order the slips were handed out; usual: at their own pace.
    used = iit_codes[:PEOPLE]
    if use_order == "own pace":
        random.Random(2566).shuffle(used)
    for person, code in enumerate(used):
        page = client.post("/s/", {"code": code}).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert client.post("/s/", {"code": code, "token": token, **_answers_for(spec, person)}).status_code == 303
    truth_code = {code_digest(code): person for person, code in enumerate(used)}

    # Straight away, no column and no column order links a response to its code.
    _attack(spec, ua_a, truth_code, physical=False)
    # The order rows sit in on disk is arrival order until the scheduled rewrite (PostgreSQL
    # appends the new version of each used code, as it appends each response); after it,
    # not even the physical order links them.
    scrub_storage_order()
    _attack(spec, ua_a, truth_code, physical=True)


def _attack(spec: Any, ua: Any, truth_code: dict[str, int], physical: bool) -> None:
    code_cols, code_rows = _rows(SurveyCode._meta.db_table)
    resp_cols, resp_rows = _rows(SurveyResponse._meta.db_table)
    digest_at = code_cols.index("digest")
    code_rows = [r for r in code_rows if r[code_cols.index("used")] in (True, 1)]
    assert len(code_rows) == len(resp_rows) == PEOPLE
    answers_at = resp_cols.index("answers")
    truth_resp = [
        _person_of(spec, a if isinstance(a, dict) else json.loads(a)) for a in (r[answers_at] for r in resp_rows)
    ]

    # 1. No value other than the unit and the tool appears on both sides.
    shared_ok = {str(ua.pk), "IIT"}
    code_values = {str(v) for row in code_rows for v in row[1:]} - shared_ok
    for row in resp_rows:
        assert not ({str(v) for v in row[1:]} & code_values), "a response shares a value with a code row"

    # 2. Pairing used codes with responses by any order does no better than chance.
    for c_name, c_order in _orderings(code_cols, code_rows, physical, seed=7).items():
        for r_name, r_order in _orderings(resp_cols, resp_rows, physical, seed=11).items():
            hits = sum(
                truth_code[code_rows[c][digest_at]] == truth_resp[r] for c, r in zip(c_order, r_order, strict=True)
            )
            assert hits < PEOPLE // 2, f"ordering codes by {c_name} and responses by {r_name} links {hits} of {PEOPLE}"


def test_the_response_table_has_no_column_that_could_identify_a_person_or_a_moment() -> None:
    fields = {f.name: f for f in SurveyResponse._meta.get_fields() if f.concrete}
    assert set(fields) == {"id", "unit_assessment", "tool", "category", "answers", "submitted_on"}
    assert isinstance(fields["id"], models.UUIDField)  # random, not a sequence
    assert isinstance(fields["submitted_on"], models.DateField) and not isinstance(
        fields["submitted_on"], models.DateTimeField
    )
    for model in (SurveyCode, UsedFormToken, SignalCount):
        concrete = [f for f in model._meta.get_fields() if f.concrete]
        assert not any(isinstance(f, models.DateTimeField) for f in concrete), f"{model.__name__} records a time"
        assert not any(getattr(f, "related_model", None) is SurveyResponse for f in concrete), (
            f"{model.__name__} points at a response"
        )
    assert not any(
        isinstance(f, models.BooleanField | models.DateField) and f.name.startswith("used_")
        for f in SurveyCode._meta.get_fields()
        if f.concrete
    )


def test_the_scheduled_rewrite_keeps_every_sheet_and_forgets_expired_tokens(ua_a: Any, spec: Any) -> None:
    import datetime as dt
    import io

    from django.core.management import call_command

    from ita.surveys.models import UsedFormToken
    from ita.surveys.tests.sheets import submit_sheet

    answers = {item.key: 0 for item in spec.sub_items_of("IIT")}
    for _ in range(3):
        submit_sheet(ua_a, "IIT", answers, on=dt.date(2026, 1, 5))
    UsedFormToken.objects.create(digest="old", used_on=dt.date(2020, 1, 1))
    UsedFormToken.objects.create(digest="fresh", used_on=dt.date.today())
    call_command("scrub_survey_order", stdout=io.StringIO())
    assert SurveyResponse.objects.filter(unit_assessment=ua_a).count() == 3
    assert list(UsedFormToken.objects.values_list("digest", flat=True)) == ["fresh"]


def _all_tables() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def _submit_in_order(client: Client, spec: Any, codes: list[str]) -> list[str]:
    """PEOPLE sheets, person n n-th; returns the spent form tokens' digests in that order."""
    spent = []
    for person, code in enumerate(codes[:PEOPLE]):
        page = client.post("/s/", {"code": code}).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert client.post("/s/", {"code": code, "token": token, **_answers_for(spec, person)}).status_code == 303
        nonce = signing.loads(token, salt=TOKEN_SALT)["n"]
        spent.append(FormToken(nonce=nonce, started=0).digest)
    return spent


def _kept_in_order(columns: Sequence[str], rows: Sequence[tuple[Any, ...]], rank: list[int], physical: bool) -> str:
    """The first way of ordering the rows (a column, or as stored) that keeps most of the
    arrival order (``rank``: each row's place in it), or "" when none does better than chance."""
    for name, order in _orderings(columns, rows, physical, seed=3).items():
        ranks = [rank[r] for r in order]
        kept = sum(b == a + 1 for a, b in itertools.pairwise(ranks))
        if kept >= PEOPLE // 2:
            return name
    return ""


def test_a_reader_of_every_table_cannot_order_the_sheets_or_find_a_sheets_side_row(
    client: Client, ua_a: Any, spec: Any, iit_codes: list[str]
) -> None:
    before = _all_tables()
    spent = _submit_in_order(client, spec, iit_codes)
    grown = {table for table, n in _all_tables().items() if n != before[table]}
    # Only the sheets and the spent tokens get rows: no side row per submission anywhere else
    # (the answer-pattern and hour counters of old had one, whose id ordered the sheets).
    assert grown == {SurveyResponse._meta.db_table, UsedFormToken._meta.db_table}

    resp_cols, resp_rows = _rows(SurveyResponse._meta.db_table)
    answers_at = resp_cols.index("answers")
    arrival = [
        _person_of(spec, a if isinstance(a, dict) else json.loads(a)) for a in (r[answers_at] for r in resp_rows)
    ]
    patterns = {pattern_of(r[answers_at]) for r in resp_rows}
    ids = {str(r[resp_cols.index("id")]) for r in resp_rows}
    for table in before.keys() - {SurveyResponse._meta.db_table}:
        _cols, rows = _rows(table, physical=False)
        values = {str(v) for row in rows for v in row}
        assert not values & patterns, f"{table} holds a sheet's answer pattern"
        assert not values & ids, f"{table} holds a sheet's id"

    # Before the scrub, rows on disk sit in arrival order: the attack this test makes works.
    assert _kept_in_order(resp_cols, resp_rows, arrival, physical=True) in ("<as stored>", "<physical>")
    scrub_storage_order()
    resp_cols, resp_rows = _rows(SurveyResponse._meta.db_table)
    arrival = [
        _person_of(spec, a if isinstance(a, dict) else json.loads(a)) for a in (r[answers_at] for r in resp_rows)
    ]
    tok_cols, tok_rows = _rows(UsedFormToken._meta.db_table)
    tok_rank = [spent.index(r[tok_cols.index("digest")]) for r in tok_rows]
    assert _kept_in_order(resp_cols, resp_rows, arrival, physical=True) == ""
    assert _kept_in_order(tok_cols, tok_rows, tok_rank, physical=True) == ""


def pattern_of(answers: Any) -> str:
    """The answer-pattern key the old signal counters stored per sheet."""
    data = answers if isinstance(answers, dict) else json.loads(answers)
    return hashlib.sha256(json.dumps(["IIT", sorted(data.items())]).encode()).hexdigest()[:16]


def test_the_scrub_says_what_it_did_about_the_write_ahead_log(ua_a: Any) -> None:
    done = scrub_storage_order()
    if connection.vendor == "postgresql":
        assert any("CLUSTER" in line for line in done)
        assert any("checkpoint" in line.lower() for line in done)  # written, or why not
    else:
        assert any("key order" in line for line in done)
