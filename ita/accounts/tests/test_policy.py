"""Who sees what: roles apply down the tree; outsiders get 404 and learn nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ita.accounts.models import Role
from ita.accounts.policy import role_on, scope_queryset
from ita.assessments.models import UnitAssessment
from ita.units.models import Unit

pytestmark = pytest.mark.django_db


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


# --- attacks from the trust issue, each shown failing -----------------------------------------


def _pa(username: str, unit: Unit) -> Any:
    from ita.accounts.models import Membership, User

    user = User.objects.create_user(username=username, password="pw-for-tests-only", is_staff=True)
    Membership.objects.create(user=user, unit=unit, role=Role.PROGRAM_ADMIN)
    return user


def test_a_unit_program_admin_cannot_make_themselves_national_program_admin_in_the_admin(
    tree: dict[str, Unit],
) -> None:
    from ita.accounts.models import Membership

    esa_admin = _pa("esa-admin", tree["esa_b"])
    client = Client()
    client.force_login(esa_admin)
    form = client.get("/admin/accounts/membership/add/")
    assert form.status_code == 200
    offered = {unit.code for unit in form.context["adminform"].form.fields["unit"].queryset}
    assert offered == {"esa-b"}  # never a unit above their own
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": esa_admin.pk, "unit": tree["obec"].pk, "role": Role.PROGRAM_ADMIN},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=esa_admin, unit=tree["obec"]).exists()
    assert role_on(esa_admin, tree["esa_a"]) is None
    # Within their own branch granting works.
    client.post("/admin/accounts/membership/add/", {"user": esa_admin.pk, "unit": tree["esa_b"].pk, "role": "viewer"})
    assert Membership.objects.filter(user=esa_admin, unit=tree["esa_b"], role="viewer").exists()


def test_moving_a_granted_membership_above_ones_own_unit_is_refused(tree: dict[str, Unit], coordinator_b: Any) -> None:
    from ita.accounts.models import Membership

    esa_admin = _pa("esa-admin", tree["esa_b"])
    membership = Membership.objects.get(user=coordinator_b)
    client = Client()
    client.force_login(esa_admin)
    client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"user": esa_admin.pk, "unit": tree["obec"].pk, "role": Role.PROGRAM_ADMIN},
    )
    membership.refresh_from_db()
    assert (membership.user_id, membership.unit_id) == (coordinator_b.pk, tree["esa_b"].pk)


def test_the_save_is_checked_again_whatever_the_form_offered(tree: dict[str, Unit]) -> None:
    from ita.accounts.models import Membership
    from ita.accounts.policy import may_grant, may_write

    esa_admin = _pa("esa-admin", tree["esa_b"])
    assert may_grant(esa_admin, tree["esa_b"], Role.PROGRAM_ADMIN)
    assert not may_grant(esa_admin, tree["obec"], Role.VIEWER)
    assert not may_grant(esa_admin, tree["esa_a"], Role.VIEWER)
    assert not may_write(esa_admin, Membership(user=esa_admin, unit=tree["obec"], role=Role.PROGRAM_ADMIN))
    assert not may_write(esa_admin, Unit(code="new-root", name_th="x", unit_type="obec", parent=None))
    assert may_write(esa_admin, Unit(code="school-b1", name_th="x", unit_type="school", parent=tree["esa_b"]))


def test_a_program_admin_cannot_make_anyone_superuser_or_staff_or_take_over_an_account_above(
    tree: dict[str, Unit], program_admin: Any
) -> None:
    from ita.accounts.models import User

    esa_admin = _pa("esa-admin", tree["esa_b"])
    client = Client()
    client.force_login(esa_admin)
    page = client.get(f"/admin/accounts/user/{esa_admin.pk}/change/")
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()
    response = client.post(
        f"/admin/accounts/user/{esa_admin.pk}/change/",
        {"username": "esa-admin", "display_name": "ก", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 302  # saved: the name, not the flag
    esa_admin.refresh_from_db()
    assert esa_admin.display_name == "ก" and not esa_admin.is_superuser
    plain = User.objects.create_user(username="plain", password="pw-for-tests-only")
    response = client.post(
        f"/admin/accounts/user/{plain.pk}/change/",
        {"username": "plain", "display_name": "ข", "is_staff": "on", "is_active": "on"},
    )
    plain.refresh_from_db()
    assert response.status_code == 302 and plain.display_name == "ข" and not plain.is_staff
    # The national program admin's account is out of reach: no page, no password change.
    assert client.get(f"/admin/accounts/user/{program_admin.pk}/change/").status_code == 302
    response = client.post(
        f"/admin/accounts/user/{program_admin.pk}/password/",
        {"password1": "Taken-over-123", "password2": "Taken-over-123"},
    )
    assert response.status_code == 404
    program_admin.refresh_from_db()
    assert program_admin.check_password("pw-for-tests-only")


def test_a_unit_program_admin_cannot_create_a_unit_or_assessment_outside_their_branch(tree: dict[str, Unit]) -> None:
    esa_admin = _pa("esa-admin", tree["esa_b"])
    client = Client()
    client.force_login(esa_admin)
    client.post("/admin/units/unit/add/", {"code": "rogue", "name_th": "x", "unit_type": "esa", "parent": ""})
    client.post(
        "/admin/units/unit/add/", {"code": "rogue2", "name_th": "x", "unit_type": "esa", "parent": tree["obec"].pk}
    )
    assert not Unit.objects.filter(code__startswith="rogue").exists()
    client.post(
        "/admin/units/unit/add/",
        {"code": "school-b1", "name_th": "x", "unit_type": "school", "parent": tree["esa_b"].pk},
    )
    assert Unit.objects.filter(code="school-b1", parent=tree["esa_b"]).exists()


def test_a_coordinator_cannot_read_unreleased_decisions_in_the_audit_log(
    assessment: Any, coordinator_a: Any, program_admin: Any, assessor: Any
) -> None:
    from ita.disclosure.models import EvidenceItem
    from ita.disclosure.services import do_record_review

    ua = UnitAssessment.objects.get(assessment=assessment, unit__code="esa-a")
    item = EvidenceItem.objects.get(unit_assessment=ua, item_code="O1")
    do_record_review(item, assessor=assessor, passed=False, reason="เหตุผลที่ยังไม่แจ้ง")
    client = Client()
    client.force_login(coordinator_a)
    assert client.get("/admin/audit/auditentry/").status_code == 403
    assert "เหตุผลที่ยังไม่แจ้ง" not in client.get("/admin/").content.decode()
    client.force_login(program_admin)
    page = client.get("/admin/audit/auditentry/")
    assert page.status_code == 200 and "evidence.review.failed" in page.content.decode()


def test_an_assessor_not_assigned_to_a_unit_sees_none_of_its_scores(
    assessment: Any, assessor: Any, program_admin: Any, tree: dict[str, Unit]
) -> None:
    from ita.accounts.models import Membership, User
    from ita.accounts.policy import may_review, sees_unreleased
    from ita.disclosure.services import do_assign

    ua = UnitAssessment.objects.get(assessment=assessment, unit__code="esa-a")
    do_assign(ua, assessor, actor=program_admin)
    stranger = User.objects.create_user(username="assessor-2", password="pw-for-tests-only", is_staff=True)
    Membership.objects.create(user=stranger, unit=tree["obec"], role=Role.ASSESSOR)
    client = Client()
    client.force_login(stranger)
    for url in (
        "/oit/esa-test/esa-a/",
        "/results/esa-test/u/esa-a/",
        "/api/v1/assessments/esa-test/units/esa-a/score",
        "/a/esa-test/",
        "/results/esa-test/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/me/results").json() == {"count": 0, "results": []}
    assert not may_review(stranger, ua) and not sees_unreleased(stranger, ua)
    # The assigned assessor sees the unit, with decisions not yet released.
    client.force_login(assessor)
    assert client.get("/results/esa-test/u/esa-a/").status_code == 200
    assert [r["unit"] for r in client.get("/api/v1/me/results").json()["results"]] == ["esa-a"]
    assert may_review(assessor, ua) and sees_unreleased(assessor, ua)
