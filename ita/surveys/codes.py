"""Single-use access codes: made here, shown once, kept only as a keyed hash.

A code is ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 49
bits: guessing one among even a million live codes takes ~10^8 tries, far beyond what the
rate limit and the form tokens let through. It is printed as ``ABCDE-FGHJK``; dashes,
spaces and case are ignored when typed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.accounts.models import Actor, signed_in
from ita.assessments.models import UnitAssessment
from ita.audit.services import record
from ita.surveys.models import CodeBatch, EitLink, SurveyCode, SurveyTool

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
    batch: CodeBatch


def spare_codes(headcount: int) -> int:
    """The spare IIT codes allowed beyond the headcount: ITA_CODE_SPARE_PERCENT of it, at
    least two (a spoilt slip, a late arrival)."""
    return max(2, math.ceil(headcount * settings.ITA_CODE_SPARE_PERCENT / 100))


def code_allowance(ua: UnitAssessment) -> int:
    """How many IIT codes a unit may hold (used or not, voided batches' unused ones gone)
    without a reason: its headcount plus the spare margin."""
    return ua.internal_headcount + spare_codes(ua.internal_headcount)


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_CODES_PER_ISSUE:
        raise CodeError(_("จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง %(max)d รหัส") % {"max": MAX_CODES_PER_ISSUE})


def codes_held(ua: UnitAssessment, tool: str) -> int:
    """Codes a unit holds for a tool: unused ones of live batches and every used one."""
    return SurveyCode.objects.filter(unit_assessment=ua, tool=tool).count()


@transaction.atomic
def do_issue_codes(
    ua: UnitAssessment,
    tool: str,
    count: int,
    actor: Actor = None,
    *,
    reason: str = "",
    batch_id: uuid.UUID | None = None,
) -> CodeIssue:
    """Make ``count`` fresh codes for the unit as one batch. Their plaintext exists only in the
    return value; the table gets hashes. IIT codes beyond headcount plus the spare margin need
    a ``reason`` and make a flagged batch; without one nothing is issued."""
    _check_count(count)
    reason = reason.strip()
    # One issue at a time per unit, so two concurrent issues cannot both pass the allowance.
    ua = UnitAssessment.objects.select_for_update().get(pk=ua.pk)
    held = codes_held(ua, tool)
    flagged = tool == SurveyTool.IIT and held + count > code_allowance(ua)
    if flagged and not reason:
        raise CodeError(
            _(
                "ออกรหัส IIT ได้ไม่เกิน %(limit)d รหัส (บุคลากร %(headcount)d คน และรหัสสำรอง %(spare)d รหัส) "
                "ออกไปแล้ว %(held)d รหัส ยังไม่ได้ออกรหัสใหม่ หากจำนวนบุคลากรไม่ถูกต้อง ให้แก้ไขจำนวนผู้มีสิทธิ์ตอบก่อน "
                "หากจำเป็นต้องออกเกิน ให้ระบุเหตุผลในช่องเหตุผล ระบบจะแจ้งผู้ดูแลการประเมินให้ทราบ"
            )
            % {
                "limit": code_allowance(ua),
                "headcount": ua.internal_headcount,
                "spare": spare_codes(ua.internal_headcount),
                "held": held,
            }
        )
    batch = CodeBatch.objects.create(
        id=batch_id or uuid.uuid4(),
        unit_assessment=ua,
        tool=tool,
        size=count,
        issued_at=timezone.now(),
        issued_by=signed_in(actor),
        reason=reason,
        flagged=flagged,
    )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    ordered = sorted(codes)  # slips in alphabetical order, so their order says nothing about the draw
    # Rows go in by hash, not in slip order: even if people answered in the order the slips
    # were handed out, the codes' order on disk would not line up with the responses'.
    rows = sorted(
        (SurveyCode(digest=code_digest(c), unit_assessment=ua, tool=tool, batch=batch) for c in ordered),
        key=lambda r: r.digest,
    )
    SurveyCode.objects.bulk_create(rows)
    record(
        "surveys.codes.issued",
        actor=actor,
        unit=ua.unit,
        target=ua,
        tool=tool,
        count=count,
        batch=str(batch.pk),
        flagged=flagged,
        reason=reason,
    )
    return CodeIssue(tool=tool, codes=tuple(ordered), batch=batch)


@transaction.atomic
def do_void_and_reissue(batch: CodeBatch, reason: str, actor: Actor = None) -> CodeIssue:
    """A lost or leaked batch: its unused codes are deleted (they can no longer be answered
    with), the batch is marked voided, and a fresh batch of the same size is issued in the same
    transaction. The reason is required; a reissue beyond the allowance is flagged with it."""
    reason = reason.strip()
    if not reason:
        raise CodeError(_("ระบุเหตุผลที่ยกเลิกชุดรหัสนี้ เช่น บัตรรหัสสูญหาย แล้วกดยกเลิกและออกใหม่อีกครั้ง"))
    locked = CodeBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.voided_at is not None:
        raise CodeError(_("ชุดรหัสนี้ถูกยกเลิกไปแล้ว ดูชุดที่ออกแทนได้ในรายการชุดรหัส"))
    # The used ones stay: each stands for a stored response, so the codes held never fall
    # below the responses.
    SurveyCode.objects.filter(batch=locked, used=False).delete()
    locked.voided_at = timezone.now()
    fresh = do_issue_codes(locked.unit_assessment, locked.tool, locked.size, actor=actor, reason=reason)
    locked.replaced_by = fresh.batch
    locked.save(update_fields=["voided_at", "replaced_by"])
    ua = locked.unit_assessment
    # Counts of the batch only: never how many of it were used, nor any code.
    record(
        "surveys.codes.voided",
        actor=actor,
        unit=ua.unit,
        target=ua,
        tool=locked.tool,
        count=locked.size,
        batch=str(locked.pk),
        replaced_by=str(fresh.batch.pk),
        reason=reason,
    )
    return fresh


def verified_codes(ua: UnitAssessment, tool: str, raw_codes: list[str]) -> list[str]:
    """The codes (as posted back from the one-time display) that really are this unit's and
    tool's, in a batch not voided, for printing slips again; anything else is dropped."""
    wanted = {code_digest(c): normalize(c) for c in raw_codes if looks_like_code(c)}
    known = set(
        SurveyCode.objects.filter(unit_assessment=ua, tool=tool, digest__in=list(wanted))
        .filter(Q(batch__isnull=True) | Q(batch__voided_at__isnull=True))
        .values_list("digest", flat=True)
    )
    return sorted(code for digest, code in wanted.items() if digest in known)


@transaction.atomic
def do_ensure_eit_link(ua: UnitAssessment, actor: Actor = None) -> EitLink:
    link, created = EitLink.objects.get_or_create(unit_assessment=ua, defaults={"token": secrets.token_urlsafe(18)})
    if created:
        record("survey.eit_link_created", actor=actor, unit=ua.unit, target=ua)
    return link


@transaction.atomic
def do_set_eit_code_mode(link: EitLink, requires_code: bool, actor: Actor = None) -> None:
    link.requires_code = requires_code
    link.save(update_fields=["requires_code"])
    record(
        "survey.eit_code_mode",
        actor=actor,
        unit=link.unit_assessment.unit,
        target=link.unit_assessment,
        requires_code=requires_code,
    )
