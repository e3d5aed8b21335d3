"""OIT pages: the coordinator's evidence page, the assessor's queue and review page, the
program admin's assignments, and safe serving of snapshots."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from ita.accounts.models import Role, User
from ita.accounts.policy import (
    assignable_assessors,
    get_for_reviewer,
    get_for_user,
    may_review,
    role_of,
    scope_queryset,
    sees_unreleased,
)
from ita.assessments.models import Assessment, PhaseKind, UnitAssessment, UnitAssessmentState
from ita.disclosure import services
from ita.disclosure.checks import do_recheck
from ita.disclosure.decisions import oit_score
from ita.disclosure.forms import links_from_post, present_from_post, reason_from_post
from ita.disclosure.models import AssessorAssignment, CheckFlag, EvidenceItem, EvidenceLink, ItemState, LinkCheck
from ita.disclosure.pages import Typed, item_groups
from ita.disclosure.services import COMMON_REASONS, OitError

ANY_ROLE = (Role.PROGRAM_ADMIN, Role.COORDINATOR, Role.ASSESSOR, Role.VIEWER)
REVIEWERS = (Role.PROGRAM_ADMIN, Role.ASSESSOR)


def _ua(request: HttpRequest, slug: str, code: str, *roles: str) -> tuple[UnitAssessment, str]:
    return get_for_user(request, UnitAssessment, *roles, assessment__slug=slug, unit__code=code)


def _item(ua: UnitAssessment, item_code: str) -> EvidenceItem:
    item = ua.evidence_items.filter(item_code=item_code).first()
    if item is None:
        raise Http404
    return item


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    mine = scope_queryset(request.user, UnitAssessment.objects.select_related("assessment", "unit"), Role.COORDINATOR)
    assigned = AssessorAssignment.objects.filter(assessor_id=request.user.pk).select_related(
        "unit_assessment__assessment", "unit_assessment__unit"
    )
    running = scope_queryset(request.user, Assessment.objects.all(), Role.PROGRAM_ADMIN)
    return render(request, "disclosure/home.html", {"mine": mine, "assigned": assigned, "running": running})


# --- the coordinator -------------------------------------------------------------------------


@login_required
@require_GET
def evidence(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, role = _ua(request, slug, code, *ANY_ROLE)
    return _evidence_page(request, ua, role)


def _evidence_page(request: HttpRequest, ua: UnitAssessment, role: str, typed: Typed | None = None) -> HttpResponse:
    assessment = ua.assessment
    can_review = may_review(request.user, ua)
    return render(
        request,
        "disclosure/evidence.html",
        {
            "ua": ua,
            "role": role,
            "groups": item_groups(ua, typed),
            "typed": typed,
            # Only decisions already released count for the unit, so the page gives none away early.
            "oit_score": oit_score(ua, released_only=not sees_unreleased(request.user, ua)),
            "can_edit": role == Role.COORDINATOR
            and assessment.phase_open(PhaseKind.OIT_SUBMISSION)
            and ua.state != UnitAssessmentState.OIT_LOCKED,
            "can_clarify": role == Role.COORDINATOR and assessment.phase_open(PhaseKind.CLARIFICATION),
            "can_review": can_review,
            "previous": services.previous_unit_assessment(ua),
        },
        status=400 if typed else 200,
    )


@login_required
@require_POST
def save_item(request: HttpRequest, slug: str, code: str, item_code: str) -> HttpResponse:
    ua, _role = _ua(request, slug, code, Role.COORDINATOR)
    item = _item(ua, item_code)
    action = request.POST.get("action", "save")
    warnings: list[str] = []
    try:
        if action == "clarify":
            warnings = services.do_clarify(
                item,
                actor=request.user,
                explanation=request.POST.get("clarification", ""),
                links=links_from_post(request.POST),
            )
            done = _("ส่งคำชี้แจงข้อ %(code)s แล้ว") % {"code": item_code}
        else:
            with transaction.atomic():  # a refused submission also leaves the draft as it was
                warnings = services.do_save_draft(
                    item,
                    actor=request.user,
                    present=present_from_post(request.POST),
                    links=links_from_post(request.POST),
                    note=request.POST.get("note", ""),
                )
                if action == "submit":
                    services.do_submit_item(item, actor=request.user)
            done = (_("ส่งข้อ %(code)s ให้ตรวจแล้ว") if action == "submit" else _("บันทึกร่างข้อ %(code)s แล้ว")) % {
                "code": item_code
            }
    except OitError as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": str(exc)}, status=400)
        if action == "clarify":
            messages.error(request, f"{item_code}: {exc}")
            return redirect(f"{reverse('oit:evidence', args=[slug, code])}#item-{item_code}")
        # Show the page again with what was typed, so nothing has to be typed twice.
        typed = Typed(
            item_code,
            present_from_post(request.POST),
            links_from_post(request.POST),
            request.POST.get("note", ""),
            str(exc),
        )
        return _evidence_page(request, ua, _role, typed)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": done, "warnings": warnings})
    messages.success(request, done)
    for warning in warnings:
        messages.warning(request, warning)
    return redirect(f"{reverse('oit:evidence', args=[slug, code])}#item-{item_code}")


@login_required
@require_POST
def carry_over(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, _role = _ua(request, slug, code, Role.COORDINATOR)
    try:
        filled = services.do_carry_over(ua, actor=request.user)
        messages.success(request, _("ยกข้อมูลจากปีก่อนมาเป็นร่างแล้ว %(n)d ข้อ โปรดตรวจสอบลิงก์ก่อนส่ง") % {"n": filled})
    except OitError as exc:
        messages.error(request, str(exc))
    return redirect("oit:evidence", slug, code)


# --- the assessor ----------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    rows = []
    for assignment in AssessorAssignment.objects.filter(assessor_id=request.user.pk).select_related(
        "unit_assessment__assessment", "unit_assessment__unit"
    ):
        items = assignment.unit_assessment.evidence_items.all()
        rows.append(
            {
                "ua": assignment.unit_assessment,
                "waiting": items.filter(state=ItemState.SUBMITTED, passed__isnull=True).count(),
                "clarified": items.filter(state=ItemState.CLARIFIED).count(),
                "drafts": items.filter(state=ItemState.DRAFT).count(),
                "flagged": EvidenceLink.objects.filter(item__in=items)
                .exclude(latest=None)
                .exclude(latest__flag=CheckFlag.OK)
                .count(),
            }
        )
    return render(request, "disclosure/queue.html", {"rows": rows})


@login_required
@require_GET
def review(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, role = _ua(request, slug, code, *REVIEWERS)  # a reviewer role: program admin or assigned
    return _review_page(request, ua, role)


def _review_page(
    request: HttpRequest, ua: UnitAssessment, role: str, refused: dict[str, str] | None = None
) -> HttpResponse:
    """The review page; ``refused``: a decision the service refused, shown at its item with the
    assessor's choice and reason kept (item, error, decision, reason_text, reason_choice)."""
    return render(
        request,
        "disclosure/review.html",
        {
            "refused": refused or {},
            "ua": ua,
            "role": role,
            "groups": item_groups(ua),
            "oit_score": oit_score(ua, released_only=False),
            "reasons": COMMON_REASONS,
            "is_admin": role == Role.PROGRAM_ADMIN,
            "locked": ua.state == UnitAssessmentState.OIT_LOCKED,
        },
        status=400 if refused else 200,
    )


