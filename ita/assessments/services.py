"""Opening assessments and their target units."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from ita.accounts.models import Actor, Membership, User
from ita.assessments.guards import require_open_for_changes
from ita.assessments.models import Assessment, AssessmentPhase, AssessmentState, PhaseKind, UnitAssessment
from ita.audit.services import record
from ita.frameworks.models import Framework
from ita.units.models import Unit


class AssessmentError(ValueError):
    pass


@transaction.atomic
def do_create_assessment(
    *,
    slug: str,
    name_th: str,
    framework: Framework,
    run_by: Unit,
    fiscal_year: int | None = None,
    name_en: str = "",
    actor: Actor = None,
) -> Assessment:
    year = fiscal_year or framework.fiscal_year
    if year != framework.fiscal_year:
        raise AssessmentError(
            _("กรอบการประเมิน %(framework)s ใช้กับปีงบประมาณ %(expected)d ไม่ใช่ปี %(year)d เลือกกรอบของปีนั้นหรือแก้ปีงบประมาณ")
            % {"framework": framework, "expected": framework.fiscal_year, "year": year}
        )
    assessment = Assessment.objects.create(
        slug=slug, name_th=name_th, name_en=name_en, fiscal_year=year, framework=framework, run_by=run_by
    )
    record("assessment.created", actor=actor, unit=run_by, target=slug, framework=str(framework))
    return assessment


@transaction.atomic
def do_set_calendar(
    assessment: Assessment,
    phases: Mapping[str, tuple[dt.datetime, dt.datetime]],
    actor: Actor = None,
    reason: str = "",
) -> None:
    for kind, (starts, ends) in phases.items():
        if ends <= starts:
            raise AssessmentError(_("ช่วง%(phase)s: วันสิ้นสุดต้องอยู่หลังวันเริ่มต้น") % {"phase": PhaseKind(kind).label})
        AssessmentPhase.objects.update_or_create(
            assessment=assessment, kind=kind, defaults={"starts_at": starts, "ends_at": ends}
        )
    record(
        "assessment.calendar",
        actor=actor,
        unit=assessment.run_by,
        target=assessment.slug,
        phases={k: [s.isoformat(), e.isoformat()] for k, (s, e) in phases.items()},
        reason=reason,
    )


@transaction.atomic
def do_add_target_units(assessment: Assessment, units: Iterable[Unit], actor: Actor = None) -> list[UnitAssessment]:
    """Add target units (below the running unit, of the framework's unit type): the records
    only. Callers use ``ita.flow.do_add_units``, which also sets up their surveys and OIT items."""
    spec = assessment.framework.spec
    units = list(units)
    for unit in units:
        if unit.pk == assessment.run_by_id or not unit.is_within(assessment.run_by):
            raise AssessmentError(
                _("%(unit)s ไม่ได้อยู่ในสังกัดของ %(runner)s ซึ่งเป็นผู้ดำเนินการประเมินนี้")
                % {"unit": unit.code, "runner": assessment.run_by.code}
            )
        if unit.unit_type != spec.unit_type:
            raise AssessmentError(
                _("%(unit)s เป็นหน่วยงานประเภท %(type)s แต่กรอบการประเมิน %(framework)s ใช้กับประเภท %(expected)s")
                % {"unit": unit.code, "type": unit.unit_type, "framework": spec.slug, "expected": spec.unit_type}
            )
    # In bulk, so that opening an assessment over every school of the country is a few
    # statements per thousand units rather than several per unit.
    present = set(assessment.unit_assessments.values_list("unit_id", flat=True))
    if any(u.pk not in present for u in units):
        require_open_for_changes(assessment)
    UnitAssessment.objects.bulk_create(
        [UnitAssessment(assessment=assessment, unit=u) for u in units if u.pk not in present],
        ignore_conflicts=True,
        batch_size=2000,
    )
    targets = assessment.unit_assessments.filter(unit__in=units).select_related("unit")
    added = [ua for ua in targets if ua.unit_id not in present]
    if added:
        record(
            "assessment.units_added",
            actor=actor,
            unit=assessment.run_by,
            target=assessment.slug,
            units=[ua.unit.code for ua in added],
        )
    return added


@transaction.atomic
def do_set_headcounts(ua: UnitAssessment, *, internal: int, external: int, actor: Actor = None) -> None:
    require_open_for_changes(ua.assessment)
    if internal < 0 or external < 0:
        raise AssessmentError(_("จำนวนผู้มีสิทธิ์ตอบต้องเป็นศูนย์หรือมากกว่า"))
    ua.internal_headcount, ua.external_headcount = internal, external
    ua.save(update_fields=["internal_headcount", "external_headcount"])
    record("unit.headcounts", actor=actor, unit=ua.unit, target=ua, internal=internal, external=external)


# Without these phases an open assessment could not collect anything: the calendar decides
# every action (ita.assessments.calendar).
PHASES_NEEDED_TO_OPEN = (PhaseKind.IIT, PhaseKind.EIT, PhaseKind.OIT_SUBMISSION)


def opening_problems(assessment: Assessment) -> list[str]:
    """What must be done before the assessment can be opened, one sentence each."""
    problems = []
    if not assessment.unit_assessments.exists():
        problems.append(_("ยังไม่ได้เลือกหน่วยงานที่รับการประเมิน"))
    present = set(assessment.phases.values_list("kind", flat=True))
    missing = [str(PhaseKind(k).label) for k in PHASES_NEEDED_TO_OPEN if k not in present]
    if missing:
        problems.append(_("ยังไม่ได้กำหนดช่วงเวลาในปฏิทิน: %(phases)s") % {"phases": ", ".join(missing)})
    return problems


@transaction.atomic
def do_open_assessment(assessment: Assessment, actor: Actor = None) -> None:
    """Move a draft assessment to open: from then on each phase opens and closes on its dates."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != AssessmentState.DRAFT:
        raise AssessmentError(_("การประเมินนี้เปิดดำเนินการแล้ว"))
    if problems := opening_problems(assessment):
        raise AssessmentError(" ".join(problems))
    assessment.state = AssessmentState.OPEN
    assessment.save(update_fields=["state"])
    record("assessment.opened", actor=actor, unit=assessment.run_by, target=assessment.slug)


@transaction.atomic
def do_appoint(
    unit: Unit, *, role: str, username: str, display_name: str = "", email: str = "", actor: Actor = None
) -> tuple[User, str]:
    """Give ``username`` a role on ``unit``, creating the account when it is new. Returns the
    user and, for a new account, its first password (shown once to the program admin, never
    stored in clear). The caller checks ``policy.may_grant`` first."""
    user = User.objects.filter(username=username).first()
    password = ""
    if user is None:
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(username=username, password=password, email=email, display_name=display_name)
    _membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record("membership.granted", actor=actor, unit=unit, target=username, role=role, new_account=bool(password))
    return user, password
