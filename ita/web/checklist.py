"""The coordinator's year on one page: every step from headcount entry to the published
results, in order, each with its state and the page where it is done. Counts only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ita.assessments.models import PhaseKind, UnitAssessment, UnitAssessmentState
from ita.disclosure.models import EvidenceItem, ItemState
from ita.results.services import latest_publication
from ita.surveys.progress import progress_of

DONE, TODO, WAITING = "done", "todo", "waiting"


@dataclass(frozen=True)
class Step:
    title: str
    detail: str
    url: str
    state: str  # DONE, TODO (the coordinator's move) or WAITING (someone else's, or a later phase)


def year_steps(ua: UnitAssessment) -> list[Step]:
    assessment, code = ua.assessment, ua.unit.code
    surveys = reverse("surveys:unit", args=[assessment.slug, code])
    oit = reverse("oit:evidence", args=[assessment.slug, code])
    progress = progress_of(assessment.framework.spec, [ua])[ua.pk]
    iit, eit = progress["IIT"], progress["EIT"]
    items = EvidenceItem.objects.filter(unit_assessment=ua).aggregate(
        drafts=Count("id", filter=Q(state=ItemState.DRAFT)),
        returned=Count("id", filter=Q(passed=False, released=True, state=ItemState.SUBMITTED)),
        total=Count("id"),
    )
    collecting = assessment.phase_open(PhaseKind.IIT) or assessment.phase_open(PhaseKind.EIT)
    published = latest_publication(assessment) is not None
    steps = [
        Step(
            _("กรอกจำนวนบุคลากรและผู้รับบริการ"),
            _("บุคลากร %(i)s คน · ผู้รับบริการ %(e)s คน") % {"i": ua.internal_headcount, "e": ua.external_headcount},
            surveys,
            DONE if ua.internal_headcount and ua.external_headcount else TODO,
        ),
        Step(
            _("ออกรหัส IIT ให้บุคลากร"),
            _("ออกแล้ว %(n)s รหัส ใช้แล้ว %(used)s รหัส") % {"n": iit.codes_issued, "used": iit.codes_used},
            surveys,
            DONE if iit.codes_issued else TODO,
        ),
        Step(
            _("เก็บข้อมูล IIT ให้ถึงกลุ่มตัวอย่างขั้นต่ำ"),
            _("ตอบแล้ว %(n)s จากขั้นต่ำ %(required)s คน") % {"n": iit.respondents, "required": iit.required},
            surveys,
            DONE if iit.reached else (TODO if collecting else WAITING),
        ),
        Step(
            _("เผยแพร่ลิงก์หรือคิวอาร์โค้ด EIT ให้ถึงกลุ่มตัวอย่างขั้นต่ำ"),
            _("ตอบแล้ว %(n)s จากขั้นต่ำ %(required)s คน") % {"n": eit.respondents, "required": eit.required},
            surveys,
            DONE if eit.reached else (TODO if collecting else WAITING),
        ),
        Step(
            _("ส่งหลักฐาน OIT ทุกข้อ"),
            _("ยังไม่ได้ส่ง %(n)s จาก %(total)s ข้อ") % {"n": items["drafts"], "total": items["total"]},
            oit,
            DONE if items["total"] and not items["drafts"] else TODO,
        ),
        Step(
            _("ชี้แจงข้อที่ผู้ประเมินส่งกลับ"),
            _("รอชี้แจง %(n)s ข้อ") % {"n": items["returned"]},
            oit,
            TODO if items["returned"] else (DONE if ua.state == UnitAssessmentState.OIT_LOCKED else WAITING),
        ),
        Step(
            _("ผู้ประเมินยืนยันผล OIT"),
            _("ยืนยันแล้ว") if ua.state == UnitAssessmentState.OIT_LOCKED else _("รอผู้ประเมิน"),
            oit,
            DONE if ua.state == UnitAssessmentState.OIT_LOCKED else WAITING,
        ),
        Step(
            _("ผลการประเมินและรายงาน"),
            _("ประกาศผลแล้ว") if published else _("รอผู้ดูแลโครงการประกาศผล"),
            reverse("results:unit", args=[assessment.slug, code]),
            DONE if published else WAITING,
        ),
    ]
    return steps
