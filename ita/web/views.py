from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ita.accounts.models import Role
from ita.accounts.policy import (
    get_for_user,
    is_assigned,
    may_manage_assessment,
    may_run_surveys,
    may_see_assessment,
    may_set_up_assessments,
    scope_queryset,
    sees_unreleased,
    visible_assessments,
    visible_unit_assessments,
)
from ita.assessments.calendar import calendar_of
from ita.assessments.models import Assessment, UnitAssessment
from ita.improvement.models import Plan
from ita.improvement.progress import RoundState, overdue_rounds
from ita.results.views import public_context
from ita.scoring.services import score_assessment
from ita.web.checklist import year_steps
from ita.web.dashboard import panels_for


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Everyone: the published results and a unit search. Signed in: what to do now in each
    running assessment, by role, the assessments one takes part in, and overdue follow-ups of
    improvement measures."""
    context = public_context(request)
    if request.user.is_authenticated:
        context["assessments"] = list(visible_assessments(request.user).order_by("-fiscal_year", "slug"))
        context["panels"] = panels_for(request.user)
        context["may_set_up"] = may_set_up_assessments(request.user)
        overdue: list[RoundState] = overdue_rounds(scope_queryset(request.user, Plan.objects.all()))
        context["overdue"] = overdue
    return render(request, "web/home.html", context)


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
    rows = [(ua, cards[ua.pk], may_run_surveys(request.user, ua)) for ua in visible]
    return render(
        request,
        "web/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "is_admin": may_manage_assessment(request.user, assessment),
            "is_assessor": any(is_assigned(request.user, ua) for ua in visible),
            "phases": calendar_of(assessment),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The site's own page for a form posted without a valid CSRF token (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "web/csrf_failure.html", status=403)


@login_required
def unit_year(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The coordinator's year of one unit: every step in order, with its state and its page."""
    ua, _role = get_for_user(
        request, UnitAssessment, Role.COORDINATOR, Role.PROGRAM_ADMIN, assessment__slug=slug, unit__code=code
    )
    return render(request, "web/unit_year.html", {"ua": ua, "steps": year_steps(ua)})
