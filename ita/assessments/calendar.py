"""The calendar as people read it: each phase's state now (not yet open, open, closed), how
long is left, and one sentence saying why an action is closed and until when. Dates are shown
in Asia/Bangkok and, on Thai pages, in the Buddhist Era (ita.lib.thai)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ita.assessments.models import Assessment, AssessmentPhase, PhaseKind
from ita.lib.thai import thai_datetime, thai_short_date

UPCOMING, OPEN, CLOSED, UNSET = "upcoming", "open", "closed", "unset"


def display_moment(value: dt.date | dt.datetime, only_day: bool = False) -> str:
    """A date or moment as every page prints it: '25 พ.ย. 2569 14:05 น.' on Thai pages
    (Buddhist Era, Thai digits with ITA_THAI_DIGITS), '25 Nov 2026 14:05' in English."""
    moment = timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value
    only_day = only_day or not isinstance(moment, dt.datetime)
    if (translation.get_language() or settings.LANGUAGE_CODE).startswith("th"):
        digits = bool(getattr(settings, "ITA_THAI_DIGITS", False))
        if only_day:
            return thai_short_date(moment.date() if isinstance(moment, dt.datetime) else moment, digits)
        assert isinstance(moment, dt.datetime)
        return thai_datetime(moment, digits)
    return date_format(moment, "j M Y" if only_day else "j M Y H:i")


@dataclass(frozen=True)
class PhaseStatus:
    kind: str
    label: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    state: str  # UPCOMING, OPEN, CLOSED or UNSET (no dates yet)
    days_left: int | None  # whole days until it closes (open) or opens (upcoming)

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def _status(kind: str, phase: AssessmentPhase | None, now: dt.datetime) -> PhaseStatus:
    label = str(PhaseKind(kind).label)
    if phase is None:
        return PhaseStatus(kind, label, None, None, UNSET, None)
    if now < phase.starts_at:
        state, until = UPCOMING, phase.starts_at
    elif now < phase.ends_at:
        state, until = OPEN, phase.ends_at
    else:
        state, until = CLOSED, None
    days = None if until is None else (timezone.localdate(until) - timezone.localdate(now)).days
    return PhaseStatus(kind, label, phase.starts_at, phase.ends_at, state, days)


def calendar_of(assessment: Assessment, at: dt.datetime | None = None) -> list[PhaseStatus]:
    """Every phase of the framework's year in calendar order, set or not: one query."""
    now = at or timezone.now()
    phases = {p.kind: p for p in AssessmentPhase.objects.filter(assessment=assessment)}
    return [_status(kind, phases.get(kind), now) for kind in PhaseKind.values]


def phase_status(assessment: Assessment, kind: str, at: dt.datetime | None = None) -> PhaseStatus:
    phase = AssessmentPhase.objects.filter(assessment=assessment, kind=kind).first()
    return _status(kind, phase, at or timezone.now())


def closed_message(status: PhaseStatus) -> str:
    """Why an action of this phase is not open now, and until when (or since when)."""
    if status.state == UNSET:
        return _("ยังไม่ได้กำหนดช่วง%(phase)sในปฏิทิน โปรดติดต่อผู้ดูแลโครงการ") % {"phase": status.label}
    assert status.starts_at is not None and status.ends_at is not None
    if status.state == UPCOMING:
        return _("ช่วง%(phase)sยังไม่เปิด จะเปิดวันที่ %(starts)s ถึง %(ends)s") % {
            "phase": status.label,
            "starts": display_moment(status.starts_at),
            "ends": display_moment(status.ends_at),
        }
    return _("ช่วง%(phase)sปิดแล้วเมื่อ %(ends)s หากจำเป็นต้องขยายเวลา โปรดติดต่อผู้ดูแลโครงการ") % {
        "phase": status.label,
        "ends": display_moment(status.ends_at),
    }
