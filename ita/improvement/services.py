"""Every write on measures, actions and their follow-up.

Each ``do_*`` checks its input first and raises ``MeasureError`` with a Thai message the page
shows as is; nothing is written when it raises. Every change leaves an audit entry in the same
transaction. Measures are not scores: publishing results does not freeze them (the follow-up
happens in the year after publication)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.assessments.models import UnitAssessment
from ita.audit.services import record
from ita.disclosure.services import LinkInput, OitError, clean_links
from ita.frameworks.models import Framework
from ita.improvement.models import Action, Area, CatalogueEntry, FollowUp, Measure, Plan, RoundSummary, Status, lines

MAX_TEXT = 10_000  # characters in any one free-text field
ROUND_CHOICES = (3, 6, 9, 12)


class MeasureError(ValueError):
    """A refused change; the message is for the user, in Thai."""


@dataclass
class MeasureInput:
    area: str
    steps: str
    responsible: str
    title: str = ""
    rounds: Sequence[int] = (6, 12)
    answers: str = ""


@dataclass
class FollowUpInput:
    status: str
    done: str = ""
    why: str = ""
    evidence: str = ""


@dataclass
class ActionInput:
    title: str
    steps: str = ""
    done_on: dt.date | None = None
    evidence: str = ""
    warnings: list[str] = field(default_factory=list)


def _text(value: str, label: str, *, required: bool = False) -> str:
    value = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not value:
        raise MeasureError(_("โปรดกรอก%(field)s") % {"field": label})
    if len(value) > MAX_TEXT:
        raise MeasureError(
            _("%(field)s ยาว %(n)s ตัวอักษร เกินกำหนด %(max)s ตัวอักษร โปรดย่อให้สั้นลง")
            % {"field": label, "n": f"{len(value):,}", "max": f"{MAX_TEXT:,}"}
        )
    return value


def clean_evidence(ua: UnitAssessment, text: str) -> tuple[str, list[str]]:
    """Evidence URLs, one a line, checked as OIT evidence links are; returns (text, warnings)."""
    try:
        cleaned = clean_links(ua.unit, [LinkInput(url) for url in lines(text)])
    except OitError as exc:
        raise MeasureError(str(exc)) from None
    return "\n".join(link.url for link in cleaned.links), cleaned.warnings


def _clean_measure(data: MeasureInput) -> dict[str, Any]:
    if data.area not in Area.values:
        raise MeasureError(_("โปรดเลือกด้านของมาตรการ"))
    rounds = sorted(set(data.rounds))
    if not rounds or any(r not in ROUND_CHOICES for r in rounds):
        raise MeasureError(_("โปรดเลือกรอบการกำกับติดตามอย่างน้อยหนึ่งรอบ (3, 6, 9 หรือ 12 เดือน)"))
    return {
        "area": data.area,
        "title": _text(data.title, _("ชื่อมาตรการ")),
        "steps": _text(data.steps, _("วิธีการดำเนินงาน"), required=True),
        "responsible": _text(data.responsible, _("ผู้รับผิดชอบ"), required=True),
        "rounds": ",".join(str(r) for r in rounds),
        "answers": _text(data.answers, _("ตัวชี้วัด/ข้อ OIT ที่ตอบ"))[:200],
    }


# --- the plan ----------------------------------------------------------------------------------


def plan_of(ua: UnitAssessment) -> Plan | None:
    return Plan.objects.filter(unit_assessment=ua).first()


def _plan_for_update(ua: UnitAssessment, actor: Any) -> Plan:
    plan, created = Plan.objects.select_for_update().get_or_create(
        unit_assessment=ua, defaults={"starts_on": timezone.localdate()}
    )
    if created:
        record("measures.plan.created", actor=actor, unit=ua.unit, target=plan.target, starts_on=str(plan.starts_on))
    return plan


@transaction.atomic
def do_set_plan(ua: UnitAssessment, *, actor: Any, starts_on: dt.date, groups: str) -> Plan:
    """When the rounds count from, and the unit's own list of groups."""
    plan = _plan_for_update(ua, actor)
    plan.starts_on, plan.groups = starts_on, _text(groups, _("กลุ่ม/หน่วย"))
    plan.save(update_fields=["starts_on", "groups"])
    record("measures.plan.set", actor=actor, unit=ua.unit, target=plan.target, starts_on=str(starts_on))
    return plan