def _review_post(request: HttpRequest, slug: str, code: str, act: Any, done: str, anchor: str = "") -> HttpResponse:
    """Run a review action; an unassigned assessor gets the service's clear message."""
    ua = get_for_reviewer(request, assessment__slug=slug, unit__code=code)
    try:
        act(ua)
        messages.success(request, done)
    except OitError as exc:
        messages.error(request, str(exc))
        if not may_review(request.user, ua):
            return redirect("oit:queue")
    return redirect(reverse("oit:review", args=[slug, code]) + anchor)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, code: str, item_code: str) -> HttpResponse:
    passed = {"pass": True, "fail": False}.get(request.POST.get("decision", ""))

    def act(ua: UnitAssessment) -> None:
        if passed is None:
            raise OitError(_("โปรดเลือกผ่านหรือไม่ผ่าน"))
        services.do_decide(
            _item(ua, item_code), assessor=request.user, passed=passed, reason=reason_from_post(request.POST)
        )

    ua = get_for_reviewer(request, assessment__slug=slug, unit__code=code)
    if may_review(request.user, ua):  # a refused decision comes back at its item, the choice kept
        try:
            act(ua)
        except OitError as exc:
            role = role_of(request.user, ua) or Role.ASSESSOR
            kept = {k: request.POST.get(k, "") for k in ("decision", "reason_text", "reason_choice")}
            return _review_page(request, ua, role, {"item": item_code, "error": str(exc), **kept})
        messages.success(request, _("บันทึกผลข้อ %(code)s แล้ว") % {"code": item_code})
        return redirect(reverse("oit:review", args=[slug, code]) + f"#item-{item_code}")
    return _review_post(
        request, slug, code, act, _("บันทึกผลข้อ %(code)s แล้ว") % {"code": item_code}, f"#item-{item_code}"
    )


