"""The program admin's guided setup, without the Django admin: create an assessment, set its
calendar, choose its target units, open it. Each page re-shows the form with what was typed
and the error in place; every write goes through an audited service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.accounts.models import Membership, Role
from ita.accounts.policy import get_for_user, grantable_units, may_grant, may_set_up_assessments
from ita.assessments.calendar import calendar_of
from ita.assessments.models import Assessment, AssessmentState
from ita.assessments.services import (
    AssessmentError,
    do_appoint,
    do_create_assessment,
    do_open_assessment,
    do_set_calendar,
    opening_problems,
)
from ita.disclosure.models import AssessorAssignment
from ita.flow import do_add_units
from ita.units.models import Unit, UnitType
from ita.web.forms import AppointForm, AssessmentForm, CalendarForm, UnitsForm
from ita.web.unit_lists import UnitListError, units_from_upload


def _managed(request: HttpRequest, slug: str) -> Assessment:
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    return assessment


def _targets(assessment: Assessment) -> Any:
    """Units that may be targets: below the running unit, of the framework's unit type."""
    run_by = assessment.run_by
    return Unit.objects.filter(path__startswith=run_by.path, unit_type=assessment.framework.unit_type).exclude(
        pk=run_by.pk
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not may_set_up_assessments(request.user):
        raise Http404
    runners = grantable_units(request.user).filter(unit_type__in=[UnitType.OBEC, UnitType.ESA]).order_by("path")
    form = AssessmentForm(request.POST or None, run_by=runners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = do_create_assessment(
                slug=data["slug"],
                name_th=data["name_th"],
                name_en=data["name_en"],
                framework=data["framework"],
                run_by=data["run_by"],
                actor=request.user,
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("สร้างการประเมินแล้ว ขั้นต่อไป: กำหนดปฏิทิน"))
            return redirect("setup:calendar", assessment.slug)
    return render(request, "web/setup/new.html", {"form": form}, status=400 if form.errors else 200)


def _target_units(assessment: Assessment) -> Any:
    return Unit.objects.filter(unit_assessments__assessment=assessment).order_by("code")


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The setup checklist of one assessment: each step with its state and its page."""
    return _overview(request, _managed(request, slug))


def _overview(
    request: HttpRequest, assessment: Assessment, appoint: AppointForm | None = None, appointed: Any = None
) -> HttpResponse:
    phases = calendar_of(assessment)
    units = assessment.unit_assessments.count()
    assessors = AssessorAssignment.objects.filter(unit_assessment__assessment=assessment).aggregate(n=Count("id"))["n"]
    context = {
        "appoint": appoint or AppointForm(units=_target_units(assessment)),
        "appointed": appointed,
        "coordinators": Membership.objects.filter(role=Role.COORDINATOR, unit__in=_target_units(assessment))
        .select_related("user", "unit")
        .order_by("unit__code")[:200],
        "assessment": assessment,
        "phases": phases,
        "units": units,
        "assessors": assessors,
        "phases_set": sum(1 for p in phases if p.starts_at),
        "problems": opening_problems(assessment),
        "is_draft": assessment.state == AssessmentState.DRAFT,
    }
    return render(request, "web/setup/overview.html", context, status=400 if appoint and appoint.errors else 200)


@login_required
@require_POST
def appoint(request: HttpRequest, slug: str) -> HttpResponse:
    """Appoint a coordinator of a target unit. A new account's first password is shown on the
    page that answers, once (never in a message, a cookie or a log)."""
    assessment = _managed(request, slug)
    form = AppointForm(request.POST, units=_target_units(assessment))
    if not form.is_valid():
        return _overview(request, assessment, appoint=form)
    unit = form.cleaned_data["unit"]
    if not may_grant(request.user, unit, Role.COORDINATOR):
        raise Http404
    user, password = do_appoint(
        unit,
        role=Role.COORDINATOR,
        username=form.cleaned_data["username"],
        display_name=form.cleaned_data["display_name"],
        email=form.cleaned_data["email"],
        actor=request.user,
    )
    return _overview(request, assessment, appointed={"user": user, "unit": unit, "password": password})


@login_required
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _managed(request, slug)
    form = CalendarForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        do_set_calendar(assessment, form.phases(), actor=request.user, reason=form.cleaned_data["reason"].strip())
        messages.success(request, _("บันทึกปฏิทินแล้ว แต่ละขั้นตอนจะเปิดและปิดตามวันที่กำหนด (เวลาประเทศไทย)"))
        return redirect("setup:assessment", assessment.slug)
    context = {"assessment": assessment, "form": form, "phases": calendar_of(assessment)}
    return render(request, "web/setup/calendar.html", context, status=400 if form.errors else 200)


@login_required
def units(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _managed(request, slug)
    form = UnitsForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    allowed = _targets(assessment)
    if request.method == "POST" and form.is_valid():
        try:
            chosen = (
                list(allowed)
                if form.cleaned_data["how"] == UnitsForm.ALL
                else units_from_upload(form.cleaned_data["file"], allowed)
            )
            added = do_add_units(assessment, chosen, actor=request.user)
        except UnitListError as exc:
            errors = exc.errors
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("เพิ่มหน่วยงานที่รับการประเมิน %(n)s หน่วยงาน") % {"n": len(added)})
            return redirect("setup:assessment", assessment.slug)
    context = {
        "assessment": assessment,
        "form": form,
        "errors": errors,
        "available": allowed.count(),
        "targets": assessment.unit_assessments.select_related("unit").order_by("unit__code")[:200],
        "count": assessment.unit_assessments.count(),
    }
    return render(request, "web/setup/units.html", context, status=400 if errors or form.errors else 200)


@login_required
@require_POST
def open_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _managed(request, slug)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("ทำเครื่องหมายยืนยันก่อนเปิดการประเมิน"))
        return redirect("setup:assessment", slug)
    try:
        do_open_assessment(assessment, actor=request.user)
    except AssessmentError as exc:
        messages.error(request, _("เปิดการประเมินไม่ได้: %(error)s") % {"error": exc})
    else:
        messages.success(request, _("เปิดการประเมินแล้ว ผู้ประสานงานของหน่วยงานเริ่มทำงานตามปฏิทินได้"))
    return redirect("setup:assessment", slug)
