""" "What to do now": one panel per assessment the user takes part in, with the work of their role
in it, each line a sentence with a link. Counts only (responses, items); never a score, so a
panel shows nothing a role may not see on the pages it links to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ita.accounts.models import Role
from ita.accounts.policy import may_manage_assessment, visible_assessments, visible_unit_assessments
from ita.assessments.calendar import OPEN, UNSET, UPCOMING, PhaseStatus, calendar_of
from ita.assessments.models import Assessment, AssessmentState, PhaseKind, UnitAssessment
from ita.disclosure.models import AssessorAssignment, EvidenceItem, ItemState
from ita.frameworks.spec import SURVEY_TOOLS
from ita.results.services import publication_blockers
from ita.surveys.progress import progress_of
from ita.web.i18n import local_text

TODO, DONE, WAITING, LINK = "todo", "done", "waiting", "link"
UNITS_SHOWN = 10  # a coordinator of an ESA sees its first units; the rest are one link away


@dataclass(frozen=True)
class Task:
    text: str
    url: str = ""
    state: str = TODO


@dataclass
class Panel:
    assessment: Assessment
    role: str  # the role label, e.g. "ผู้ประสานงานหน่วยงาน"
    phases: list[PhaseStatus]
    tasks: list[Task] = field(default_factory=list)

    @property
    def open_phases(self) -> list[PhaseStatus]:
        return [p for p in self.phases if p.state == OPEN]

    @property
    def next_phase(self) -> PhaseStatus | None:
        return next((p for p in self.phases if p.state == UPCOMING), None)


def _oit_counts(uas: list[UnitAssessment]) -> dict[int, dict[str, int]]:
    """Per unit: OIT items not yet submitted, and items failed and released (returned)."""
    rows = (
        EvidenceItem.objects.filter(unit_assessment__in=uas)
        .values("unit_assessment_id")
        .annotate(
            drafts=Count("id", filter=Q(state=ItemState.DRAFT)),
            returned=Count("id", filter=Q(passed=False, released=True, state=ItemState.SUBMITTED)),
            waiting=Count("id", filter=Q(state=ItemState.SUBMITTED, passed__isnull=True)),
        )
    )
    return {
        r["unit_assessment_id"]: {"drafts": r["drafts"], "returned": r["returned"], "waiting": r["waiting"]}
        for r in rows
    }


def _phase_open(phases: list[PhaseStatus], kind: str) -> bool:
    return any(p.kind == kind and p.state == OPEN for p in phases)


def coordinator_tasks(assessment: Assessment, uas: list[UnitAssessment], phases: list[PhaseStatus]) -> list[Task]:
    spec = assessment.framework.spec
    progress = progress_of(spec, uas)
    oit = _oit_counts(uas)
    tasks: list[Task] = []
    for ua in uas[:UNITS_SHOWN]:
        name = local_text(ua.unit)
        survey_url = reverse("surveys:unit", args=[assessment.slug, ua.unit.code])
        if not ua.internal_headcount:
            tasks.append(
                Task(
                    _("%(unit)s: กรอกจำนวนบุคลากรและผู้รับบริการก่อน เพื่อให้ระบบคำนวณกลุ่มตัวอย่างขั้นต่ำ") % {"unit": name},
                    survey_url,
                )
            )
        iit = progress[ua.pk]["IIT"]
        if ua.internal_headcount and not iit.codes_issued:
            tasks.append(Task(_("%(unit)s: ออกรหัส IIT ให้บุคลากร (ยังไม่ได้ออกรหัส)") % {"unit": name}, survey_url))
        for tool in SURVEY_TOOLS:
            p = progress[ua.pk][tool]
            text = _("%(unit)s: %(tool)s ตอบแล้ว %(n)s จากขั้นต่ำ %(required)s คน") % {
                "unit": name,
                "tool": tool,
                "n": p.respondents,
                "required": p.required,
            }
            tasks.append(Task(text, survey_url, DONE if p.reached else TODO))
        year = reverse("unit-year", args=[assessment.slug, ua.unit.code])
        tasks.append(Task(_("%(unit)s: ขั้นตอนทั้งปี") % {"unit": name}, year, LINK))
        counts = oit.get(ua.pk, {})
        oit_url = reverse("oit:evidence", args=[assessment.slug, ua.unit.code])
        if counts.get("drafts"):
            text = ngettext("%(unit)s: OIT ยังไม่ได้ส่ง %(n)s ข้อ", "%(unit)s: OIT ยังไม่ได้ส่ง %(n)s ข้อ", counts["drafts"]) % {
                "unit": name,
                "n": counts["drafts"],
            }
            open_now = _phase_open(phases, PhaseKind.OIT_SUBMISSION)
            tasks.append(Task(text, oit_url, TODO if open_now else WAITING))
        if counts.get("returned"):
            text = ngettext(
                "%(unit)s: ผู้ประเมินส่งกลับ %(n)s ข้อ OIT ให้ชี้แจง",
                "%(unit)s: ผู้ประเมินส่งกลับ %(n)s ข้อ OIT ให้ชี้แจง",
                counts["returned"],
            ) % {"unit": name, "n": counts["returned"]}
            tasks.append(Task(text, oit_url))
    if len(uas) > UNITS_SHOWN:
        more = len(uas) - UNITS_SHOWN
        text = ngettext("และอีก %(n)s หน่วยงาน", "และอีก %(n)s หน่วยงาน", more) % {"n": more}
        tasks.append(Task(text, reverse("assessment", args=[assessment.slug]), WAITING))
    return tasks


def assessor_tasks(user: Any, assessment: Assessment) -> list[Task]:
    assigned = [
        a.unit_assessment
        for a in AssessorAssignment.objects.filter(
            assessor=user, unit_assessment__assessment=assessment
        ).select_related("unit_assessment__unit")
    ]
    oit = _oit_counts(assigned)
    tasks = []
    for ua in assigned:
        waiting = oit.get(ua.pk, {}).get("waiting", 0)
        text = ngettext("%(unit)s: รอตรวจ %(n)s ข้อ", "%(unit)s: รอตรวจ %(n)s ข้อ", waiting) % {
            "unit": local_text(ua.unit),
            "n": waiting,
        }
        url = reverse("oit:review", args=[assessment.slug, ua.unit.code])
        tasks.append(Task(text, url, TODO if waiting else DONE))
    return tasks


def admin_tasks(assessment: Assessment, phases: list[PhaseStatus]) -> list[Task]:
    slug = assessment.slug
    tasks: list[Task] = []
    unset = [p.label for p in phases if p.state == UNSET]
    if unset:
        tasks.append(
            Task(
                _("กำหนดปฏิทินให้ครบ: ยังไม่ได้กำหนด %(phases)s") % {"phases": ", ".join(unset)},
                reverse("setup:calendar", args=[slug]),
            )
        )
    uas = list(assessment.unit_assessments.select_related("unit"))
    if not uas:
        tasks.append(Task(_("เลือกหน่วยงานที่รับการประเมิน"), reverse("setup:units", args=[slug])))
    if assessment.state == AssessmentState.DRAFT:
        tasks.append(Task(_("เปิดการประเมินเมื่อกำหนดปฏิทินและหน่วยงานครบแล้ว"), reverse("setup:assessment", args=[slug])))
        return tasks
    progress = progress_of(assessment.framework.spec, uas)
    for tool in SURVEY_TOOLS:
        behind = sum(1 for ua in uas if not progress[ua.pk][tool].reached)
        if behind:
            text = ngettext(
                "%(tool)s: %(n)s หน่วยงานยังไม่ถึงกลุ่มตัวอย่างขั้นต่ำ",
                "%(tool)s: %(n)s หน่วยงานยังไม่ถึงกลุ่มตัวอย่างขั้นต่ำ",
                behind,
            ) % {"tool": tool, "n": behind}
            tasks.append(Task(text, reverse("surveys:overview", args=[slug])))
    drafts = sum(1 for c in _oit_counts(uas).values() if c["drafts"])
    if drafts:
        text = ngettext("OIT: %(n)s หน่วยงานยังส่งหลักฐานไม่ครบ", "OIT: %(n)s หน่วยงานยังส่งหลักฐานไม่ครบ", drafts) % {
            "n": drafts
        }
        tasks.append(Task(text, reverse("assessment", args=[slug])))
    if assessment.state == AssessmentState.OPEN:
        blocked = bool(publication_blockers(assessment))
        text = _("ประกาศผลได้เมื่อทุกขั้นตอนก่อนประกาศผลสิ้นสุดแล้ว") if blocked else _("ทุกขั้นตอนสิ้นสุดแล้ว ตรวจสอบและประกาศผล")
        tasks.append(Task(text, reverse("results:publish-confirm", args=[slug]), WAITING if blocked else TODO))
    return tasks


def panels_for(user: Any) -> list[Panel]:
    """One panel per assessment still running (or in draft) that the user takes part in."""
    panels = []
    running = visible_assessments(user).exclude(state=AssessmentState.PUBLISHED).select_related("framework", "run_by")
    for assessment in running.order_by("-fiscal_year", "slug"):
        phases = calendar_of(assessment)
        if may_manage_assessment(user, assessment):
            panels.append(Panel(assessment, str(Role.PROGRAM_ADMIN.label), phases, admin_tasks(assessment, phases)))
            continue
        mine = list(visible_unit_assessments(user, assessment, Role.COORDINATOR))
        if mine:
            panels.append(
                Panel(assessment, str(Role.COORDINATOR.label), phases, coordinator_tasks(assessment, mine, phases))
            )
        assessed = assessor_tasks(user, assessment)
        if assessed:
            panels.append(Panel(assessment, str(Role.ASSESSOR.label), phases, assessed))
        if not mine and not assessed:
            results = Task(_("ดูผลเบื้องต้นของหน่วยงานที่ท่านมีสิทธิ์"), reverse("results:ranking", args=[assessment.slug]))
            panels.append(Panel(assessment, str(Role.VIEWER.label), phases, [results]))
    return panels
