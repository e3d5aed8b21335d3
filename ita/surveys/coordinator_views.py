"""The coordinator's and program admin's survey pages: headcounts, codes, the EIT link and
poster, live progress, and (for the program admin) signals of manipulation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ita.accounts.models import Role
from ita.accounts.policy import get_for_user, may_manage_assessment, may_see_assessment, visible_unit_assessments
from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import AssessmentError, do_set_headcounts
from ita.surveys import printing
from ita.surveys.codes import (
    CodeError,
    CodeIssue,
    code_allowance,
    do_ensure_eit_link,
    do_issue_codes,
    do_set_eit_code_mode,
    do_void_and_reissue,
    spare_codes,
    verified_codes,
)
from ita.surveys.manipulation import METRICS, flags, unit_signals
from ita.surveys.models import CodeBatch, SurveyCode, SurveyTool
from ita.surveys.progress import category_counts, progress_of

MANAGERS = (Role.PROGRAM_ADMIN, Role.COORDINATOR)
ALREADY_ISSUED = gettext_lazy(
    'รหัสชุดนี้ออกไปแล้ว (ส่งแบบฟอร์มซ้ำ) ระบบไม่ได้ออกรหัสเพิ่ม หากไม่ได้เก็บบัตรรหัสไว้ ให้กด "ยกเลิกและออกใหม่" ที่ชุดนั้นในรายการชุดรหัส'
)


def _unit(request: HttpRequest, slug: str, code: str) -> tuple[UnitAssessment, str]:
    return get_for_user(request, UnitAssessment, *MANAGERS, assessment__slug=slug, unit__code=code)


@login_required
def unit_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, role = _unit(request, slug, code)
    error = ""
    if request.method == "POST":
        try:
            _act(request, ua)
            return HttpResponseRedirect(request.path)
        except (ValueError, AssessmentError) as exc:
            error = str(exc) if isinstance(exc, AssessmentError) else _("ตัวเลขไม่ถูกต้อง")
    return _unit_response(request, ua, role, error)


def _unit_response(
    request: HttpRequest, ua: UnitAssessment, role: str, error: str = "", posted: dict[str, str] | None = None
) -> HttpResponse:
    """The unit's survey page; after a refused issue or void, with the error and what the
    coordinator typed (nothing they entered is lost)."""
    spec = ua.assessment.framework.spec
    link = do_ensure_eit_link(ua, actor=request.user)
    progress = progress_of(spec, [ua])[ua.pk]
    batches = list(
        CodeBatch.objects.filter(unit_assessment=ua).select_related("issued_by", "replaced_by").order_by("-issued_at")
    )
    return render(
        request,
        "surveys/unit.html",
        {
            "ua": ua,
            "role": role,
            "spec": spec,
            "progress": progress,
            "error": error,
            "posted": posted or {},
            "link": link,
            "eit_url": request.build_absolute_uri(reverse("surveys:eit", args=[link.token])),
            "categories": category_counts(spec, ua),
            "json_url": reverse("surveys:unit-json", args=[ua.assessment.slug, ua.unit.code]),
            "suggested": {t: max(0, p.required - p.codes_issued) for t, p in progress.items()},
            "batches": batches,
            "allowance": code_allowance(ua),
            "spare": spare_codes(ua.internal_headcount),
            # A fresh id per page load: a resubmitted issue form finds its batch already made
            # instead of issuing a second one.
            "new_batch_id": uuid.uuid4(),
        },
        status=400 if error else 200,
    )


def _act(request: HttpRequest, ua: UnitAssessment) -> None:
    action = request.POST.get("action")
    if action == "headcounts":
        do_set_headcounts(
            ua, internal=int(request.POST["internal"]), external=int(request.POST["external"]), actor=request.user
        )
    elif action == "eit_mode":
        do_set_eit_code_mode(do_ensure_eit_link(ua), request.POST.get("requires_code") == "on", actor=request.user)
    else:
        raise ValueError(action)


@login_required
def unit_json(request: HttpRequest, slug: str, code: str) -> JsonResponse:
    ua, _role = _unit(request, slug, code)
    spec = ua.assessment.framework.spec
    progress = progress_of(spec, [ua])[ua.pk]
    return JsonResponse(
        {
            "unit": ua.unit.code,
            "tools": {t: p.as_json() for t, p in progress.items()},
            "categories": {c: n for c, _label, n in category_counts(spec, ua)},
        }
    )


@login_required
@require_POST
def issue_codes(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Make codes and show them, once: the page (and the slips or CSV made from it, as often
    as needed while it is open) is the only place their plaintext ever appears."""
    ua, role = _unit(request, slug, code)
    posted = {k: request.POST.get(k, "") for k in ("tool", "count", "reason")}
    tool = posted["tool"] or "IIT"
    try:
        batch_id = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        batch_id = uuid.uuid4()
    if CodeBatch.objects.filter(pk=batch_id).exists():
        return _unit_response(request, ua, role, str(ALREADY_ISSUED), posted)
    try:
        if tool not in SurveyTool.values:
            raise CodeError(_("เลือกแบบวัด IIT หรือ EIT"))
        count = int(posted["count"] or "0")
        issued = do_issue_codes(ua, tool, count, actor=request.user, reason=posted["reason"], batch_id=batch_id)
    except ValueError as exc:  # CodeError too
        message = str(exc) if isinstance(exc, CodeError) else _("จำนวนรหัสต้องเป็นตัวเลข 1–2000")
        return _unit_response(request, ua, role, message, posted)
    except IntegrityError:  # the same form posted twice at once: the other post issued it
        return _unit_response(request, ua, role, str(ALREADY_ISSUED), posted)
    return _issued_page(request, ua, issued)


