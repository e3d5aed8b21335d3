"""Every write on OIT evidence: the coordinator's drafts, submissions and clarifications,
the assessor's decisions, release, lock and the program admin's reopening.

Each ``do_*`` checks its rule first and raises ``OitError`` with a Thai message that the
page shows as is; nothing is written when it raises. Score-changing steps leave an audit
entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.accounts.models import Actor, Role, User, signed_in
from ita.accounts.policy import may_be_assigned, may_review, role_on
from ita.assessments.guards import require_open_for_changes
from ita.assessments.models import PhaseKind, UnitAssessment, UnitAssessmentState
from ita.audit.services import record
from ita.disclosure.models import AssessorAssignment, EvidenceItem, EvidenceLink, ItemState, ReviewDecision
from ita.units.models import Unit

COMMON_REASONS = ("ไม่พบข้อมูล", "ข้อมูลไม่เป็นปัจจุบัน", "ไม่ครบองค์ประกอบ")
MAX_LINKS = 10


class OitError(ValueError):
    """A refused action; the message is for the user, in Thai."""


@dataclass(frozen=True)
class LinkInput:
    url: str
    label: str = ""


@dataclass
class Cleaned:
    links: list[LinkInput] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ensure_evidence_items(uas: Iterable[UnitAssessment], item_codes: list[str]) -> None:
    """Create the undecided OIT items of units (idempotent)."""
    rows = [EvidenceItem(unit_assessment=ua, item_code=c) for ua in uas for c in item_codes]
    EvidenceItem.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)


# --- links -----------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])


def unit_hosts(unit: Unit) -> list[str]:
    """Host names of the unit's own website (without "www.")."""
    host = urlsplit(unit.website).hostname if unit.website else None
    return [host.removeprefix("www.")] if host else []


def clean_links(unit: Unit, links: Sequence[LinkInput]) -> Cleaned:
    """Validate URLs: malformed ones and duplicates are refused; URLs outside the unit's
    own website only warn (some evidence lives on a parent office's site)."""
    cleaned = Cleaned()
    seen: set[str] = set()
    hosts = unit_hosts(unit)
    for link in links:
        url, label = link.url.strip(), link.label.strip()
        if not url:
            continue
        if len(url) > 1000:
            raise OitError(_("ลิงก์ยาวเกิน 1,000 ตัวอักษร"))
        try:
            _url_validator(url)
        except ValidationError:
            raise OitError(
                _('ลิงก์ "%(url)s" ไม่ใช่ที่อยู่เว็บที่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)') % {"url": url[:200]}
            ) from None
        if len(label) > 120:
            raise OitError(_("คำอธิบายลิงก์ยาวเกิน 120 ตัวอักษร"))
        key = url.rstrip("/")
        if key in seen:
            raise OitError(_("ลิงก์ %(url)s ซ้ำกันในข้อเดียวกัน") % {"url": url[:200]})
        seen.add(key)
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
            cleaned.warnings.append(
                _("ลิงก์ %(url)s ไม่ได้อยู่บนเว็บไซต์ของหน่วยงาน (%(site)s) โปรดตรวจสอบว่าถูกต้อง")
                % {"url": url[:200], "site": ", ".join(hosts)}
            )
        cleaned.links.append(LinkInput(url, label))
    if len(cleaned.links) > MAX_LINKS:
        raise OitError(_("ระบุลิงก์ได้ไม่เกิน %(n)d ลิงก์ต่อข้อ") % {"n": MAX_LINKS})
    return cleaned


def _replace_links(item: EvidenceItem, links: Sequence[LinkInput], added_in: str = "submission") -> None:
    keep = {link.url for link in links}
    item.links.exclude(url__in=keep).delete()
    for position, link in enumerate(links):
        EvidenceLink.objects.update_or_create(
            item=item, url=link.url, defaults={"label": link.label, "position": position, "added_in": added_in}
        )


# --- the coordinator ---------------------------------------------------------------------------


def _lock_item(item_id: int) -> EvidenceItem:
    return (
        EvidenceItem.objects.select_for_update()
        .select_related("unit_assessment__assessment", "unit_assessment__unit")
        .get(pk=item_id)
    )


