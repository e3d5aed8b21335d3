"""Measures pages: the unit's page (part 3 and 4 of the report, suggestions for those who
write), the forms that change them, and the progress across units. Short views: parse,
authorise through the policy, call a service, render; a refused input is shown again as typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.accounts.policy import (
    may_edit_catalogue,
    may_read_measures,
    may_see_suggestions,
    may_write_measures,
    scope_queryset,
    sees_unreleased,
)
from ita.assessments.models import UnitAssessment
from ita.frameworks.models import Framework
from ita.improvement import progress as reading
from ita.improvement.models import Area, CatalogueEntry, Measure, Plan, Status
from ita.improvement.services import (
    ROUND_CHOICES,
    ActionInput,
    FollowUpInput,
    MeasureError,
    MeasureInput,
    do_add_action,
    do_add_catalogue_entry,
    do_add_measure,
    do_edit_measure,
    do_offer_to_next_year,
    do_record_follow_up,
    do_set_plan,
    do_set_public,
    do_write_summary,
    plan_of,
)


def _ua(slug: str, code: str) -> UnitAssessment:
    return get_object_or_404(
        UnitAssessment.objects.select_related("assessment__framework", "assessment__run_by", "unit"),
        assessment__slug=slug,
        unit__code=code,
    )


def _writable(request: HttpRequest, slug: str, code: str) -> UnitAssessment:
    """The unit assessment for a change: 404 to whoever may not write its measures."""
    ua = _ua(slug, code)
    if not may_write_measures(request.user, ua):
        raise Http404
    return ua


def _measure(ua: UnitAssessment, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("plan__unit_assessment__unit"), pk=pk, plan__unit_assessment=ua
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise MeasureError(_("วันที่ “%(v)s” ไม่ถูกต้อง โปรดเลือกวันที่จากปฏิทิน (ปปปป-ดด-วว)") % {"v": value[:20]}) from None


def _measure_input(post: QueryDict) -> MeasureInput:
    rounds = [int(r) for r in post.getlist("rounds") if r.isdigit()]
    return MeasureInput(
        area=post.get("area", ""),
        title=post.get("title", ""),
        steps=post.get("steps", ""),
        responsible=post.get("responsible", ""),
        rounds=rounds,
        answers=post.get("answers", ""),
    )


def _back(ua: UnitAssessment, anchor: str = "") -> HttpResponse:
    return redirect(reverse("improvement:unit", args=[ua.assessment.slug, ua.unit.code]) + anchor)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the units one writes measures for, and progress across all units one
    sees, overdue rounds first."""
    plans = scope_queryset(request.user, Plan.objects.all())
    rows = reading.progress(plans)
    mine = scope_queryset(request.user, UnitAssessment.objects.select_related("assessment", "unit")).order_by(
        "-assessment__fiscal_year", "unit__code"
    )
    writable = [ua for ua in mine[:200] if may_write_measures(request.user, ua)]
    frameworks = Framework.objects.all() if may_edit_catalogue(request.user) else Framework.objects.none()
    return render(
        request,
        "improvement/home.html",
        {
            "rows": rows,
            "overdue": [s for row in rows for s in row.overdue],  # as on the home page
            "writable": writable,
            "frameworks": frameworks,
        },
    )