@login_required
@require_POST
def release(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    return _review_post(
        request, slug, code, lambda ua: services.do_release(ua, actor=request.user), _("แจ้งผลการตรวจแก่หน่วยงานแล้ว")
    )


@login_required
@require_POST
def lock(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    return _review_post(
        request, slug, code, lambda ua: services.do_lock_unit(ua, actor=request.user), _("ยืนยันผล OIT ของหน่วยงานแล้ว")
    )


@login_required
@require_POST
def recheck(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    def act(ua: UnitAssessment) -> None:
        if not may_review(request.user, ua):
            raise OitError(_("คุณไม่ได้รับมอบหมายให้ตรวจประเมินหน่วยงานนี้"))
        do_recheck(ua, actor=request.user)

    return _review_post(request, slug, code, act, _("ส่งตรวจลิงก์ซ้ำแล้ว ผลจะแสดงเมื่อระบบตรวจเสร็จ"))


@login_required
@require_POST
def reopen(request: HttpRequest, slug: str, code: str, item_code: str) -> HttpResponse:
    def act(ua: UnitAssessment) -> None:
        services.do_reopen(_item(ua, item_code), actor=request.user, reason=request.POST.get("reason", ""))

    return _review_post(
        request, slug, code, act, _("เปิดแก้ไขข้อ %(code)s แล้ว") % {"code": item_code}, f"#item-{item_code}"
    )


# --- the program admin -----------------------------------------------------------------------


def _posted_id(request: HttpRequest, name: str) -> int:
    """A row id from the form; anything else (typed or forged) matches no row."""
    raw = request.POST.get(name, "")
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 19 else 0


@login_required
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    uas = assessment.unit_assessments.select_related("unit").prefetch_related("assessor_assignments__assessor")
    if request.method == "POST":
        ua = uas.filter(pk=_posted_id(request, "unit_assessment")).first()
        user = User.objects.filter(pk=_posted_id(request, "assessor")).first()
        try:
            if ua is None or user is None:
                raise OitError(_("โปรดเลือกหน่วยงานและผู้ตรวจประเมิน"))
            if request.POST.get("remove"):
                services.do_unassign(ua, user, actor=request.user)
                messages.success(
                    request, _("ยกเลิกการมอบหมาย %(user)s ตรวจ %(unit)s แล้ว") % {"user": user, "unit": ua.unit}
                )
            else:
                services.do_assign(ua, user, actor=request.user)
                messages.success(request, _("มอบหมาย %(user)s ตรวจ %(unit)s แล้ว") % {"user": user, "unit": ua.unit})
        except OitError as exc:
            messages.error(request, str(exc))
        return redirect("oit:assign", slug)
    assessors = assignable_assessors(assessment)
    return render(request, "disclosure/assign.html", {"assessment": assessment, "uas": uas, "assessors": assessors})


# --- snapshots -------------------------------------------------------------------------------

SNAPSHOT_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"


@login_required
@require_GET
@xframe_options_sameorigin
def snapshot(request: HttpRequest, check_id: int) -> FileResponse:
    """The stored copy of a page, never as live HTML of our origin: the CSP ``sandbox``
    makes it an opaque origin with scripts, forms and plugins off; PDFs and any
    ``?download`` are attachments."""
    check, _role = get_for_user(request, LinkCheck, *ANY_ROLE, pk=check_id)
    if not check.snapshot or not default_storage.exists(check.snapshot):
        raise Http404
    as_file = check.content_type == "application/pdf" or "download" in request.GET
    response = FileResponse(
        default_storage.open(check.snapshot, "rb"),
        as_attachment=as_file,
        filename=f"snapshot-{check.pk}.{check.snapshot.rsplit('.', 1)[-1]}",
        content_type=(check.content_type or "application/octet-stream")
        + (f"; charset={check.charset}" if check.charset else ""),
    )
    response["Content-Security-Policy"] = SNAPSHOT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=3600"
    return response