def _require_submission_open(item: EvidenceItem) -> None:
    require_open_for_changes(item.unit_assessment.assessment, OitError)
    if item.locked or item.unit_assessment.state == UnitAssessmentState.OIT_LOCKED:
        raise OitError(_("ข้อนี้ยืนยันผลแล้ว แก้ไขไม่ได้"))
    if not item.unit_assessment.assessment.phase_open(PhaseKind.OIT_SUBMISSION):
        raise OitError(_("หมดเวลาส่งหลักฐาน OIT แล้ว (หรือยังไม่เปิดให้ส่ง) จึงแก้ไขไม่ได้"))
    if item.state != ItemState.DRAFT:
        raise OitError(_("ข้อ %(code)s ส่งตรวจแล้ว แก้ไขหรือส่งซ้ำไม่ได้") % {"code": item.item_code})


@transaction.atomic
def do_save_draft(
    item: EvidenceItem, *, actor: Actor, present: bool | None, links: Sequence[LinkInput], note: str = ""
) -> list[str]:
    """Save the coordinator's draft of one item; returns warnings (URLs off the unit's site)."""
    item = _lock_item(item.pk)
    _require_submission_open(item)
    cleaned = clean_links(item.unit_assessment.unit, links)
    item.present, item.note = present, note.strip()[:2000]
    item.save(update_fields=["present", "note"])
    _replace_links(item, cleaned.links)
    return cleaned.warnings


@transaction.atomic
def do_submit_item(item: EvidenceItem, *, actor: Actor) -> EvidenceItem:
    """Lock the item for review and queue a check (with snapshot) of each of its links."""
    from ita.disclosure.checks import enqueue_checks

    item = _lock_item(item.pk)
    _require_submission_open(item)
    if item.present is None:
        raise OitError(_("โปรดระบุว่ามีการเผยแพร่ข้อมูลข้อ %(code)s หรือไม่ ก่อนส่ง") % {"code": item.item_code})
    if item.present and not item.links.exists():
        raise OitError(_("ข้อ %(code)s ระบุว่ามีการเผยแพร่ แต่ยังไม่มีลิงก์") % {"code": item.item_code})
    item.state, item.submitted_at = ItemState.SUBMITTED, timezone.now()
    item.save(update_fields=["state", "submitted_at"])
    enqueue_checks(item.links.all(), purpose="submission")
    record(
        "evidence.submitted",
        actor=actor,
        unit=item.unit_assessment.unit,
        target=item,
        present=item.present,
        links=list(item.links.values_list("url", flat=True)),
    )
    return item


def previous_unit_assessment(ua: UnitAssessment) -> UnitAssessment | None:
    return (
        UnitAssessment.objects.filter(unit=ua.unit, assessment__fiscal_year__lt=ua.assessment.fiscal_year)
        .order_by("-assessment__fiscal_year", "-id")
        .first()
    )


@transaction.atomic
def do_carry_over(ua: UnitAssessment, *, actor: Actor) -> int:
    """Copy last year's evidence into this year's untouched drafts (links to be re-checked
    when submitted); returns how many items were filled."""
    require_open_for_changes(ua.assessment, OitError)
    previous = previous_unit_assessment(ua)
    if previous is None:
        raise OitError(_("ไม่พบผลการประเมินปีก่อนของหน่วยงานนี้"))
    if not ua.assessment.phase_open(PhaseKind.OIT_SUBMISSION):
        raise OitError(_("หมดเวลาส่งหลักฐาน OIT แล้ว (หรือยังไม่เปิดให้ส่ง) จึงแก้ไขไม่ได้"))
    old = {i.item_code: i for i in previous.evidence_items.prefetch_related("links")}
    filled = 0
    for item in ua.evidence_items.select_for_update().filter(state=ItemState.DRAFT, present__isnull=True, locked=False):
        source = old.get(item.item_code)
        if source is None or (source.present is None and not source.links.all()):
            continue
        item.present, item.note, item.carried_from = source.present, source.note, previous.assessment.fiscal_year
        item.save(update_fields=["present", "note", "carried_from"])
        _replace_links(item, [LinkInput(link.url, link.label) for link in source.links.all()])
        filled += 1
    record(
        "evidence.carried_over",
        actor=actor,
        unit=ua.unit,
        target=ua.assessment.slug,
        source=previous.assessment.slug,
        items=filled,
    )
    return filled