@transaction.atomic
def do_set_public(ua: UnitAssessment, *, actor: Any, public: bool) -> Plan:
    plan = _plan_for_update(ua, actor)
    if public and not plan.measures.exists():
        raise MeasureError(_("ยังไม่มีมาตรการให้เผยแพร่ โปรดเพิ่มมาตรการก่อน"))
    plan.public = public
    plan.save(update_fields=["public"])
    record("measures.published" if public else "measures.unpublished", actor=actor, unit=ua.unit, target=plan.target)
    return plan


# --- measures ----------------------------------------------------------------------------------


@transaction.atomic
def do_add_measure(
    ua: UnitAssessment, data: MeasureInput, *, actor: Any, from_entry: CatalogueEntry | None = None
) -> Measure:
    values = _clean_measure(data)
    plan = _plan_for_update(ua, actor)
    position = plan.measures.count() + 1
    measure = Measure.objects.create(plan=plan, position=position, from_entry=from_entry, **values)
    record(
        "measures.added",
        actor=actor,
        unit=ua.unit,
        target=f"{plan.target}/{measure.pk}",
        area=measure.area,
        catalogue=from_entry.pk if from_entry else None,
    )
    return measure


@transaction.atomic
def do_edit_measure(measure: Measure, data: MeasureInput, *, actor: Any) -> Measure:
    values = _clean_measure(data)
    measure = Measure.objects.select_for_update().select_related("plan__unit_assessment__unit").get(pk=measure.pk)
    changed = [k for k, v in values.items() if getattr(measure, k) != v]
    for key, value in values.items():
        setattr(measure, key, value)
    measure.save()
    ua = measure.plan.unit_assessment
    record("measures.edited", actor=actor, unit=ua.unit, target=f"{measure.plan.target}/{measure.pk}", changed=changed)
    return measure


@transaction.atomic
def do_record_follow_up(
    measure: Measure, months: int, data: FollowUpInput, *, actor: Any
) -> tuple[FollowUp, list[str]]:
    """The responsible group's report for one round; recording again replaces it (audited)."""
    if months not in measure.round_list:
        raise MeasureError(_("มาตรการนี้ไม่มีรอบติดตาม %(m)s เดือน") % {"m": months})
    if data.status not in Status.values:
        raise MeasureError(_("โปรดเลือกสถานะของมาตรการ"))
    why = _text(data.why, _("เหตุผล"), required=data.status == Status.DROPPED)
    done = _text(data.done, _("สิ่งที่ดำเนินการแล้ว"), required=data.status == Status.DONE)
    ua = measure.plan.unit_assessment
    evidence, warnings = clean_evidence(ua, data.evidence)
    follow_up, created = FollowUp.objects.update_or_create(
        measure=measure,
        months=months,
        defaults={"status": data.status, "why": why, "done": done, "evidence": evidence, "recorded_by": actor},
    )
    record(
        "measures.follow_up.recorded" if created else "measures.follow_up.changed",
        actor=actor,
        unit=ua.unit,
        target=f"{measure.plan.target}/{measure.pk}/{months}",
        status=data.status,
        evidence=lines(evidence),
    )
    return follow_up, warnings


@transaction.atomic
def do_write_summary(ua: UnitAssessment, months: int, *, actor: Any, summary: str, results: str) -> RoundSummary:
    if months not in ROUND_CHOICES:
        raise MeasureError(_("ไม่มีรอบติดตาม %(m)s เดือน") % {"m": months})
    plan = _plan_for_update(ua, actor)
    row, _created = RoundSummary.objects.update_or_create(
        plan=plan,
        months=months,
        defaults={
            "summary": _text(summary, _("สรุปผลการดำเนินงาน")),
            "results": _text(results, _("ผลการดำเนินการ")),
        },
    )
    record("measures.summary.written", actor=actor, unit=ua.unit, target=f"{plan.target}/round-{months}")
    return row


