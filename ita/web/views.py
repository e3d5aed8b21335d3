from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.accounts.models import Role
from ita.accounts.scoping import role_on, scope_queryset
from ita.assessments.models import Assessment, UnitAssessment
from ita.scoring.services import score_assessment


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
    """The hub of one assessment: every target unit the user may see, its live score from the
    engine, and the way to each unit's surveys, OIT evidence and result page."""
    try:
        assessment = Assessment.objects.select_related("framework", "run_by").get(slug=slug)
    except Assessment.DoesNotExist:
        raise Http404 from None
    uas = scope_queryset(request.user, assessment.unit_assessments.select_related("unit"))
    if not uas.exists() and role_on(request.user, assessment.run_by) is None:
        raise Http404
    role = role_on(request.user, assessment.run_by)
    visible = list(uas)
    cards = score_assessment(assessment, visible, released_only=role not in (Role.PROGRAM_ADMIN, Role.ASSESSOR))
    rows = [(ua, cards[ua.pk]) for ua in visible]
    return render(
        request,
        "web/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "is_admin": role == Role.PROGRAM_ADMIN,
            "is_assessor": role == Role.ASSESSOR,
        },
    )
