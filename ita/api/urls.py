"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Public endpoints serve only published, frozen results. `/me/...` endpoints use the session
and show a signed-in user the provisional results of the units they hold a role on."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.security import django_auth

from ita.accounts.policy import get_for_user, may_read_measures, scope_queryset, sees_unreleased
from ita.assessments.models import Assessment, UnitAssessment
from ita.improvement.progress import measures_json
from ita.improvement.services import plan_of
from ita.results import queries
from ita.results.cards import score_json
from ita.results.models import UnitScore
from ita.results.services import latest_publication, publication_for
from ita.scoring.services import score_unit_assessment
from ita.units.models import Unit

api = NinjaAPI(title="ITA Online API", version="1", urls_namespace="api-v1")

MAX_LIMIT = 1000
# Far beyond any real list, and small enough for every database's OFFSET (a bigger number is
# a 400, not an integer overflow in the database).
MAX_OFFSET = 10**9


@api.exception_handler(ValidationError)
def bad_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Odd query values (negative offset, limit "abc") are the caller's mistake: 400 with what
    to fix, never a 500 and never ninja's default 422."""
    problems = [
        {"field": ".".join(str(part) for part in error.get("loc", ())[1:]), "problem": error.get("msg", "")}
        for error in exc.errors
    ]
    message = _("ค่าในคำขอไม่ถูกต้อง: แก้ค่าที่ระบุใน errors แล้วลองใหม่")
    return api.create_response(request, {"detail": message, "errors": problems}, status=400)


@api.get("/health", tags=["meta"])
def health(request):
    return {"status": "ok"}


class PublishedAssessment(Schema):
    slug: str
    name_th: str
    fiscal_year: int
    version: int
    published_at: str
    sha256: str
    units: int


class UnitFilter(Schema):
    band: str = Field("", max_length=20)
    within: str = Field("", max_length=100)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Page(Schema):
    slug: str = Field("", max_length=100)
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _published(slug: str) -> tuple[Assessment, Any]:
    assessment = get_object_or_404(Assessment, slug=slug)
    publication = latest_publication(assessment)
    if publication is None:
        raise Http404
    return assessment, publication


@api.get("/assessments", response=list[PublishedAssessment], tags=["open data"])
def published_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for assessment in Assessment.objects.filter(publications__isnull=False).distinct().order_by("-fiscal_year", "slug"):
        p = latest_publication(assessment)
        if p is None:  # the filter above: every listed assessment has one
            continue
        out.append(
            {
                "slug": assessment.slug,
                "name_th": assessment.name_th,
                "fiscal_year": assessment.fiscal_year,
                "version": p.version,
                "published_at": p.published_at.isoformat(),
                "sha256": p.sha256,
                "units": p.units,
            }
        )
    return out


@api.get("/assessments/{slug}/units", tags=["open data"])
def published_units(request: HttpRequest, slug: str, filters: Query[UnitFilter]) -> dict[str, Any]:
    """Score cards of a published assessment, best first; filter by band and by a unit above."""
    assessment, publication = _published(slug)
    within = Unit.objects.filter(code=filters.within).first() if filters.within else None
    qs = queries.ranking(queries.scores(assessment, publication), band=filters.band, within=within)
    limit = filters.limit
    return {
        "count": qs.count(),
        "version": publication.version,
        "sha256": publication.sha256,
        "results": list(qs.values_list("card", flat=True)[filters.offset : filters.offset + limit]),
    }


@api.get("/assessments/{slug}/units/{code}/score", tags=["open data"])
def unit_score(request: HttpRequest, slug: str, code: str, version: str = "") -> dict[str, Any]:
    """The object `ita score --json` prints: from the frozen snapshot once published (the
    latest version, or ``version``); before that, live and only for a signed-in user with a
    role on the unit."""
    assessment = get_object_or_404(Assessment, slug=slug)
    if latest_publication(assessment) is not None:
        publication = publication_for(assessment, version)
        if publication is None:
            raise Http404
        row = get_object_or_404(UnitScore, publication=publication, unit_code=code)
        return row.card
    ua, _role = get_for_user(request, UnitAssessment, assessment=assessment, unit__code=code)
    return score_json(ua, score_unit_assessment(ua, released_only=not sees_unreleased(request.user, ua)))


@api.get("/me/results", auth=django_auth, tags=["provisional"])
def my_results(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """Live (provisional) score objects of the units the signed-in user holds a role on."""
    qs = scope_queryset(request.user, UnitAssessment.objects.select_related("assessment__framework", "unit")).order_by(
        "assessment__slug", "unit__code"
    )
    if page.slug:
        qs = qs.filter(assessment__slug=page.slug)
    uas = list(qs[page.offset : page.offset + page.limit])
    results = [
        score_json(ua, score_unit_assessment(ua, released_only=not sees_unreleased(request.user, ua))) for ua in uas
    ]
    return {"count": qs.count(), "results": results}


@api.get("/assessments/{slug}/units/{code}/measures", tags=["improvement"])
def unit_measures(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    """A unit's improvement measures with their monitoring rounds and follow-ups, and its
    actions: for everyone once the unit made them public, before that for a role on the unit."""
    ua = get_object_or_404(
        UnitAssessment.objects.select_related("assessment", "unit"), assessment__slug=slug, unit__code=code
    )
    plan = plan_of(ua)
    if plan is None or not may_read_measures(request.user, ua, public=plan.public):
        raise Http404
    return measures_json(plan)
