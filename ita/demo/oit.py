"""OIT demo data: the demo assessor is assigned to every unit of the demo assessments, and
each decided item shows as submitted with a link on the unit's (example) website, so the
review and evidence pages have something to show. Decisions are left as they are, so no
score changes. Idempotent."""

from __future__ import annotations

from django.db import transaction

from ita.accounts.models import User
from ita.assessments.models import UnitAssessment
from ita.disclosure.models import AssessorAssignment, EvidenceItem, EvidenceLink, ItemState
from ita.disclosure.services import do_assign

DEMO_ASSESSMENTS = ("esa-2566", "school-2566-samutsakhon")


@transaction.atomic
def load_oit_demo() -> None:
    assessor = User.objects.filter(username="assessor").first()
    admin = User.objects.filter(username="admin").first()
    if assessor is None or admin is None:
        return
    for ua in UnitAssessment.objects.filter(assessment__slug__in=DEMO_ASSESSMENTS).select_related("unit", "assessment"):
        if not AssessorAssignment.objects.filter(unit_assessment=ua, assessor=assessor).exists():
            do_assign(ua, assessor, actor=admin)
        decided = EvidenceItem.objects.filter(unit_assessment=ua, passed__isnull=False, state=ItemState.DRAFT)
        site = ua.unit.website or "https://example.go.th/"
        for item in decided:
            EvidenceLink.objects.get_or_create(
                item=item,
                url=f"{site.rstrip('/')}/ita/{ua.assessment.fiscal_year}/{item.item_code.lower()}",
                defaults={"label": f"หลักฐานข้อ {item.item_code}"},
            )
        decided.update(state=ItemState.SUBMITTED, present=True)