@transaction.atomic
def do_add_action(ua: UnitAssessment, data: ActionInput, *, actor: Any) -> tuple[Action, list[str]]:
    title = _text(data.title, _("ชื่อการดำเนินการ"), required=True)
    steps = _text(data.steps, _("ขั้นตอน"))
    evidence, warnings = clean_evidence(ua, data.evidence)
    plan = _plan_for_update(ua, actor)
    action = Action.objects.create(
        plan=plan, position=plan.actions.count() + 1, title=title, steps=steps, done_on=data.done_on, evidence=evidence
    )
    record("measures.action.added", actor=actor, unit=ua.unit, target=f"{plan.target}/actions/{action.pk}")
    return action, warnings


# --- the catalogue -------------------------------------------------------------------------------


@transaction.atomic
def do_add_catalogue_entry(
    framework: Framework, *, actor: Any, answers: str, area: str, title: str, steps: str
) -> CatalogueEntry:
    if area not in Area.values:
        raise MeasureError(_("โปรดเลือกด้านของมาตรการ"))
    answers = answers.strip()
    if not answers or len(answers) > 16:
        raise MeasureError(_("โปรดระบุตัวชี้วัด (เช่น 9) หรือข้อ OIT (เช่น O24) ที่มาตรการนี้ตอบ"))
    entry = CatalogueEntry.objects.create(
        framework=framework,
        answers=answers,
        area=area,
        title=_text(title, _("ชื่อมาตรการ"), required=True)[:300],
        steps=_text(steps, _("วิธีการดำเนินงาน"), required=True),
    )
    record("measures.catalogue.added", actor=actor, target=f"framework/{framework.pk}/{entry.pk}", answers=answers)
    return entry


# --- into next year ------------------------------------------------------------------------------

CARRIED_ITEMS = ("O42", "O43")  # the measures, and their implementation


@transaction.atomic
def do_offer_to_next_year(ua: UnitAssessment, *, actor: Any, page_url: str) -> list[str]:
    """Make last year's public measures page the draft evidence of this year's O42 (the
    measures) and O43 (their follow-up). Items the coordinator already filled are left alone.
    Returns the item codes filled."""
    from ita.disclosure.models import EvidenceItem
    from ita.disclosure.services import do_save_draft, previous_unit_assessment

    previous = previous_unit_assessment(ua)
    plan = plan_of(previous) if previous else None
    if previous is None or plan is None or not plan.measures.exists():
        raise MeasureError(_("ไม่พบมาตรการของปีก่อนของหน่วยงานนี้ จึงไม่มีอะไรให้ยกมา"))
    if not plan.public:
        raise MeasureError(_("มาตรการของปีก่อนยังไม่เผยแพร่ต่อสาธารณะ โปรดเปิดเผยแพร่ก่อน ผู้ตรวจประเมินจึงจะเปิดลิงก์ได้"))
    anchors = {
        "O42": ("#measures", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")),
        "O43": ("#follow-up", _("ผลการดำเนินการตามมาตรการ")),
    }
    filled = []
    for item in EvidenceItem.objects.filter(unit_assessment=ua, item_code__in=CARRIED_ITEMS).order_by("item_code"):
        if item.present is not None or item.links.exists():
            continue
        anchor, label = anchors[item.item_code]
        try:
            do_save_draft(
                item,
                actor=actor,
                present=True,
                links=[LinkInput(page_url + anchor, label)],
                note=_("ยกมาจากมาตรการปี %(year)s บน ITA Online") % {"year": previous.assessment.fiscal_year},
            )
        except OitError as exc:
            raise MeasureError(str(exc)) from None
        filled.append(item.item_code)
    record(
        "measures.carried_over", actor=actor, unit=ua.unit, target=plan.target, into=ua.assessment.slug, items=filled
    )
    return filled