@login_required
@require_POST
def void_batch(request: HttpRequest, slug: str, code: str, batch: uuid.UUID) -> HttpResponse:
    """Void and reissue a lost batch in one step; the confirmation box must be ticked."""
    ua, role = _unit(request, slug, code)
    found = CodeBatch.objects.filter(pk=batch, unit_assessment=ua).first()
    if found is None:
        raise Http404
    posted = {"void_reason": request.POST.get("reason", ""), "void_batch": str(batch)}
    if request.POST.get("confirm") != "on":
        return _unit_response(request, ua, role, _("ติ๊กช่องยืนยันก่อน แล้วกดยกเลิกและออกใหม่อีกครั้ง"), posted)
    try:
        issued = do_void_and_reissue(found, request.POST.get("reason", ""), actor=request.user)
    except CodeError as exc:
        return _unit_response(request, ua, role, str(exc), posted)
    return _issued_page(request, ua, issued, replaces=found)


def _issued_page(request: HttpRequest, ua: UnitAssessment, issued: CodeIssue, replaces: Any = None) -> HttpResponse:
    response = render(
        request,
        "surveys/issued.html",
        {
            "ua": ua,
            "tool": issued.tool,
            "codes": _with_urls(request, issued.codes),
            "batch": issued.batch,
            "replaces": replaces,
        },
    )
    # same-origin, not no-referrer: with no-referrer Chromium posts the download forms with
    # "Origin: null" and the CSRF check refuses them; same-origin still sends nothing off-site.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"  # the codes stay out of the browser's disk cache
    return response


def _with_urls(request: HttpRequest, codes: Any) -> list[tuple[str, str]]:
    """Each code with its slip's link: the entry page with the code in the fragment, which the
    browser never sends to a server (the entry page posts it), so no code lands in a log."""
    entry = request.build_absolute_uri(reverse("surveys:entry"))
    return [(c, f"{entry}#{c}") for c in codes]


def _posted_codes(request: HttpRequest, ua: UnitAssessment) -> tuple[str, list[tuple[str, str]]]:
    tool = request.POST.get("tool", "IIT")
    codes = verified_codes(ua, tool, request.POST.get("codes", "").split())
    if not codes:
        raise Http404
    return tool, _with_urls(request, codes)


@login_required
@require_POST
def slips_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, _role = _unit(request, slug, code)
    tool, codes = _posted_codes(request, ua)
    pdf = printing.slips_pdf(
        ua.unit.name_th, ua.assessment.name_th, tool, codes, request.build_absolute_uri(reverse("surveys:entry"))
    )
    return _download(pdf, "application/pdf", f"{ua.unit.code}-{tool.lower()}-slips.pdf")