@transaction.atomic
def do_clarify(item: EvidenceItem, *, actor: Actor, explanation: str, links: Sequence[LinkInput] = ()) -> list[str]:
    """The coordinator's one answer to a failed, released item in the clarification window."""
    from ita.disclosure.checks import enqueue_checks

    item = _lock_item(item.pk)
    require_open_for_changes(item.unit_assessment.assessment, OitError)
    if item.locked or item.unit_assessment.state == UnitAssessmentState.OIT_LOCKED:
        raise OitError(_("ข้อนี้ยืนยันผลแล้ว แก้ไขไม่ได้"))
    if not item.unit_assessment.assessment.phase_open(PhaseKind.CLARIFICATION):
        raise OitError(_("ไม่อยู่ในช่วงเวลาชี้แจงเพิ่มเติม"))
    if item.passed is not False or not item.released:
        raise OitError(_("ชี้แจงได้เฉพาะข้อที่แจ้งผลว่าไม่ผ่านแล้วเท่านั้น"))
    if item.clarified_at is not None:
        raise OitError(_("ข้อ %(code)s ชี้แจงไปแล้ว ชี้แจงได้ข้อละหนึ่งครั้ง") % {"code": item.item_code})
    cleaned = clean_links(item.unit_assessment.unit, links)
    if not explanation.strip() and not cleaned.links:
        raise OitError(_("โปรดให้คำชี้แจงหรือลิงก์ใหม่อย่างน้อยหนึ่งอย่าง"))
    existing = set(item.links.values_list("url", flat=True))
    new = [link for link in cleaned.links if link.url not in existing]
    start = item.links.count()
    created = [
        EvidenceLink.objects.create(
            item=item, url=link.url, label=link.label, position=start + i, added_in="clarification"
        )
        for i, link in enumerate(new)
    ]
    item.clarification, item.clarified_at, item.state = explanation.strip()[:4000], timezone.now(), ItemState.CLARIFIED
    item.save(update_fields=["clarification", "clarified_at", "state"])
    enqueue_checks(created, purpose="submission")
    record(
        "evidence.clarified",
        actor=actor,
        unit=item.unit_assessment.unit,
        target=item,
        explanation=item.clarification,
        links=[link.url for link in new],
    )
    return cleaned.warnings


# --- the assessor ------------------------------------------------------------------------------


@transaction.atomic
def do_record_review(
    item: EvidenceItem, *, assessor: Actor, passed: bool, reason: str = "", round: str = "review"
) -> ReviewDecision:
    """Record a decision on an OIT item; a fail needs a reason. No permission checks: the
    pages call ``do_decide``; the demo loader calls this directly."""
    require_open_for_changes(item.unit_assessment.assessment, OitError)
    if not passed and not reason.strip():
        raise OitError(_("ต้องระบุเหตุผลเมื่อให้ไม่ผ่าน"))
    decision = ReviewDecision.objects.create(
        item=item,
        assessor=signed_in(assessor),
        passed=passed,
        reason=reason,
        round=round,
    )
    item.passed, item.reason = passed, reason
    item.save(update_fields=["passed", "reason"])
    record(
        "evidence.review.passed" if passed else "evidence.review.failed",
        actor=assessor,
        unit=item.unit_assessment.unit,
        target=item,
        reason=reason,
        round=round,
    )
    return decision


@transaction.atomic
def do_decide(item: EvidenceItem, *, assessor: Actor, passed: bool, reason: str = "") -> ReviewDecision:
    """An assessor's pass/fail from the review page: only by an assigned assessor, only on a
    submitted item, never on a locked one (a program admin reopens it first)."""
    item = _lock_item(item.pk)
    ua = item.unit_assessment
    if not may_review(assessor, ua):
        raise OitError(_("คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้"))
    if item.locked:
        raise OitError(_("ข้อนี้ยืนยันผลแล้ว ต้องให้ผู้ดูแลโครงการเปิดแก้ไขพร้อมเหตุผลก่อน"))
    if item.state == ItemState.DRAFT:
        raise OitError(_("หน่วยงานยังไม่ได้ส่งข้อ %(code)s ให้ตรวจ") % {"code": item.item_code})
    # An unlocked item in a locked unit has been reopened by a program admin.
    reopened = ua.state == UnitAssessmentState.OIT_LOCKED
    round = "reopened" if reopened else ("confirmation" if item.released else "review")
    decision = do_record_review(item, assessor=assessor, passed=passed, reason=reason.strip(), round=round)
    if reopened:  # a reopened item locks again with its new decision (the reopening was audited)
        item.locked = True
        item.save(update_fields=["locked"])
    elif item.released:  # a new decision reaches the unit only when the assessor releases it
        item.released = False
        item.save(update_fields=["released"])
    return decision


