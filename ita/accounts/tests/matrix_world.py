"""The one small world the URL × role matrix runs in, built through the real services.

- an open assessment ``mx-open`` run by OBEC over ESA A and ESA B: IIT, EIT and OIT submission
  open; an assessor assigned to A only; on A every OIT item passed and released, then O1
  failed with ``SECRET_REASON`` and NOT released;
- a published assessment ``mx-pub`` over A and B;
- one user per role of the matrix.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from ita.accounts.models import Membership, Role, User
from ita.assessments.models import Assessment, PhaseKind, UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_calendar, do_set_headcounts
from ita.audit.models import AuditEntry
from ita.disclosure.checks import store_check
from ita.disclosure.fetch import FetchResult
from ita.disclosure.models import AssessorAssignment, EvidenceItem, EvidenceLink, ReviewDecision
from ita.disclosure.services import LinkInput, do_assign, do_record_review, do_release, do_save_draft, do_submit_item
from ita.flow import do_add_units
from ita.frameworks.services import do_load_framework
from ita.jobs.models import Job
from ita.results.cards import score_json
from ita.results.models import HistoricalResult
from ita.results.services import do_publish
from ita.scoring.services import score_unit_assessment
from ita.surveys.codes import do_ensure_eit_link, do_issue_codes
from ita.units.models import Unit, UnitType

PASSWORD = "pw-for-tests-only"
SECRET_REASON = "เหตุผลลับยังไม่แจ้งหน่วยงาน-MX-7Q"  # the unreleased decision's reason
ROLES = (
    "anonymous",
    "respondent",
    "coord_a",
    "coord_b",
    "assessor_a",
    "assessor_other",
    "viewer",
    "admin_other",
    "admin",
)
# The roles from whom the unreleased decision on A must stay hidden.
KEPT_FROM = ("coord_a", "assessor_other", "viewer")


@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)  # placeholders of the URLs in the table
    users: dict[str, User | None] = field(default_factory=dict)
    unreleased_numbers: set[str] = field(default_factory=set)  # figures only the unreleased fail gives

    def client(self, role: str, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        user = self.users.get(role)
        if user is not None:
            client.force_login(user)
        elif role == "respondent":  # an anonymous visitor who holds a valid EIT link and IIT code
            client.get(f"/s/e/{self.ids['token']}/")
        return client


def _member(username: str, role: str, unit: Unit) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _window(open_now: bool) -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    if open_now:
        return now - dt.timedelta(days=1), now + dt.timedelta(days=30)
    return now - dt.timedelta(days=60), now - dt.timedelta(days=30)


def _oit_on_a(ua_a: UnitAssessment, coordinator: User, assessor: User, admin: User) -> None:
    """Every item of A but O1 and O2 passed and released; then, unreleased, O1 failed with the
    secret reason and O2 passed."""
    o1 = EvidenceItem.objects.get(unit_assessment=ua_a, item_code="O1")
    do_save_draft(o1, actor=coordinator, present=True, links=[LinkInput("https://esa-a.example.go.th/o1")])
    do_submit_item(o1, actor=coordinator)
    link = EvidenceLink.objects.get(item=o1)
    body = b"<html><title>o1</title><p>evidence</p></html>"
    result = FetchResult(
        url=link.url, final_url=link.url, status=200, content_type="text/html", sha256="b" * 64, body=body
    )
    store_check(link, result, purpose="submission")
    items = EvidenceItem.objects.filter(unit_assessment=ua_a)
    for item in items.exclude(item_code__in=("O1", "O2")):
        do_record_review(item, assessor=assessor, passed=True)
    do_release(ua_a, actor=admin)
    # An undecided item scores like a fail, so the pass on O2 is what moves the figures.
    do_record_review(items.get(item_code="O1"), assessor=assessor, passed=False, reason=SECRET_REASON)
    do_record_review(items.get(item_code="O2"), assessor=assessor, passed=True)


def numbers(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(numbers(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(numbers(v) for v in data)) if data else set()
    if isinstance(data, float):
        return {f"{data:.2f}"}
    return set()


def build_world() -> World:
    w = World()
    obec = Unit.objects.create(code="mx-obec", name_th="สพฐ. (ทดสอบ)", unit_type=UnitType.OBEC)
    esa_a = Unit.objects.create(
        code="mx-a", name_th="หน่วย ก", unit_type=UnitType.ESA, parent=obec, website="https://esa-a.example.go.th/"
    )
    esa_b = Unit.objects.create(code="mx-b", name_th="หน่วย ข", unit_type=UnitType.ESA, parent=obec)
    users: dict[str, User | None] = {
        "anonymous": None,
        "respondent": None,
        "coord_a": _member("mx-coord-a", Role.COORDINATOR, esa_a),
        "coord_b": _member("mx-coord-b", Role.COORDINATOR, esa_b),
        "assessor_a": _member("mx-assessor-a", Role.ASSESSOR, obec),
        "assessor_other": _member("mx-assessor-x", Role.ASSESSOR, obec),
        "viewer": _member("mx-viewer", Role.VIEWER, esa_a),
        "admin_other": _member("mx-admin-b", Role.PROGRAM_ADMIN, esa_b),
        "admin": _member("mx-admin", Role.PROGRAM_ADMIN, obec),
    }
    admin, coord_a, assessor = users["admin"], users["coord_a"], users["assessor_a"]
    assert admin and coord_a and assessor
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")

    published = do_create_assessment(slug="mx-pub", name_th="ประกาศแล้ว", framework=framework, run_by=obec)
    do_add_units(published, [esa_a, esa_b])
    do_set_calendar(published, {kind: _window(False) for kind in PhaseKind.values})
    do_publish(published, actor=admin)

    live = do_create_assessment(slug="mx-open", name_th="กำลังประเมิน", framework=framework, run_by=obec)
    ua_a, ua_b = do_add_units(live, [esa_a, esa_b])
    opened = (PhaseKind.IIT, PhaseKind.EIT, PhaseKind.OIT_SUBMISSION, PhaseKind.REVIEW)
    do_set_calendar(live, {kind: _window(kind in opened) for kind in PhaseKind.values})
    for ua in (ua_a, ua_b):
        do_set_headcounts(ua, internal=40, external=300)
    do_assign(ua_a, assessor, actor=admin)
    _oit_on_a(ua_a, coord_a, assessor, admin)
    from ita.improvement.services import MeasureInput, do_add_measure

    measure = do_add_measure(ua_a, MeasureInput("disclosure", "ตรวจสอบข้อมูล", "ทุกกลุ่ม/หน่วย"), actor=coord_a)
    HistoricalResult.objects.create(unit=esa_a, fiscal_year=2565, total="71.23", source="test")

    released = score_json(ua_a, score_unit_assessment(ua_a, released_only=True))
    counted = score_json(ua_a, score_unit_assessment(ua_a, released_only=False))
    w.unreleased_numbers = numbers(counted) - numbers(released)
    assert w.unreleased_numbers, json.dumps([released, counted])

    o1 = EvidenceItem.objects.get(unit_assessment=ua_a, item_code="O1")
    w.users = users
    w.ids = {
        "open": "mx-open",
        "pub": "mx-pub",
        "A": "mx-a",
        "B": "mx-b",
        "obec": "mx-obec",
        "code": (issued := do_issue_codes(ua_a, "IIT", 3)).codes[0],
        "batch": issued.batch.pk,
        "token": do_ensure_eit_link(ua_a).token,
        "check": EvidenceLink.objects.get(item=o1).latest_id,
        "unit_a": esa_a.pk,
        "assessment": live.pk,
        "ua_a": ua_a.pk,
        "item_o1": o1.pk,
        "decision": ReviewDecision.objects.filter(item=o1, passed=False).get().pk,
        "assignment": AssessorAssignment.objects.get(unit_assessment=ua_a).pk,
        "publication": published.publications.get().pk,
        "history": HistoricalResult.objects.get(unit=esa_a).pk,
        "audit": AuditEntry.objects.get(action="evidence.review.failed", unit=esa_a).pk,
        "membership": Membership.objects.get(user=coord_a).pk,
        "user": coord_a.pk,
        "framework": framework.pk,
        "job": Job.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "ct": 0,
        "measure": measure.pk,
    }
    from django.contrib.contenttypes.models import ContentType

    w.ids["ct"] = ContentType.objects.get_for_model(Assessment).pk
    assert isinstance(ua_b, UnitAssessment)
    return w


def clear_process_caches() -> None:
    """Ids repeat across test modules (each rolls back), so per-process caches keyed by id
    must be cleared around the world."""
    from ita.lib import caches

    caches.clear()