def unit_measures(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua = _ua(slug, code)
    plan = plan_of(ua)
    if not may_read_measures(request.user, ua, public=bool(plan and plan.public)):
        raise Http404
    return render(request, "improvement/unit.html", _unit_context(request, ua, plan))


def _unit_context(request: HttpRequest, ua: UnitAssessment, plan: Plan | None) -> dict[str, Any]:
    suggest = may_see_suggestions(request.user, ua)
    return {
        "ua": ua,
        "plan": plan,
        "can_write": may_write_measures(request.user, ua),
        "weak": reading.weaknesses(ua, released_only=not sees_unreleased(request.user, ua)) if suggest else [],
        "rounds": reading.rounds(plan) if plan else [],
        "measures": list(plan.measures.prefetch_related("follow_ups")) if plan else [],
        "actions": list(plan.actions.all()) if plan else [],
        "summaries": {s.months: s for s in plan.summaries.all()} if plan else {},
        "round_choices": ROUND_CHOICES,
        "areas": Area.choices,
        "typed": QueryDict(),
    }


@require_POST
def set_plan(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua = _writable(request, slug, code)
    try:
        starts = _date(request.POST.get("starts_on", ""))
        if starts is None:
            raise MeasureError(_("โปรดระบุวันเริ่มดำเนินการตามมาตรการ รอบติดตามนับจากวันนี้"))
        do_set_plan(ua, actor=request.user, starts_on=starts, groups=request.POST.get("groups", ""))
    except MeasureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("บันทึกวันเริ่มและรายชื่อกลุ่มแล้ว"))
    return _back(ua, "#plan")


@require_POST
def set_public(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua = _writable(request, slug, code)
    public = request.POST.get("public") == "1"
    try:
        do_set_public(ua, actor=request.user, public=public)
    except MeasureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("เผยแพร่มาตรการต่อสาธารณะแล้ว") if public else _("หยุดเผยแพร่มาตรการแล้ว"))
    return _back(ua)


def _form(
    request: HttpRequest, ua: UnitAssessment, data: MeasureInput, measure: Measure | None, error: str = ""
) -> HttpResponse:
    plan = plan_of(ua)
    return render(
        request,
        "improvement/measure_form.html",
        {
            "ua": ua,
            "m": data,
            "measure": measure,
            "error": error,
            "areas": Area.choices,
            "round_choices": ROUND_CHOICES,
            "groups": plan.group_list if plan else [],
        },
        status=400 if error else 200,
    )


def new_measure(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """GET: the blank form. POST with ``entry``: accept a proposal as it is (then edit it);
    POST with the fields: the coordinator's own measure."""
    ua = _writable(request, slug, code)
    if request.method != "POST":
        return _form(
            request,
            ua,
            MeasureInput(area="", steps="", responsible="", answers=request.GET.get("answers", "")[:200]),
            None,
        )
    entry_id = request.POST.get("entry", "")
    if entry_id:
        entry = get_object_or_404(
            CatalogueEntry, pk=entry_id if entry_id.isdigit() else 0, framework=ua.assessment.framework
        )
        plan = plan_of(ua)
        groups = plan.group_list[:1] if plan and plan.group_list else [_("ทุกกลุ่ม/หน่วย")]
        data = MeasureInput(
            entry.area, entry.steps, "\n".join(groups), entry.title, (6, 12), request.POST.get("answers", entry.answers)
        )
        measure = do_add_measure(ua, data, actor=request.user, from_entry=entry)
        messages.success(request, _("รับข้อเสนอเป็นมาตรการที่ %(n)s แล้ว แก้ไขให้ตรงกับหน่วยงานได้ที่นี่") % {"n": measure.position})
        return redirect("improvement:edit", slug, code, measure.pk)
    data = _measure_input(request.POST)
    try:
        measure = do_add_measure(ua, data, actor=request.user)
    except MeasureError as exc:
        return _form(request, ua, data, None, str(exc))
    messages.success(request, _("เพิ่มมาตรการที่ %(n)s แล้ว") % {"n": measure.position})
    return _back(ua, "#measures")


def edit_measure(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    ua = _writable(request, slug, code)
    measure = _measure(ua, pk)
    if request.method != "POST":
        data = MeasureInput(
            measure.area, measure.steps, measure.responsible, measure.title, measure.round_list, measure.answers
        )
        return _form(request, ua, data, measure)
    data = _measure_input(request.POST)
    try:
        do_edit_measure(measure, data, actor=request.user)
    except MeasureError as exc:
        return _form(request, ua, data, measure, str(exc))
    messages.success(request, _("บันทึกมาตรการที่ %(n)s แล้ว") % {"n": measure.position})
    return _back(ua, "#measures")


def follow_up(request: HttpRequest, slug: str, code: str, pk: int, months: int) -> HttpResponse:
    ua = _writable(request, slug, code)
    measure = _measure(ua, pk)
    if months not in measure.round_list:
        raise Http404
    current = measure.follow_ups.filter(months=months).first()
    data = FollowUpInput(current.status, current.done, current.why, current.evidence) if current else FollowUpInput("")
    error = ""
    if request.method == "POST":
        data = FollowUpInput(*(request.POST.get(k, "") for k in ("status", "done", "why", "evidence")))
        try:
            _row, warnings = do_record_follow_up(measure, months, data, actor=request.user)
        except MeasureError as exc:
            error = str(exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("บันทึกผลการติดตามรอบ %(m)s เดือนแล้ว") % {"m": months})
            return _back(ua, "#follow-up")
    context: dict[str, Any] = {
        "ua": ua,
        "measure": measure,
        "months": months,
        "due": measure.plan.due(months),
        "f": data,
        "error": error,
        "statuses": Status.choices,
    }
    return render(request, "improvement/follow_up.html", context, status=400 if error else 200)


@require_POST
def add_action(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua = _writable(request, slug, code)
    post = request.POST
    try:
        data = ActionInput(
            post.get("title", ""), post.get("steps", ""), _date(post.get("done_on", "")), post.get("evidence", "")
        )
        _action, warnings = do_add_action(ua, data, actor=request.user)
    except MeasureError as exc:
        return _refused(request, ua, str(exc), "#actions")
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, _("เพิ่มการดำเนินการแล้ว"))
    return _back(ua, "#actions")


@require_POST
def write_summary(request: HttpRequest, slug: str, code: str, months: int) -> HttpResponse:
    ua = _writable(request, slug, code)
    try:
        do_write_summary(
            ua,
            months,
            actor=request.user,
            summary=request.POST.get("summary", ""),
            results=request.POST.get("results", ""),
        )
    except MeasureError as exc:
        return _refused(request, ua, str(exc), "#follow-up")
    messages.success(request, _("บันทึกสรุปผลรอบ %(m)s เดือนแล้ว") % {"m": months})
    return _back(ua, "#follow-up")


def _refused(request: HttpRequest, ua: UnitAssessment, error: str, anchor: str) -> HttpResponse:
    """A refused form on the unit page: the page again, with the message and what was typed."""
    context = _unit_context(request, ua, plan_of(ua))
    context.update(error=error, typed=request.POST, anchor=anchor)
    return render(request, "improvement/unit.html", context, status=400)


@require_POST
def carry_over(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """This year's O42/O43 drafts from last year's public measures page."""
    ua = _writable(request, slug, code)
    from ita.disclosure.services import previous_unit_assessment

    previous = previous_unit_assessment(ua)
    if previous is None:
        messages.error(request, _("ไม่พบการประเมินปีก่อนของหน่วยงานนี้"))
        return _back(ua)
    url = request.build_absolute_uri(reverse("improvement:unit", args=[previous.assessment.slug, previous.unit.code]))
    try:
        filled = do_offer_to_next_year(ua, actor=request.user, page_url=url)
    except MeasureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("ยกมาเป็นร่างหลักฐาน OIT แล้ว: %(items)s") % {"items": ", ".join(filled) or _("ไม่มี (กรอกไว้แล้ว)")}
        )
    return _back(ua)


@login_required
def catalogue(request: HttpRequest, framework_id: int) -> HttpResponse:
    """The program admin's catalogue of proposed measures for one framework."""
    if not may_edit_catalogue(request.user):
        raise Http404
    framework = get_object_or_404(Framework, pk=framework_id)
    error, typed = "", request.POST
    if request.method == "POST":
        try:
            do_add_catalogue_entry(
                framework,
                actor=request.user,
                answers=typed.get("answers", ""),
                area=typed.get("area", ""),
                title=typed.get("title", ""),
                steps=typed.get("steps", ""),
            )
        except MeasureError as exc:
            error = str(exc)
        else:
            messages.success(request, _("เพิ่มข้อเสนอมาตรการแล้ว"))
            return redirect("improvement:catalogue", framework.pk)
    context = {
        "framework": framework,
        "entries": framework.measure_catalogue.all(),
        "areas": Area.choices,
        "error": error,
        "typed": typed,
    }
    return render(request, "improvement/catalogue.html", context, status=400 if error else 200)