@transaction.atomic
def do_release(ua: UnitAssessment, *, actor: Actor) -> int:
    """Show the decided items' results to the unit (and open them for clarification)."""
    require_open_for_changes(ua.assessment, OitError)
    if not may_review(actor, ua):
        raise OitError(_("คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้"))
    count = ua.evidence_items.filter(passed__isnull=False, released=False).update(released=True)
    if not count:
        raise OitError(_("ไม่มีผลการตรวจใหม่ที่จะแจ้งหน่วยงาน"))
    record("evidence.released", actor=actor, unit=ua.unit, target=ua, items=count)
    return count


@transaction.atomic
def do_lock_unit(ua: UnitAssessment, *, actor: Actor) -> None:
    """Confirm the unit's OIT: every item decided; after this only a reopening changes it."""
    ua = UnitAssessment.objects.select_for_update().select_related("unit", "assessment").get(pk=ua.pk)
    require_open_for_changes(ua.assessment, OitError)
    if not may_review(actor, ua):
        raise OitError(_("คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้"))
    if ua.state == UnitAssessmentState.OIT_LOCKED:
        raise OitError(_("ผล OIT ของหน่วยงานนี้ยืนยันแล้ว"))
    undecided = list(ua.evidence_items.filter(passed__isnull=True).values_list("item_code", flat=True))
    if undecided:
        raise OitError(_("ยังมีข้อที่ยังไม่ได้ตัดสิน: %(codes)s") % {"codes": ", ".join(undecided)})
    ua.evidence_items.update(locked=True, released=True)
    ua.state = UnitAssessmentState.OIT_LOCKED
    ua.save(update_fields=["state"])
    record("evidence.locked", actor=actor, unit=ua.unit, target=ua)


@transaction.atomic
def do_reopen(item: EvidenceItem, *, actor: Actor, reason: str) -> None:
    """A program admin unlocks one confirmed item, with a reason, for a new decision."""
    item = _lock_item(item.pk)
    require_open_for_changes(item.unit_assessment.assessment, OitError)
    if role_on(actor, item.unit_assessment.unit) != Role.PROGRAM_ADMIN:
        raise OitError(_("เฉพาะผู้ดูแลโครงการเท่านั้นที่เปิดแก้ไขข้อที่ยืนยันผลแล้วได้"))
    if not item.locked:
        raise OitError(_("ข้อนี้ยังไม่ได้ยืนยันผล ไม่ต้องเปิดแก้ไข"))
    if not reason.strip():
        raise OitError(_("ต้องระบุเหตุผลในการเปิดแก้ไข"))
    item.locked = False
    item.save(update_fields=["locked"])
    record("evidence.reopened", actor=actor, unit=item.unit_assessment.unit, target=item, reason=reason.strip())


@transaction.atomic
def do_assign(ua: UnitAssessment, assessor: User, *, actor: Actor) -> AssessorAssignment:
    if role_on(actor, ua.unit) != Role.PROGRAM_ADMIN:
        raise OitError(_("เฉพาะผู้ดูแลโครงการเท่านั้นที่มอบหมายผู้ตรวจประเมินได้"))
    if not may_be_assigned(assessor, ua.unit):
        raise OitError(_("ผู้ใช้ %(user)s ไม่มีบทบาทผู้ตรวจประเมินสำหรับหน่วยงานนี้") % {"user": assessor})
    assignment, created = AssessorAssignment.objects.get_or_create(
        unit_assessment=ua, assessor=assessor, defaults={"assigned_by": signed_in(actor)}
    )
    if not created:
        raise OitError(_("ผู้ตรวจประเมินคนนี้ได้รับมอบหมายหน่วยงานนี้อยู่แล้ว"))
    record(
        "evidence.assessor_assigned",
        actor=actor,
        unit=ua.unit,
        target=ua,
        assessor=assessor.username,
    )
    return assignment


@transaction.atomic
def do_unassign(ua: UnitAssessment, assessor: User, *, actor: Actor) -> None:
    """Withdraw an assessor from a unit; the decisions already made stay (and stay audited)."""
    if role_on(actor, ua.unit) != Role.PROGRAM_ADMIN:
        raise OitError(_("เฉพาะผู้ดูแลโครงการเท่านั้นที่มอบหมายผู้ตรวจประเมินได้"))
    deleted, _rows = AssessorAssignment.objects.filter(unit_assessment=ua, assessor=assessor).delete()
    if not deleted:
        raise OitError(_("ผู้ตรวจประเมินคนนี้ไม่ได้รับมอบหมายหน่วยงานนี้"))
    record(
        "evidence.assessor_unassigned",
        actor=actor,
        unit=ua.unit,
        target=ua,
        assessor=assessor.username,
    )
