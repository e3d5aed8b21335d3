"""Result pages. Before publication a user sees only the units they hold a role on
(provisional, live from the engine); after it everyone, without login, sees the frozen version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.accounts.models import Role
from ita.accounts.policy import (
    get_for_user,
    may_manage_assessment,
    may_see_assessment,
    may_see_unit,
    scope_queryset,
    sees_unreleased,
    visible_assessments,
)
from ita.assessments.models import Assessment, UnitAssessment
from ita.lib.rounding import round_half_up
from ita.results import queries
from ita.results.exporters import EXPORTERS
from ita.results.models import Publication, UnitScore
from ita.results.public import published_assessments, search_units
from ita.results.readiness import readiness
from ita.results.services import (
    PublicationError,
    do_publish,
    do_reopen,
    latest_publication,
    publication_for,
    refresh_scores,
)
from ita.results.unit_page import frozen_context, unit_context
from ita.units.models import Unit


@dataclass
class View:
    """What one request may see of an assessment's results."""

    assessment: Assessment
    publication: Publication | None  # the version shown; None: provisional
    latest: Publication | None
    is_admin: bool  # may publish, reopen and refresh


def _view(request: HttpRequest, slug: str) -> tuple[View, object]:
    assessment = get_object_or_404(Assessment.objects.select_related("framework", "run_by"), slug=slug)
    latest = latest_publication(assessment)
    may_see = may_see_assessment(request.user, assessment)
    provisional = latest is None or (request.GET.get("provisional") == "1" and may_see)
    shown = None if provisional else _version(request, assessment)
    view = View(assessment, shown, latest, may_manage_assessment(request.user, assessment))
    if shown is not None:
        return view, queries.scores(assessment, shown)
    if not may_see:
        raise Http404
    live = queries.scores(assessment, None)
    if _stale(assessment, live):
        refresh_scores(assessment)
    return view, scope_queryset(request.user, live)


def _stale(assessment: Assessment, live: QuerySet[UnitScore]) -> bool:
    """Provisional cards are a cache of the engine: missing ones are computed now, old ones too
    while the assessment is small enough to rescore within a request. Whatever its size, a card
    computed before a calendar event (a phase edited, a boundary passed), or one whose withheld
    tools differ from now's, is never served: it could show scores of a reopened collection."""
    now = list(assessment.collecting())
    seen = live.aggregate(oldest=Min("computed_at"), n=Count("id"), agree=Count("id", filter=Q(card__collecting=now)))
    oldest = seen["oldest"]
    if oldest is None or seen["agree"] != seen["n"] or assessment.calendar_moved_since(oldest):
        return True
    age = (timezone.now() - oldest).total_seconds()
    small = assessment.unit_assessments.count() <= settings.ITA_RESULTS_LIVE_MAX_UNITS
    return small and age > settings.ITA_RESULTS_LIVE_SECONDS


def public_context(request: HttpRequest) -> dict[str, Any]:
    """The published assessments and the unit search (``?q=``), for the home page and /results/."""
    q = request.GET.get("q", "")[:100].strip()
    return {"published": published_assessments(), "q": q, "found": search_units(q) if q else []}


def index(request: HttpRequest) -> HttpResponse:
    """Every published assessment, a search over their units, and the provisional results the
    signed-in user may see."""
    context = public_context(request)
    published = [p.assessment.pk for p in context["published"]]
    context["provisional"] = list(visible_assessments(request.user).exclude(pk__in=published).order_by("-fiscal_year"))
    return render(request, "results/index.html", context)