@login_required
@require_POST
def codes_csv(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, _role = _unit(request, slug, code)
    tool, codes = _posted_codes(request, ua)
    return _download(
        printing.codes_csv(ua.unit.name_th, tool, codes),
        "text/csv; charset=utf-8",
        f"{ua.unit.code}-{tool.lower()}-codes.csv",
    )


@login_required
def poster_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, _role = _unit(request, slug, code)
    link = do_ensure_eit_link(ua, actor=request.user)
    url = request.build_absolute_uri(reverse("surveys:eit", args=[link.token]))
    return _download(
        printing.poster_pdf(ua.unit.name_th, ua.assessment.name_th, url),
        "application/pdf",
        f"{ua.unit.code}-eit-poster.pdf",
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _overview_data(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        assessment = Assessment.objects.select_related("framework", "run_by").get(slug=slug)
    except Assessment.DoesNotExist:
        raise Http404 from None
    if not may_see_assessment(request.user, assessment, *MANAGERS):
        raise Http404
    uas = list(visible_unit_assessments(request.user, assessment, *MANAGERS))
    is_admin = may_manage_assessment(request.user, assessment)
    spec = assessment.framework.spec
    rows = []
    progress = progress_of(spec, uas)
    signal_rows: dict[str, Any] = {}
    if is_admin:
        for tool in ("IIT", "EIT"):
            found = unit_signals([ua.pk for ua in uas], tool)
            signal_rows[tool] = (found, flags(found, spec.min_group_size))
    for ua in uas:
        row: dict[str, Any] = {"ua": ua, "progress": progress[ua.pk], "signals": {}}
        for tool, (found, flagged) in signal_rows.items():
            s = found.get(ua.pk)
            if s and s.responses >= spec.min_group_size:  # nothing of a group below the minimum
                row["signals"][tool] = {
                    "shares": {m: round(100 * s.share(m)) for m in METRICS},
                    "flags": flagged.get(ua.pk, []),
                    "durations": dict(sorted(s.durations.items())),
                    "busiest_day": max(s.days.values(), default=0),
                }
        rows.append(row)
    flagged = _flagged_issues(uas) if is_admin else []
    return {"assessment": assessment, "spec": spec, "rows": rows, "is_admin": is_admin, "flagged": flagged}


def _flagged_issues(uas: list[UnitAssessment]) -> list[dict[str, Any]]:
    """IIT batches issued beyond headcount plus the spare margin, with the coordinator's reason
    and the unit's codes held against its headcount: for the program admin to follow up."""
    by_id = {ua.pk: ua for ua in uas}
    batches = CodeBatch.objects.filter(unit_assessment_id__in=list(by_id), tool=SurveyTool.IIT, flagged=True)
    held = dict(
        SurveyCode.objects.filter(unit_assessment_id__in=list(by_id), tool=SurveyTool.IIT)
        .values_list("unit_assessment_id")
        .annotate(n=Count("digest"))
        .values_list("unit_assessment_id", "n")
    )
    return [
        {
            "ua": by_id[b.unit_assessment_id],
            "batch": b,
            "issued": held.get(b.unit_assessment_id, 0),
            "headcount": by_id[b.unit_assessment_id].internal_headcount,
            "allowance": code_allowance(by_id[b.unit_assessment_id]),
        }
        for b in batches.select_related("issued_by").order_by("unit_assessment__unit__code", "issued_at")
    ]


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    data = _overview_data(request, slug)
    return render(
        request,
        "surveys/overview.html",
        {**data, "metrics": METRICS, "json_url": reverse("surveys:overview-json", args=[slug])},
    )


@login_required
def overview_json(request: HttpRequest, slug: str) -> JsonResponse:
    data = _overview_data(request, slug)
    units = {
        row["ua"].unit.code: {"tools": {t: p.as_json() for t, p in row["progress"].items()}, "signals": row["signals"]}
        for row in data["rows"]
    }
    flagged = [
        {
            "unit": f["ua"].unit.code,
            "size": f["batch"].size,
            "reason": f["batch"].reason,
            "issued": f["issued"],
            "headcount": f["headcount"],
        }
        for f in data["flagged"]
    ]
    return JsonResponse({"assessment": slug, "units": units, "flagged_code_issues": flagged})
