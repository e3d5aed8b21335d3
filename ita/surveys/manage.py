"""The coordinator's and program admin's survey pages: headcounts, codes, the EIT link and
poster, live progress, and (for the program admin) signals of manipulation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.accounts.models import Role
from ita.accounts.policy import get_for_user, may_manage_assessment, may_see_assessment, visible_unit_assessments
from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import AssessmentError, do_set_headcounts
from ita.surveys import printing
from ita.surveys.codes import CodeError, do_ensure_eit_link, do_issue_codes, do_set_eit_code_mode, verified_codes
from ita.surveys.progress import category_counts, progress_of
from ita.surveys.signals import METRICS, flags, unit_signals

MANAGERS = (Role.PROGRAM_ADMIN, Role.COORDINATOR)


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
    spec = ua.assessment.framework.spec
    link = do_ensure_eit_link(ua, actor=request.user)
    progress = progress_of(spec, [ua])[ua.pk]
    return render(
        request,
        "surveys/unit.html",
        {
            "ua": ua,
            "role": role,
            "spec": spec,
            "progress": progress,
            "error": error,
            "link": link,
            "eit_url": request.build_absolute_uri(reverse("surveys:eit", args=[link.token])),
            "categories": category_counts(spec, ua),
            "json_url": reverse("surveys:unit-json", args=[slug, code]),
            "suggested": {t: max(0, p.required - p.codes_issued) for t, p in progress.items()},
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
    """Make codes and show them, once: the page (and the slips or CSV made from it) is the
    only place their plaintext ever appears."""
    ua, _role = _unit(request, slug, code)
    tool = request.POST.get("tool", "IIT")
    try:
        count = int(request.POST.get("count", "0"))
        if tool not in ("IIT", "EIT"):
            raise CodeError(tool)
        issued = do_issue_codes(ua, tool, count, actor=request.user)
    except (ValueError, CodeError):
        return HttpResponse(_("จำนวนรหัสไม่ถูกต้อง (1–2000)"), status=400, content_type="text/plain; charset=utf-8")
    return render(request, "surveys/issued.html", {"ua": ua, "tool": tool, "codes": _with_urls(request, issued.codes)})


def _with_urls(request: HttpRequest, codes: Any) -> list[tuple[str, str]]:
    return [(c, request.build_absolute_uri(reverse("surveys:code", args=[c]))) for c in codes]


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
                    "busiest_hour": max(s.hours.values(), default=0),
                }
        rows.append(row)
    return {"assessment": assessment, "spec": spec, "rows": rows, "is_admin": is_admin}


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
    return JsonResponse({"assessment": slug, "units": units})
