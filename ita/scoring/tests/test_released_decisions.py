"""A unit never learns an OIT decision from its score before the assessor releases it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import UnitAssessment
from ita.assessments.services import do_set_calendar
from ita.disclosure.models import EvidenceItem
from ita.disclosure.services import do_record_review
from ita.lib.rounding import display
from ita.scoring.services import score_unit_assessment

pytestmark = pytest.mark.django_db


def test_an_unreleased_decision_counts_for_admins_and_assessors_but_not_on_the_units_pages(demo: Any) -> None:
    ua = UnitAssessment.objects.get(assessment__slug="school-2566-samutsakhon", unit__code="ss-watsuthiwat")
    # Collection has closed, so the survey scores and the total are shown (none while it is open).
    closed = (timezone.now() - dt.timedelta(days=30), timezone.now() - dt.timedelta(days=1))
    do_set_calendar(ua.assessment, {"iit": closed, "eit": closed})
    item = EvidenceItem.objects.filter(unit_assessment=ua, passed=False).first()
    assert item is not None
    before = display(score_unit_assessment(ua).total)
    EvidenceItem.objects.filter(pk=item.pk).update(released=False)
    do_record_review(item, assessor=None, passed=True, reason="")  # a changed decision, not yet released

    live, released = score_unit_assessment(ua), score_unit_assessment(ua, released_only=True)
    assert display(live.total) > before  # the assessor's new pass counts at once...
    assert display(released.total) == before  # ...but the unit still sees the item as not passed
    assert released.missing == (f"OIT:{item.item_code}",)

    coordinator = Client()
    coordinator.force_login(User.objects.get(username="school"))
    page = coordinator.get(f"/results/{ua.assessment.slug}/u/{ua.unit.code}/")
    assert page.status_code == 200
    assert page.context["card"].total == released.total
    api = coordinator.get(f"/api/v1/assessments/{ua.assessment.slug}/units/{ua.unit.code}/score").json()
    assert api["total"] == float(display(released.total))

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    assert admin.get(f"/results/{ua.assessment.slug}/u/{ua.unit.code}/").context["card"].total == live.total
