"""Single-use access codes: made here, shown once, kept only as a keyed hash.

A code is ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 49
bits: guessing one among even a million live codes takes ~10^8 tries, far beyond what the
rate limit and the form tokens let through. It is printed as ``ABCDE-FGHJK``; dashes,
spaces and case are ignored when typed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from ita.assessments.models import UnitAssessment
from ita.audit.services import record
from ita.surveys.models import EitLink, SurveyCode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_CODES_PER_ISSUE = 2000


class CodeError(ValueError):
    pass


def normalize(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def pretty(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def code_digest(code: str) -> str:
    """HMAC-SHA256 of the normalised code under the site's secret: the database alone
    cannot be used to test guesses offline."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"ita-code:" + normalize(code).encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(raw: str) -> bool:
    code = normalize(raw)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


@dataclass(frozen=True)
class CodeIssue:
    tool: str
    codes: tuple[str, ...]  # plaintext, returned once and never stored


@transaction.atomic
def do_issue_codes(ua: UnitAssessment, tool: str, count: int, actor: Any = None) -> CodeIssue:
    """Make ``count`` fresh codes for the unit. Their plaintext exists only in the return
    value; the table gets hashes."""
    if not 1 <= count <= MAX_CODES_PER_ISSUE:
        raise CodeError(f"between 1 and {MAX_CODES_PER_ISSUE} codes at a time")
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    ordered = sorted(codes)  # slips in alphabetical order, so their order says nothing about the draw
    # Rows go in by hash, not in slip order: even if people answered in the order the slips
    # were handed out, the codes' order on disk would not line up with the responses'.
    rows = sorted(
        (SurveyCode(digest=code_digest(c), unit_assessment=ua, tool=tool) for c in ordered), key=lambda r: r.digest
    )
    SurveyCode.objects.bulk_create(rows)
    record("survey.codes_issued", actor=actor, unit=ua.unit, target=str(ua), tool=tool, count=count)
    return CodeIssue(tool=tool, codes=tuple(ordered))


def issued_and_used(ua: UnitAssessment, tool: str) -> tuple[int, int]:
    qs = SurveyCode.objects.filter(unit_assessment=ua, tool=tool)
    return qs.count(), qs.filter(used=True).count()


def verified_codes(ua: UnitAssessment, tool: str, raw_codes: list[str]) -> list[str]:
    """The codes (as posted back from the one-time display) that really are this unit's,
    for printing slips; anything else is dropped."""
    wanted = {code_digest(c): normalize(c) for c in raw_codes if looks_like_code(c)}
    known = set(
        SurveyCode.objects.filter(unit_assessment=ua, tool=tool, digest__in=list(wanted)).values_list(
            "digest", flat=True
        )
    )
    return sorted(code for digest, code in wanted.items() if digest in known)


@transaction.atomic
def do_ensure_eit_link(ua: UnitAssessment, actor: Any = None) -> EitLink:
    link, created = EitLink.objects.get_or_create(unit_assessment=ua, defaults={"token": secrets.token_urlsafe(18)})
    if created:
        record("survey.eit_link_created", actor=actor, unit=ua.unit, target=str(ua))
    return link


@transaction.atomic
def do_set_eit_code_mode(link: EitLink, requires_code: bool, actor: Any = None) -> None:
    link.requires_code = requires_code
    link.save(update_fields=["requires_code"])
    record(
        "survey.eit_code_mode",
        actor=actor,
        unit=link.unit_assessment.unit,
        target=str(link.unit_assessment),
        requires_code=requires_code,
    )
