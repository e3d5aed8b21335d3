from __future__ import annotations

from typing import Any

from django.db import transaction

from ita.assessments.models import UnitAssessment
from ita.audit.services import record
from ita.disclosure.models import EvidenceItem, ReviewDecision


class ReviewError(ValueError):
    pass


def ensure_evidence_items(ua: UnitAssessment, item_codes: list[str]) -> None:
    EvidenceItem.objects.bulk_create([EvidenceItem(unit_assessment=ua, item_code=c) for c in item_codes], ignore_conflicts=True)


@transaction.atomic
def do_record_review(item: EvidenceItem, *, assessor: Any, passed: bool, reason: str = "", round: str = "review") -> ReviewDecision:
    """Record an assessor's decision on an OIT item; a fail needs a reason."""
    if not passed and not reason.strip():
        raise ReviewError("ต้องระบุเหตุผลเมื่อให้ไม่ผ่าน (a fail needs a reason)")
    decision = ReviewDecision.objects.create(item=item, assessor=assessor if getattr(assessor, "pk", None) else None, passed=passed, reason=reason, round=round)
    item.passed, item.reason = passed, reason
    item.save(update_fields=["passed", "reason"])
    record(
        "evidence.review.passed" if passed else "evidence.review.failed",
        actor=assessor, unit=item.unit_assessment.unit, target=f"{item.unit_assessment.assessment.slug}/{item.item_code}",
        reason=reason, round=round,
    )
    return decision
