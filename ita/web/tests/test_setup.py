"""A program admin sets up an assessment without the Django admin: create it, set its calendar,
choose its units from a file, open it. Every bad input is re-shown with its error in place and
nothing half-saved."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ita.accounts.models import User
from ita.assessments.models import Assessment, AssessmentPhase, AssessmentState
from ita.audit.models import AuditEntry
from ita.frameworks.models import Framework
from ita.frameworks.services import do_load_framework
from ita.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(settings: Any) -> Framework:
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    return framework


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _create(client: Client, framework: Framework, tree: dict[str, Unit], slug: str = "esa-2570") -> Any:
    return client.post(
        "/setup/new/",
        {"framework": framework.pk, "run_by": tree["obec"].pk, "name_th": "ITA สพท. 2566", "slug": slug},
    )


def test_a_program_admin_creates_an_assessment_and_is_led_to_its_calendar(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    response = _create(_as(program_admin), framework, tree)
    assert response.status_code == 302 and response["Location"] == "/setup/esa-2570/calendar/"
    assessment = Assessment.objects.get(slug="esa-2570")
    assert assessment.state == AssessmentState.DRAFT and assessment.fiscal_year == framework.fiscal_year
    assert AuditEntry.objects.filter(action="assessment.created", target="esa-2570").count() == 1


def test_a_bad_code_is_refused_with_the_allowed_characters_and_the_form_keeps_what_was_typed(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    response = _create(_as(program_admin), framework, tree, slug="ปี 2570")
    html = response.content.decode()
    assert response.status_code == 400
    assert "ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข ขีด (-) และขีดล่าง (_)" in html
    assert 'value="ITA สพท. 2566"' in html  # the name typed is still there
    assert not Assessment.objects.exists()


def test_a_coordinator_cannot_open_the_setup(coordinator_a: User) -> None:
    assert _as(coordinator_a).get("/setup/new/").status_code == 404


def _calendar(**overrides: str) -> dict[str, str]:
    data = {
        "iit_starts": "2026-12-01",
        "iit_ends": "2026-12-31",
        "eit_starts": "2026-12-01",
        "eit_ends": "2026-12-31",
        "oit_submission_starts": "2026-12-01",
        "oit_submission_ends": "2027-01-15",
    }
    data.update(overrides)
    return data


def test_the_calendar_is_saved_in_bangkok_days_and_audited(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    response = client.post("/setup/esa-2570/calendar/", _calendar())
    assert response.status_code == 302
    iit = AssessmentPhase.objects.get(assessment__slug="esa-2570", kind="iit")
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert iit.starts_at == dt.datetime(2026, 12, 1, tzinfo=bangkok)
    assert iit.ends_at == dt.datetime(2027, 1, 1, tzinfo=bangkok)  # the last day is included
    assert AuditEntry.objects.filter(action="assessment.calendar", target="esa-2570").count() == 1
    page = client.get("/setup/esa-2570/calendar/").content.decode()
    assert "1 ธ.ค. 2569" in page  # saved dates shown in the Buddhist Era


def test_a_calendar_with_an_end_before_its_start_is_re_shown_with_the_error_and_nothing_saved(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    response = client.post(
        "/setup/esa-2570/calendar/",
        _calendar(eit_ends="2026-11-01", publication_starts="2027-01-10", publication_ends="2027-02-10"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-error="eit_ends">วันสุดท้ายต้องไม่ก่อนวันเริ่ม' in html
    assert "ประกาศผลต้องเริ่มหลังขั้นตอนเหล่านี้สิ้นสุด: ส่งหลักฐาน OIT" in html
    assert 'value="2027-01-10"' in html  # what was typed stays
    assert not AssessmentPhase.objects.filter(assessment__slug="esa-2570").exists()


def test_units_come_from_a_file_and_a_file_with_a_bad_row_adds_none(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    bad = SimpleUploadedFile("units.csv", b"code\nesa-a\nno-such-esa\nesa-a\n")
    response = client.post("/setup/esa-2570/units/", {"how": "file", "file": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "แถว 3 คอลัมน์ A" in html and "no-such-esa" in html
    assert "แถว 4 คอลัมน์ A" in html and "ซ้ำกับแถว 2" in html
    assessment = Assessment.objects.get(slug="esa-2570")
    assert not assessment.unit_assessments.exists()

    good = SimpleUploadedFile("units.csv", b"esa-a\n")
    assert client.post("/setup/esa-2570/units/", {"how": "file", "file": good}).status_code == 302
    assert [ua.unit.code for ua in assessment.unit_assessments.all()] == ["esa-a"]
    assert assessment.unit_assessments.get().evidence_items.exists()  # set up through ita.flow


def test_opening_needs_the_calendar_units_and_a_confirmation(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    client.post("/setup/esa-2570/open", {"confirm": "on"})
    assessment = Assessment.objects.get(slug="esa-2570")
    assert assessment.state == AssessmentState.DRAFT  # nothing set yet
    client.post("/setup/esa-2570/calendar/", _calendar())
    client.post("/setup/esa-2570/units/", {"how": "all"})
    assert assessment.unit_assessments.count() == 2
    client.post("/setup/esa-2570/open", {})
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT  # no tick, no opening
    client.post("/setup/esa-2570/open", {"confirm": "on"})
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.OPEN
    assert AuditEntry.objects.filter(action="assessment.opened", target="esa-2570").count() == 1


def test_once_open_a_calendar_change_needs_a_reason_and_the_reason_is_logged(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    client.post("/setup/esa-2570/calendar/", _calendar())
    client.post("/setup/esa-2570/units/", {"how": "all"})
    client.post("/setup/esa-2570/open", {"confirm": "on"})
    extended = _calendar(iit_ends="2027-01-15")
    refused = client.post("/setup/esa-2570/calendar/", extended)
    assert refused.status_code == 400 and "โปรดระบุเหตุผลของการแก้ไขปฏิทิน" in refused.content.decode()
    assert client.post("/setup/esa-2570/calendar/", {**extended, "reason": "ขยายเวลา IIT"}).status_code == 302
    entry = AuditEntry.objects.filter(action="assessment.calendar", target="esa-2570").order_by("-id").first()
    assert entry is not None and entry.data["reason"] == "ขยายเวลา IIT"


def test_a_program_admin_appoints_a_coordinator_whose_first_password_is_shown_once(
    program_admin: User, framework: Framework, tree: dict[str, Unit]
) -> None:
    client = _as(program_admin)
    _create(client, framework, tree)
    client.post("/setup/esa-2570/units/", {"how": "all"})
    data = {"unit": tree["esa_a"].pk, "username": "coord-new", "display_name": "สมชาย ใจดี", "email": "c@example.go.th"}
    page = client.post("/setup/esa-2570/coordinators", data).content.decode()
    password = re.search(r'data-testid="first-password">([^<]+)<', page)
    assert password is not None
    assert Client().login(username="coord-new", password=password.group(1))
    new = User.objects.get(username="coord-new")
    assert new.memberships.get().unit == tree["esa_a"] and new.memberships.get().role == "coordinator"
    assert AuditEntry.objects.filter(action="membership.granted", target="coord-new").count() == 1
    assert password.group(1) not in client.get("/setup/esa-2570/").content.decode()  # once
    bad = client.post("/setup/esa-2570/coordinators", {**data, "username": "ผู้ใช้"})
    assert bad.status_code == 400 and "ชื่อผู้ใช้ใช้ได้เฉพาะ" in bad.content.decode()
