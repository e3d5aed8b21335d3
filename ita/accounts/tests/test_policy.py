"""Who sees what: roles apply down the tree; outsiders get 404 and learn nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from ita.accounts.models import Role
from ita.accounts.policy import role_on, scope_queryset
from ita.assessments.models import UnitAssessment
from ita.assessments.services import do_add_units, do_create_assessment
from ita.frameworks.services import do_load_framework
from ita.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(tree: dict[str, Unit]) -> Any:
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    a = do_create_assessment(slug="esa-test", name_th="ทดสอบ", framework=framework, run_by=tree["obec"])
    do_add_units(a, [tree["esa_a"], tree["esa_b"]])
    return a


def test_roles_apply_to_the_unit_and_everything_below_it(
    tree: dict[str, Unit], program_admin: Any, coordinator_a: Any
) -> None:
    assert role_on(program_admin, tree["school_a"]) == Role.PROGRAM_ADMIN
    assert role_on(coordinator_a, tree["esa_a"]) == Role.COORDINATOR
    assert role_on(coordinator_a, tree["school_a"]) == Role.COORDINATOR
    assert role_on(coordinator_a, tree["esa_b"]) is None
    assert role_on(coordinator_a, tree["obec"]) is None


def test_scoped_querysets_hold_only_the_users_units(
    assessment: Any, coordinator_a: Any, program_admin: Any, tree: dict[str, Unit]
) -> None:
    mine = scope_queryset(coordinator_a, UnitAssessment.objects.all())
    assert [ua.unit.code for ua in mine] == ["esa-a"]
    assert scope_queryset(program_admin, UnitAssessment.objects.all()).count() == 2


def test_a_coordinator_sees_their_units_scores_and_an_outsider_gets_404(
    assessment: Any, coordinator_a: Any, coordinator_b: Any
) -> None:
    client = Client()
    client.force_login(coordinator_a)
    assert client.get("/results/esa-test/u/esa-a/").status_code == 200
    client.force_login(coordinator_b)
    assert client.get("/results/esa-test/u/esa-a/").status_code == 404
    assert client.get("/results/esa-test/u/no-such-unit/").status_code == 404


def test_the_overview_lists_only_the_units_a_coordinator_may_see(
    assessment: Any, coordinator_a: Any, program_admin: Any
) -> None:
    client = Client()
    client.force_login(coordinator_a)
    page = client.get("/a/esa-test/").content.decode()
    assert "สพป.ก" in page and "สพป.ข" not in page
    client.force_login(program_admin)
    page = client.get("/a/esa-test/").content.decode()
    assert "สพป.ก" in page and "สพป.ข" in page


def test_home_lists_the_assessments_a_user_takes_part_in(
    assessment: Any, coordinator_a: Any, tree: dict[str, Unit]
) -> None:
    from ita.accounts.models import User

    client = Client()
    client.force_login(coordinator_a)
    assert "ทดสอบ" in client.get("/").content.decode()
    stranger = User.objects.create_user(username="stranger", password="x-pw-for-tests")
    client.force_login(stranger)
    assert "ทดสอบ" not in client.get("/").content.decode()


def test_anonymous_visitors_see_no_unit_data(assessment: Any) -> None:
    client = Client()
    assert client.get("/a/esa-test/").status_code == 404
    assert client.get("/results/esa-test/u/esa-a/").status_code == 404


def test_the_admin_lets_a_program_admin_browse_and_scopes_a_coordinator(
    assessment: Any, program_admin: Any, coordinator_a: Any
) -> None:
    client = Client()
    client.force_login(program_admin)
    for url in (
        "/admin/units/unit/",
        "/admin/assessments/assessment/",
        "/admin/frameworks/framework/",
        "/admin/assessments/unitassessment/",
    ):
        assert client.get(url).status_code == 200, url
    units_page = client.get("/admin/units/unit/").content.decode()
    assert "esa-a" in units_page and "esa-b" in units_page

    client.force_login(coordinator_a)
    units_page = client.get("/admin/units/unit/").content.decode()
    assert "esa-a" in units_page and "school-a1" in units_page and "esa-b" not in units_page
    other = Unit.objects.get(code="esa-b")
    assert client.get(f"/admin/units/unit/{other.pk}/change/").status_code in (302, 404)
    own = Unit.objects.get(code="esa-a")
    page = client.post(f"/admin/units/unit/{own.pk}/change/", {"code": "renamed", "name_th": "x", "unit_type": "esa"})
    assert page.status_code == 403
    assert Unit.objects.filter(code="esa-a").exists()


def test_audit_entries_cannot_be_changed_or_deleted(assessment: Any) -> None:
    from ita.audit.models import AuditEntry

    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()


def test_the_assessment_hub_links_each_unit_to_its_surveys_oit_and_results(
    assessment: Any, coordinator_a: Any, program_admin: Any
) -> None:
    client = Client()
    client.force_login(coordinator_a)
    page = client.get("/a/esa-test/").content.decode()
    for url in ("/results/esa-test/u/esa-a/", "/s/m/esa-test/esa-a/", "/oit/esa-test/esa-a/"):
        assert url in page
        assert client.get(url).status_code == 200, url
    assert "/oit/esa-test/assign/" not in page  # program admins only
    client.force_login(program_admin)
    assert "/oit/esa-test/assign/" in client.get("/a/esa-test/").content.decode()


def test_the_admin_lists_oit_decisions_and_publications_scoped_and_read_only(demo: Any) -> None:
    from ita.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/disclosure/evidenceitem/?q=O24").content.decode()
    assert "samutsakhon-pesa" in page and "nakhonpathom1-pesa" in page
    assert client.get("/admin/disclosure/evidenceitem/add/").status_code == 403
    for url in ("/admin/disclosure/reviewdecision/", "/admin/results/publication/", "/admin/disclosure/linkcheck/"):
        assert client.get(url).status_code == 200, url
    # A coordinator learns decisions on the unit's own pages once released, not here.
    client.force_login(User.objects.get(username="samutsakhon"))
    assert "samutsakhon-pesa" not in client.get("/admin/disclosure/evidenceitem/?q=O24").content.decode()
    history = client.get("/admin/results/historicalresult/").content.decode()
    assert "ประถมศึกษาสมุทรสาคร" in history and "นครปฐม" not in history
