from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.accounts.policy import (
    is_assigned,
    may_manage_assessment,
    may_see_assessment,
    scope_queryset,
    sees_unreleased,
    visible_assessments,
    visible_unit_assessments,
)
from ita.assessments.models import Assessment
from ita.improvement.models import Plan
from ita.improvement.progress import RoundState, overdue_rounds
from ita.scoring.services import score_assessment


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    assessments = []
    overdue: list[RoundState] = []
    if request.user.is_authenticated:
        assessments = list(visible_assessments(request.user).order_by("-fiscal_year", "slug"))
        overdue = overdue_rounds(scope_queryset(request.user, Plan.objects.all()))
    return render(request, "web/home.html", {"assessments": assessments, "overdue": overdue})


def assessment_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub of one assessment: every target unit the user may see, its live score from the
    engine, and the way to each unit's surveys, OIT evidence and result page."""
    try:
        assessment = Assessment.objects.select_related("framework", "run_by").get(slug=slug)
    except Assessment.DoesNotExist:
        raise Http404 from None
    if not may_see_assessment(request.user, assessment):
        raise Http404
    visible = list(visible_unit_assessments(request.user, assessment))
    # Decisions not yet released count only on the units whose reviewers the user is.
    unreleased = {ua.pk for ua in visible if sees_unreleased(request.user, ua)}
    cards = {
        **score_assessment(assessment, [ua for ua in visible if ua.pk not in unreleased], released_only=True),
        **score_assessment(assessment, [ua for ua in visible if ua.pk in unreleased], released_only=False),
    }
    rows = [(ua, cards[ua.pk]) for ua in visible]
    return render(
        request,
        "web/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "is_admin": may_manage_assessment(request.user, assessment),
            "is_assessor": any(is_assigned(request.user, ua) for ua in visible),
        },
    )
