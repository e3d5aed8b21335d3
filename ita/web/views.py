from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.accounts.models import Role
from ita.accounts.scoping import get_for_user, role_on, scope_queryset
from ita.assessments.models import Assessment, UnitAssessment
from ita.scoring.services import score_assessment, score_unit_assessment, sees_unreleased


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    assessments = []
    if request.user.is_authenticated:
        mine = scope_queryset(request.user, UnitAssessment.objects.all()).values("assessment_id")
        run = scope_queryset(request.user, Assessment.objects.all()).values("id")
        assessments = list(Assessment.objects.filter(Q(id__in=mine) | Q(id__in=run)).order_by("-fiscal_year", "slug"))
    return render(request, "web/home.html", {"assessments": assessments})


def assessment_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Every target unit the user may see, with its live score from the engine."""
    try:
        assessment = Assessment.objects.select_related("framework", "run_by").get(slug=slug)
    except Assessment.DoesNotExist:
        raise Http404 from None
    uas = scope_queryset(request.user, assessment.unit_assessments.select_related("unit"))
    if not uas.exists() and role_on(request.user, assessment.run_by) is None:
        raise Http404
    cards = score_assessment(assessment, released_only=role_on(request.user, assessment.run_by) not in (Role.PROGRAM_ADMIN, Role.ASSESSOR))
    rows = [(ua, cards[ua.pk]) for ua in uas]
    return render(request, "web/assessment.html", {"assessment": assessment, "rows": rows})


def unit_scores(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    ua, role = get_for_user(request, UnitAssessment, assessment__slug=slug, unit__code=code)
    card = score_unit_assessment(ua, released_only=not sees_unreleased(request.user, ua))
    spec = ua.assessment.framework.spec
    return render(request, "web/unit_scores.html", {
        "ua": ua, "card": card, "spec": spec, "role": role, "is_admin": role == Role.PROGRAM_ADMIN,
        "indicator_rows": _indicator_rows(spec, card),
    })


def _indicator_rows(spec, card):  # type: ignore[no-untyped-def]
    rows = []
    for tool in spec.tools:
        for ind in spec.indicators_of(tool.code):
            rows.append({"number": ind.number, "name": ind.name_th, "score": card.indicators.get(ind.number), "tool": tool, "level": 0})
            for sub in ind.sub_indicators:
                rows.append({"number": sub.number, "name": sub.name_th, "score": card.sub_indicators.get(sub.number), "tool": tool, "level": 1})
    return rows
