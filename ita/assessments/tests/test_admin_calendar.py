"""Moving a collection window decides when scores may be seen, so a calendar edit made in the
admin leaves the same audit entry as one made through the service, and the state and the
headcounts cannot be typed in there at all."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import Assessment, AssessmentPhase, AssessmentState
from ita.assessments.services import do_create_assessment, do_set_calendar
from ita.audit.models import AuditEntry
from ita.frameworks.services import do_load_framework
from ita.units.models import Unit

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The fields a browser would post back from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@pytest.fixture
def assessment(tree: dict[str, Unit], program_admin: User, settings: Any) -> Assessment:
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    a = do_create_assessment(
        slug="cal", name_th="ปฏิทิน", fiscal_year=2566, framework=framework, run_by=tree["obec"], actor=program_admin
    )
    now = timezone.now()
    do_set_calendar(a, {"iit": (now - dt.timedelta(days=10), now - dt.timedelta(days=1))}, actor=program_admin)
    return a


def test_reopening_a_collection_window_in_the_admin_is_audited(assessment: Assessment) -> None:
    # Only a superuser sees the calendar inline (program admins set it through the service).
    superuser = User.objects.create_superuser("root", password="pw-for-tests-only")
    client = Client()
    client.force_login(superuser)
    url = f"/admin/assessments/assessment/{assessment.pk}/change/"
    form = _Form()
    form.feed(client.get(url).content.decode())
    phase = AssessmentPhase.objects.get(assessment=assessment, kind="iit")
    reopened_until = timezone.localtime(timezone.now() + dt.timedelta(days=3))
    end_fields = [k for k in form.data if k.startswith("phases-0-ends_at")]
    assert end_fields, form.data
    form.data["phases-0-ends_at_0"] = reopened_until.strftime("%Y-%m-%d")
    form.data["phases-0-ends_at_1"] = reopened_until.strftime("%H:%M:%S")
    before = AuditEntry.objects.filter(action="assessment.calendar").count()

    response = client.post(url, form.data)

    assert response.status_code == 302, response.content.decode()[:2000]
    phase.refresh_from_db()
    assert phase.ends_at > timezone.now()  # the window is open again...
    entry = AuditEntry.objects.filter(action="assessment.calendar").order_by("-id").first()
    assert AuditEntry.objects.filter(action="assessment.calendar").count() == before + 1  # ...and it says so
    assert entry is not None and entry.actor == superuser and "iit" in entry.data["phases"]
    assert entry.data["via"] == "admin"


def test_the_state_cannot_be_typed_in_the_admin(assessment: Assessment, program_admin: User) -> None:
    client = Client()
    client.force_login(program_admin)
    url = f"/admin/assessments/assessment/{assessment.pk}/change/"
    form = _Form()
    form.feed(client.get(url).content.decode())
    form.data["state"] = AssessmentState.PUBLISHED
    client.post(url, form.data)
    assessment.refresh_from_db()
    assert assessment.state != AssessmentState.PUBLISHED
