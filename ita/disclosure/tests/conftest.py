from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import Assessment, PhaseKind, UnitAssessment
from ita.assessments.services import do_set_calendar
from ita.disclosure.models import EvidenceItem
from ita.disclosure.services import do_assign
from ita.disclosure.tests.webserver import Site, serve
from ita.units.models import Unit


@dataclass
class Oit:
    assessment: Assessment
    ua_a: UnitAssessment
    ua_b: UnitAssessment

    def item(self, code: str, ua: UnitAssessment | None = None) -> EvidenceItem:
        return EvidenceItem.objects.get(unit_assessment=ua or self.ua_a, item_code=code)

    def open_only(self, *kinds: str) -> None:
        """Put the calendar so that exactly these phases are open now."""
        now = timezone.now()
        past, future = (
            (now - dt.timedelta(days=30), now - dt.timedelta(days=20)),
            (now + dt.timedelta(days=20), now + dt.timedelta(days=30)),
        )
        phases: dict[str, tuple[dt.datetime, dt.datetime]] = {
            kind: ((now - dt.timedelta(days=1), now + dt.timedelta(days=1)) if kind in kinds else past)
            for kind in (PhaseKind.OIT_SUBMISSION, PhaseKind.REVIEW, PhaseKind.CLARIFICATION, PhaseKind.CONFIRMATION)
        }
        phases[PhaseKind.PUBLICATION] = future
        do_set_calendar(self.assessment, phases)


@pytest.fixture
def oit(tree: dict[str, Unit], assessment: Assessment, program_admin: User, assessor: User) -> Oit:
    data = Oit(
        assessment,
        UnitAssessment.objects.get(assessment=assessment, unit=tree["esa_a"]),
        UnitAssessment.objects.get(assessment=assessment, unit=tree["esa_b"]),
    )
    data.open_only(PhaseKind.OIT_SUBMISSION)
    do_assign(data.ua_a, assessor, actor=program_admin)
    return data


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def loopback_ok(settings: Any, tmp_path: Any) -> None:
    settings.ITA_LINKCHECK_ALLOW_LOOPBACK = True
    settings.ITA_LINKCHECK_TIMEOUT = 5
    settings.MEDIA_ROOT = str(tmp_path / "media")
