"""Taking in one answer sheet: form tokens, validation, and the one transaction that stores it.

The hot path is deliberately short. A submission costs, inside one transaction:
1. INSERT of the spent form token (ON CONFLICT DO NOTHING: a retry stops here, stores nothing),
2. UPDATE of the code to used (IIT, and EIT in code mode; 0 rows: the code was spent),
3. INSERT of the answer sheet, 4. one UPDATE of all its sub-item tallies, 5. one UPDATE of the
respondent count, 6. one UPDATE of the counter of its completion-time band (a row made with the
unit's tallies: a submission adds no row anywhere but the sheet and the spent token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone

from ita.frameworks.models import Framework
from ita.frameworks.spec import FrameworkSpec
from ita.lib.caches import process_cache
from ita.surveys.manipulation import duration_bucket
from ita.surveys.models import ItemTally, SignalCount, SignalKind, SurveyCode, SurveyResponse, ToolTally, UsedFormToken
from ita.surveys.services import option_scores

TOKEN_SALT = "ita.surveys.form"  # noqa: S105 - a signing salt, not a secret
ANSWER_PREFIX = "a-"


@process_cache(maxsize=32)
def spec_for(framework_id: int) -> FrameworkSpec:
    """The parsed framework, once per process: a framework is frozen once an assessment uses it."""
    return Framework.objects.only("document").get(pk=framework_id).spec


class Refused(Exception):
    """A submission that must store nothing; ``reason`` picks the message shown."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Target:
    """What a form is for: one unit, one tool, optionally one code."""

    ua_id: int
    assessment_id: int
    framework_id: int
    tool: str
    unit_name: str = ""  # for display; empty when built from a posted token
    assessment_name: str = ""
    code_digest: str = ""
    link_token: str = ""

    @property
    def spec(self) -> FrameworkSpec:
        return spec_for(self.framework_id)


# --- form tokens --------------------------------------------------------------------------


def make_form_token(target: Target) -> str:
    """A signed, one-time token per page load. It carries the start time so the completion
    time can be bucketed at submission; the time itself is never stored."""
    payload = {
        "u": target.ua_id,
        "a": target.assessment_id,
        "f": target.framework_id,
        "k": target.tool,
        "c": target.code_digest[:16],
        "n": secrets.token_urlsafe(12),
        "s": int(time.time()),
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=False)


@dataclass(frozen=True)
class FormToken:
    nonce: str
    started: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.nonce.encode()).hexdigest()[:32]