def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    view, qs = _view(request, slug)
    spec = view.assessment.framework.spec
    band = request.GET.get("band", "")
    band = band if band in {b.code for b in spec.bands} else ""
    within = Unit.objects.filter(code=request.GET.get("within", "")).first() if request.GET.get("within") else None
    sort = request.GET.get("sort", "-total")
    rows = queries.ranking(qs, band=band, within=within, sort=sort)  # type: ignore[arg-type]
    page = Paginator(rows, settings.ITA_RESULTS_PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = queries.ranking(qs, band=band, within=within)  # type: ignore[arg-type]
    parents = Unit.objects.filter(pk__in=qs.values("parent_id").distinct()).only("code", "name_th").order_by("name_th")  # type: ignore[attr-defined]
    names = Unit.objects.in_bulk({r.parent_id for r in page if r.parent_id}) if page else {}
    return render(
        request,
        "results/ranking.html",
        {
            "v": view,
            "spec": spec,
            "page": page,
            "offset": page.start_index() - 1 if page else 0,
            "parents": parents,
            "parent_names": names,
            "band": band,
            "within": within,
            "sort": sort,
            "summary": queries.summary(spec, filtered.order_by()),
            "exporters": EXPORTERS.values(),
            "publications": view.assessment.publications.all(),
        },
    )


def rollup(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    view, qs = _view(request, slug)
    unit = get_object_or_404(Unit, code=code)
    if view.publication is None and not may_see_unit(request.user, unit):
        raise Http404
    spec = view.assessment.framework.spec
    groups = queries.rollup(spec, qs, unit)  # type: ignore[arg-type]
    return render(
        request,
        "results/rollup.html",
        {
            "v": view,
            "spec": spec,
            "unit": unit,
            "total": queries.combine(spec, groups),
            "groups": groups,
        },
    )


def _version(request: HttpRequest, assessment: Assessment) -> Publication:
    """The published version a request asks for (``?version=N``), else the latest."""
    publication = publication_for(assessment, request.GET.get("version"))
    if publication is None:
        raise Http404
    return publication


def unit_result(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Once published: the frozen version (the latest, or ``?version=N``), drawn by the engine
    from the inputs frozen with it, for everyone. Before that, or with ``?provisional=1`` for a
    user with a role on the unit: the live, provisional page."""
    ua = get_object_or_404(
        UnitAssessment.objects.select_related("assessment__framework", "assessment__run_by", "unit"),
        assessment__slug=slug,
        unit__code=code,
    )
    latest = latest_publication(ua.assessment)
    if latest is None:
        return _provisional_unit(request, ua, latest)
    if request.GET.get("provisional") == "1":
        try:  # only for a user with a role on the unit; everyone else gets the published page
            return _provisional_unit(request, ua, latest)
        except Http404:
            pass
    publication = _version(request, ua.assessment)
    row = get_object_or_404(UnitScore, publication=publication, unit_assessment=ua)
    context = frozen_context(ua, row) if row.inputs else {"ua": ua, "mismatch": True}
    context.update(publication=publication, latest=latest, published=row, versions=ua.assessment.publications.all())
    if context["mismatch"]:  # published before inputs were frozen, or altered since: never live figures
        return render(request, "results/unit_card_only.html", context)
    return render(request, "results/unit.html", context)


def _provisional_unit(request: HttpRequest, ua: UnitAssessment, latest: Publication | None) -> HttpResponse:
    ua, _role = get_for_user(request, UnitAssessment, pk=ua.pk)
    context = unit_context(ua, released_only=not sees_unreleased(request.user, ua))
    context.update(publication=None, latest=latest, provisional=True)
    if latest is not None:
        published = UnitScore.objects.filter(publication=latest, unit_assessment=ua).first()
        context["published"] = published
        live_total = context["card"].total
        context["changed_since_publication"] = published is not None and (
            published.total is None or live_total is None or round_half_up(live_total) != published.total
        )
    return render(request, "results/unit.html", context)


def download(request: HttpRequest, slug: str, exporter: str) -> StreamingHttpResponse:
    """Open data: only a published assessment, only a frozen version (``?version=N``)."""
    assessment = get_object_or_404(Assessment.objects.select_related("framework"), slug=slug)
    if exporter not in EXPORTERS:
        raise Http404
    publication = _version(request, assessment)
    filename, content_type, stream = EXPORTERS[exporter].render(assessment, publication)
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def publish_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Before the one click that freezes results: what blocks publication, what is incomplete
    and will be frozen as it is, and a confirmation to tick."""
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    latest = latest_publication(assessment)
    context = {
        "assessment": assessment,
        "latest": latest,
        "ready": readiness(assessment),
        "already": latest is not None and latest.reopened_at is None,
        "reason": request.GET.get("reason", "")[:500],
    }
    return render(request, "results/publish_confirm.html", context)


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("ยังไม่ได้ประกาศผล: ทำเครื่องหมายยืนยันก่อน เพราะผลที่ประกาศแล้วจะถูกตรึงไว้"))
        return redirect("results:publish-confirm", slug)
    try:
        publication = do_publish(assessment, actor=request.user, reason=request.POST.get("reason", ""))
    except PublicationError as exc:
        messages.error(request, _("ประกาศผลไม่ได้: %(error)s") % {"error": exc})
        return redirect("results:publish-confirm", slug)
    else:
        messages.success(request, _("ประกาศผลฉบับที่ %(v)s แล้ว") % {"v": publication.version})
    return redirect("results:ranking", slug)


@require_POST
def reopen(request: HttpRequest, slug: str) -> HttpResponse:
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    try:
        do_reopen(assessment, actor=request.user, reason=request.POST.get("reason", ""))
    except PublicationError as exc:
        messages.error(request, _("เปิดทบทวนไม่ได้: %(error)s") % {"error": exc})
    else:
        messages.success(request, _("เปิดทบทวนผลแล้ว ผลที่ประกาศไว้ยังคงเผยแพร่จนกว่าจะประกาศฉบับใหม่"))
    return redirect("results:ranking", slug)


@require_POST
def refresh(request: HttpRequest, slug: str) -> HttpResponse:
    assessment, _role = get_for_user(request, Assessment, Role.PROGRAM_ADMIN, slug=slug)
    count = refresh_scores(assessment)
    messages.success(request, _("คำนวณคะแนนเบื้องต้นใหม่ %(n)s หน่วยงาน") % {"n": count})
    return redirect(f"{request.build_absolute_uri('./')}?provisional=1")
