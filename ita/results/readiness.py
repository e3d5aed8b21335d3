"""What a program admin should know before publishing: what blocks it (phases still running)
and what is incomplete but will be frozen as it is (units short of the minimum sample, OIT
evidence not yet confirmed). Counts only: no score is read here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ita.assessments.models import Assessment, UnitAssessmentState
from ita.disclosure.models import EvidenceItem
from ita.frameworks.spec import SURVEY_TOOLS
from ita.results.services import publication_blockers
from ita.surveys.progress import progress_of

UNITS_NAMED = 20  # a warning names this many units, then says how many more


@dataclass
class Readiness:
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def may_publish(self) -> bool:
        return not self.blockers


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:UNITS_NAMED])
    if len(names) > UNITS_NAMED:
        shown += " " + _("และอีก %(n)s หน่วยงาน") % {"n": len(names) - UNITS_NAMED}
    return shown


def readiness(assessment: Assessment) -> Readiness:
    found = Readiness(blockers=publication_blockers(assessment))
    uas = list(assessment.unit_assessments.select_related("unit").order_by("unit__code"))
    progress = progress_of(assessment.framework.spec, uas)
    for tool in SURVEY_TOOLS:
        short = [
            f"{ua.unit.name_th} ({progress[ua.pk][tool].respondents}/{progress[ua.pk][tool].required})"
            for ua in uas
            if not progress[ua.pk][tool].reached
        ]
        if short:
            found.warnings.append(
                _("%(tool)s: %(n)s หน่วยงานมีผู้ตอบน้อยกว่ากลุ่มตัวอย่างขั้นต่ำ (ตอบแล้ว/ขั้นต่ำ): %(units)s")
                % {"tool": tool, "n": len(short), "units": _named(short)}
            )
    unlocked = [ua.unit.name_th for ua in uas if ua.state == UnitAssessmentState.ACTIVE]
    if unlocked:
        found.warnings.append(
            _("OIT: %(n)s หน่วยงานยังไม่ได้ยืนยันผล (lock): %(units)s") % {"n": len(unlocked), "units": _named(unlocked)}
        )
    undecided = EvidenceItem.objects.filter(unit_assessment__assessment=assessment, passed__isnull=True).count()
    if undecided:
        found.warnings.append(_("OIT: %(n)s ข้อยังไม่มีผลการตรวจ ผลที่ประกาศจะแสดงว่าขาดข้อมูลข้อเหล่านี้") % {"n": undecided})
    return found