def _token_data(raw: str) -> dict[str, Any]:
    try:
        data = signing.loads(raw, salt=TOKEN_SALT, max_age=settings.ITA_SURVEY_FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused("expired") from None
    except signing.BadSignature:
        raise Refused("forged_token") from None
    if not isinstance(data, dict):
        raise Refused("forged_token")
    return data


def read_form_token(raw: str, target: Target) -> FormToken:
    """The token of a form posted for ``target``; a token issued for any other form is forged."""
    data = _token_data(raw)
    if data.get("u") != target.ua_id or data.get("k") != target.tool or data.get("c") != target.code_digest[:16]:
        raise Refused("forged_token")
    return FormToken(nonce=str(data["n"]), started=int(data["s"]))


def target_from_token(raw: str, code_digest: str) -> tuple[Target, FormToken]:
    """A code form's post names its own target in its signed token, so taking it needs no
    lookup; the token must have been issued for this very code, and the conditional UPDATE of
    the code then checks that the code belongs to that unit and is unused."""
    data = _token_data(raw)
    if (
        data.get("c") != code_digest[:16]
        or not all(isinstance(data.get(k), int) for k in ("u", "a", "f", "s"))
        or data.get("k") not in ("IIT", "EIT")
    ):
        raise Refused("forged_token")
    target = Target(
        ua_id=data["u"], assessment_id=data["a"], framework_id=data["f"], tool=data["k"], code_digest=code_digest
    )
    return target, FormToken(nonce=str(data["n"]), started=int(data["s"]))


# --- answers ------------------------------------------------------------------------------


def parse_answers(spec: FrameworkSpec, tool: str, post: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    """Answers from the posted form and the keys still missing. Anything that is not a
    question of this form, or not an option of its scale, is malformed: refused outright."""
    answers: dict[str, int] = {}
    missing: list[str] = []
    items = spec.sub_items_of(tool)
    known = {ANSWER_PREFIX + item.key for item in items}
    if any(name.startswith(ANSWER_PREFIX) and name not in known for name in post):
        raise Refused("malformed")
    for item in items:
        raw = post.get(ANSWER_PREFIX + item.key, "")
        if raw == "":
            missing.append(item.key)
            continue
        # ASCII digits only: "²", Thai or Arabic-Indic digits pass isdigit() but not int(), and
        # a few thousand digits make int() itself refuse; none of them is an option.
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 3) or int(raw) >= len(item.scale.options):
            raise Refused("malformed")
        answers[item.key] = int(raw)
    return answers, missing


def check_category(spec: FrameworkSpec, tool: str, raw: str) -> tuple[str, bool]:
    """(category, missing). EIT needs one of the framework's respondent categories."""
    if tool != "EIT" or not spec.respondent_categories:
        return "", False
    if raw == "":
        return "", True
    if raw not in {c.code for c in spec.respondent_categories}:
        raise Refused("malformed")
    return raw, False


# --- storing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    sql: str
    params: list[Any]
    expect: int | None = None  # rows it must touch, when that is known
    otherwise: str = ""  # what touching another number of rows means (empty: a broken invariant)


def sheet_statements(
    ua_id: int, spec: FrameworkSpec, tool: str, answers: Mapping[str, int], *, category: str, submitted_on: dt.date
) -> list[Statement]:
    """INSERT of the sheet (a random UUID, the day only), one UPDATE adding every answer to
    its sub-item tally, one UPDATE of the respondent count: plain SQL, so that a caller can
    send them in one round trip (PostgreSQL pipeline) or one after another."""
    fields = {f.name: f for f in SurveyResponse._meta.concrete_fields}
    values = {
        "id": uuid.uuid4(),
        "tool": tool,
        "category": category,
        "answers": dict(answers),
        "submitted_on": submitted_on,
    }
    prepared = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    insert = (
        f"INSERT INTO {SurveyResponse._meta.db_table} (id, tool, category, answers, submitted_on, unit_assessment_id) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    scores = option_scores(spec, tool, answers)
    keys = sorted(scores)
    if connection.vendor == "postgresql":  # two array parameters: a short statement to parse
        tally = Statement(_PG_TALLY_SQL, [keys, [scores[k] for k in keys], ua_id], expect=len(keys))
    else:
        tally = Statement(
            _tally_sql(len(keys)), [p for k in keys for p in (k, scores[k])] + [ua_id, *keys], expect=len(keys)
        )
    table = ToolTally._meta.db_table
    respondents = f"UPDATE {table} SET respondents = respondents + 1 WHERE unit_assessment_id = %s AND tool = %s"  # noqa: S608
    return [
        Statement(insert, [*prepared, ua_id]),
        tally,
        Statement(respondents, [ua_id, tool], expect=1),
    ]


_PG_TALLY_SQL = (
    f"UPDATE {ItemTally._meta.db_table} AS t SET total = t.total + v.score, count = t.count + 1 "  # noqa: S608
    "FROM unnest(%s::varchar[], %s::numeric[]) AS v(key, score) WHERE t.unit_assessment_id = %s AND t.item_key = v.key"
)


@process_cache(maxsize=64)
def _tally_sql(n: int) -> str:
    """One UPDATE for all the sheet's sub-items: total += the chosen option's score. Written
    out by hand because building the same 50-branch CASE through the ORM costs more than the
    rest of the submission together."""
    table = ItemTally._meta.db_table
    cases = " ".join(["WHEN %s THEN CAST(%s AS NUMERIC)"] * n)
    keys = ", ".join(["%s"] * n)
    return (
        f"UPDATE {table} SET total = total + CASE item_key {cases} END, count = count + 1 "  # noqa: S608 - no user text
        f"WHERE unit_assessment_id = %s AND item_key IN ({keys})"
    )


STORED, ALREADY = "stored", "already"


class _Undo(Exception):
    """Raised inside the transaction to roll every statement back."""

    def __init__(self, outcome: str):
        self.outcome = outcome


def do_submit(target: Target, token: FormToken, answers: Mapping[str, int], category: str = "") -> str:
    """Store one complete sheet, or nothing. Returns STORED, or ALREADY when this very form
    was stored before (a double tap or a retried post); raises Refused("code_used").

    The statements are conditional on each other through their row counts: no spent token
    inserted means a retry; no code flipped from unused to used means the code was spent.
    Either way the transaction is rolled back. On PostgreSQL all of them go to the server in
    one pipeline (one round trip, then the commit); elsewhere one after another."""
    statements = submission_statements(target, token, answers, category)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _run_pipelined(statements)
            else:
                _run_in_turn(statements)
    except _Undo as undo:
        if undo.outcome == ALREADY:
            return ALREADY
        raise Refused(undo.outcome) from None
    return STORED


def submission_statements(
    target: Target, token: FormToken, answers: Mapping[str, int], category: str
) -> list[Statement]:
    if target.tool == "IIT" and not target.code_digest:
        raise Refused("unknown_code")  # every IIT sheet spends a code: never more sheets than codes
    today = timezone.localdate()
    statements = [
        Statement(
            f"INSERT INTO {UsedFormToken._meta.db_table} (digest, used_on) VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
            [token.digest, today.isoformat()],
            expect=1,
            otherwise=ALREADY,
        )
    ]
    if target.code_digest:
        statements.append(
            Statement(
                f"UPDATE {SurveyCode._meta.db_table} SET used = %s "  # noqa: S608
                "WHERE digest = %s AND unit_assessment_id = %s AND tool = %s AND used = %s",
                [True, target.code_digest, target.ua_id, target.tool, False],
                expect=1,
                otherwise="code_used",
            )
        )
    statements += sheet_statements(
        target.ua_id, target.spec, target.tool, answers, category=category, submitted_on=today
    )
    statements.append(_signals_statement(target, answers, token.started))
    return statements


def _check(statement: Statement, rowcount: int) -> None:
    if statement.expect is None or rowcount == statement.expect:
        return
    if statement.otherwise:
        raise _Undo(statement.otherwise)
    raise RuntimeError(f"survey tallies missing for a unit: {statement.sql[:60]}")


def _run_in_turn(statements: list[Statement]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
            _check(statement, cursor.rowcount)


def _run_pipelined(statements: list[Statement]) -> None:
    cursors = [connection.cursor() for _ in statements]
    with connection.connection.pipeline() as pipeline:
        for cursor, statement in zip(cursors, statements, strict=True):
            cursor.execute(statement.sql, statement.params)
        pipeline.sync()
    for cursor, statement in zip(cursors, statements, strict=True):
        _check(statement, cursor.rowcount)


def _signals_statement(target: Target, answers: Mapping[str, int], started: int) -> Statement:
    """One more in the unit's counter of the sheet's completion-time band (the time itself is
    never stored). The row exists from the start, so this adds none."""
    seconds = max(0, int(time.time()) - started)
    return Statement(
        f"UPDATE {SignalCount._meta.db_table} SET count = count + 1 "  # noqa: S608
        "WHERE unit_assessment_id = %s AND tool = %s AND kind = %s AND bucket = %s",
        [target.ua_id, target.tool, SignalKind.DURATION.value, duration_bucket(seconds)],
        expect=1,
    )
