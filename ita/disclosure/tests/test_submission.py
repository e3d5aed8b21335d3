"""The coordinator's drafts and submissions, and the refusals that change nothing."""

from __future__ import annotations

import pytest

from ita.accounts.models import User
from ita.assessments.models import PhaseKind
from ita.assessments.services import do_create_assessment
from ita.audit.models import AuditEntry
from ita.disclosure.models import EvidenceLink, ItemState
from ita.disclosure.services import LinkInput, OitError, do_carry_over, do_save_draft, do_submit_item
from ita.disclosure.tests.conftest import Oit
from ita.flow import do_add_units
from ita.jobs.models import Job

pytestmark = pytest.mark.django_db

SITE = "https://esa-a.example.go.th"


def test_a_draft_keeps_links_with_labels_and_warns_about_links_off_the_units_site(
    oit: Oit, coordinator_a: User
) -> None:
    warnings = do_save_draft(
        oit.item("O1"),
        actor=coordinator_a,
        present=True,
        note="ดูหน้า 2",
        links=[LinkInput(f"{SITE}/structure", "แผนผัง"), LinkInput("https://www.obec.go.th/x", "ของ สพฐ.")],
    )
    item = oit.item("O1")
    assert (item.present, item.note, item.state) == (True, "ดูหน้า 2", ItemState.DRAFT)
    assert list(item.links.values_list("label", "url")) == [
        ("แผนผัง", f"{SITE}/structure"),
        ("ของ สพฐ.", "https://www.obec.go.th/x"),
    ]
    assert len(warnings) == 1 and "obec.go.th" in warnings[0]


def test_saving_a_draft_again_replaces_its_links(oit: Oit, coordinator_a: User) -> None:
    do_save_draft(
        oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/a"), LinkInput(f"{SITE}/b")]
    )
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/b", "บี")])
    assert list(oit.item("O1").links.values_list("url", "label")) == [(f"{SITE}/b", "บี")]


@pytest.mark.parametrize(
    "url", ["esa-a.example.go.th/x", "javascript:alert(1)", "ftp://esa-a.example.go.th/x", "http://"]
)
def test_a_malformed_url_is_refused_and_nothing_changes(oit: Oit, coordinator_a: User, url: str) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/ok")])
    with pytest.raises(OitError, match="ไม่ใช่ที่อยู่เว็บที่ถูกต้อง"):
        do_save_draft(oit.item("O1"), actor=coordinator_a, present=False, links=[LinkInput(url)])
    item = oit.item("O1")
    assert item.present is True and list(item.links.values_list("url", flat=True)) == [f"{SITE}/ok"]


def test_a_url_too_long_to_store_is_refused_with_a_message(oit: Oit, coordinator_a: User) -> None:
    with pytest.raises(OitError, match="ยาวเกิน 1,000"):
        do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/{'x' * 1000}")])
    assert not EvidenceLink.objects.exists()


def test_the_same_url_twice_in_an_item_is_refused(oit: Oit, coordinator_a: User) -> None:
    with pytest.raises(OitError, match="ซ้ำ"):
        do_save_draft(
            oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/a"), LinkInput(f"{SITE}/a/")]
        )
    assert not EvidenceLink.objects.exists()


def test_submitting_locks_the_item_queues_a_check_per_link_and_is_audited(oit: Oit, coordinator_a: User) -> None:
    do_save_draft(
        oit.item("O2"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/a"), LinkInput(f"{SITE}/b")]
    )
    do_submit_item(oit.item("O2"), actor=coordinator_a)
    assert oit.item("O2").state == ItemState.SUBMITTED
    assert sorted(j.payload["link"] for j in Job.objects.filter(kind="linkcheck")) == sorted(
        oit.item("O2").links.values_list("pk", flat=True)
    )
    entry = AuditEntry.objects.get(action="evidence.submitted")
    assert (entry.actor, entry.target, entry.data["links"]) == (
        coordinator_a,
        "esa-test/esa-a/O2",
        [f"{SITE}/a", f"{SITE}/b"],
    )


def test_a_second_submission_of_the_same_item_is_refused_and_queues_nothing(oit: Oit, coordinator_a: User) -> None:
    do_save_draft(oit.item("O2"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/a")])
    do_submit_item(oit.item("O2"), actor=coordinator_a)
    with pytest.raises(OitError, match="ส่งตรวจแล้ว"):
        do_submit_item(oit.item("O2"), actor=coordinator_a)
    with pytest.raises(OitError, match="ส่งตรวจแล้ว"):
        do_save_draft(oit.item("O2"), actor=coordinator_a, present=False, links=[])
    assert Job.objects.count() == 1 and oit.item("O2").present is True


def test_an_item_said_present_needs_a_link_before_it_is_submitted(oit: Oit, coordinator_a: User) -> None:
    do_save_draft(oit.item("O3"), actor=coordinator_a, present=True, links=[])
    with pytest.raises(OitError, match="ยังไม่มีลิงก์"):
        do_submit_item(oit.item("O3"), actor=coordinator_a)
    assert oit.item("O3").state == ItemState.DRAFT


def test_edits_after_the_submission_window_closed_are_refused(oit: Oit, coordinator_a: User) -> None:
    do_save_draft(oit.item("O1"), actor=coordinator_a, present=True, links=[LinkInput(f"{SITE}/a")])
    oit.open_only(PhaseKind.REVIEW)
    with pytest.raises(OitError, match="หมดเวลาส่งหลักฐาน"):
        do_save_draft(oit.item("O1"), actor=coordinator_a, present=False, links=[])
    with pytest.raises(OitError, match="หมดเวลาส่งหลักฐาน"):
        do_submit_item(oit.item("O1"), actor=coordinator_a)
    assert oit.item("O1").present is True and oit.item("O1").state == ItemState.DRAFT


def test_last_years_evidence_is_carried_over_as_a_draft_to_be_rechecked(
    oit: Oit, coordinator_a: User, tree: dict
) -> None:
    # Last year's assessment: this year's framework, copied as the 2565 one.
    last_year = oit.assessment.framework
    last_year.pk, last_year.fiscal_year, last_year.slug = None, 2565, "ita-2565-esa"
    last_year.save()
    last = do_create_assessment(slug="esa-last", name_th="ปีก่อน", framework=last_year, run_by=tree["obec"])
    (last_ua,) = do_add_units(last, [tree["esa_a"]])
    old = last_ua.evidence_items.get(item_code="O5")
    old.present, old.note = True, "จากปีก่อน"
    old.save()
    EvidenceLink.objects.create(item=old, url=f"{SITE}/plan-2565", label="แผน 2565")

    filled = do_carry_over(oit.ua_a, actor=coordinator_a)
    item = oit.item("O5")
    assert filled == 1 and (item.present, item.note, item.carried_from, item.state) == (
        True,
        "จากปีก่อน",
        2565,
        ItemState.DRAFT,
    )
    assert list(item.links.values_list("url", "label")) == [(f"{SITE}/plan-2565", "แผน 2565")]
    assert not Job.objects.exists()  # checked when submitted, not before


def test_carry_over_without_a_previous_year_says_so(oit: Oit, coordinator_a: User) -> None:
    with pytest.raises(OitError, match="ไม่พบผลการประเมินปีก่อน"):
        do_carry_over(oit.ua_a, actor=coordinator_a)
