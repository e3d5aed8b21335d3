"""No sequential release: while a unit's collection of a survey tool is open, no score of that
tool reaches anyone, so comparing pages before and after a response gives nothing away.

The attack (issue 16): a coordinator issued three codes, knew whose slip was whose, and read
each person's answers off the difference of the live result page before and after each use."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ita.accounts.models import User
from ita.assessments.models import Assessment, AssessmentPhase, UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_calendar, do_set_headcounts
from ita.disclosure.services import do_record_review, do_release
from ita.flow import do_add_units
from ita.frameworks.services import do_load_framework
from ita.frameworks.spec import FrameworkSpec
from ita.results.models import Publication, UnitScore
from ita.results.services import PublicationError, do_publish, publication_blockers
from ita.surveys.codes import do_issue_codes
from ita.surveys.tests.sheets import submit_sheet
from ita.units.models import Unit

pytestmark = pytest.mark.django_db

SLUG = "esa-open"
SEEDED = 6  # respondents per tool before the attack: above the minimum group of 5


def _window(days_from: int, days_to: int) -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now + dt.timedelta(days=days_from), now + dt.timedelta(days=days_to)


OPEN, CLOSED = (-1, 30), (-30, -1)


def _set_collection(assessment: Assessment, days: tuple[int, int]) -> None:
    window = _window(*days)
    do_set_calendar(assessment, {"iit": window, "eit": window})


def _answers(spec: FrameworkSpec, tool: str, rng: random.Random) -> dict[str, int]:
    return {item.key: rng.randrange(len(item.scale.options)) for item in spec.sub_items_of(tool)}


def _submit(ua: UnitAssessment, tool: str, answers: dict[str, int], code: str = "") -> None:
    submit_sheet(ua, tool, answers, code=code)


@pytest.fixture
def assessment(tree: dict[str, Unit], program_admin: User) -> Assessment:
    """Both ESAs with groups already above the minimum, OIT decided and released, and
    collection open now: without withholding, every page would show live scores."""
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    a = do_create_assessment(slug=SLUG, name_th="การประเมินระหว่างเก็บข้อมูล", framework=framework, run_by=tree["obec"])
    _set_collection(a, OPEN)
    rng = random.Random(16)
    for ua in do_add_units(a, [tree["esa_a"], tree["esa_b"]]):
        do_set_headcounts(ua, internal=40, external=300)
        for tool in ("IIT", "EIT"):
            for _ in range(SEEDED):
                _submit(ua, tool, _answers(framework.spec, tool, rng))
        for item in ua.evidence_items.all():
            do_record_review(item, assessor=None, passed=True)
        do_release(ua, actor=program_admin)
    return a


@pytest.fixture
def ua_a(assessment: Assessment, tree: dict[str, Unit]) -> UnitAssessment:
    return UnitAssessment.objects.select_related("assessment__framework", "unit").get(
        assessment=assessment, unit=tree["esa_a"]
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Respondent counts are the one thing allowed to move; CSRF tokens are masked per response.
COUNTS = re.compile(r"\d+(?= คน)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _coordinator_pages() -> list[str]:
    return [
        f"/results/{SLUG}/u/esa-a/",
        f"/a/{SLUG}/",
        f"/results/{SLUG}/",
        f"/results/{SLUG}/rollup/esa-a/",
        f"/oit/{SLUG}/esa-a/",
        f"/api/v1/assessments/{SLUG}/units/esa-a/score",
        "/api/v1/me/results",
    ]


def _snapshot(client: Client, paths: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if response["Content-Type"].startswith("application/json"):
            out[path] = response.json()
        else:
            out[path] = CSRF.sub("", COUNTS.sub("N", response.content.decode()))
    return out


def _iit_respondents(client: Client) -> int:
    card = client.get(f"/results/{SLUG}/u/esa-a/").context["card"]
    return int(card.tools["IIT"].respondents)


def test_a_coordinator_differencing_pages_around_each_of_three_known_codes_learns_only_that_they_answered(
    assessment: Assessment, ua_a: UnitAssessment, coordinator_a: User
) -> None:
    spec = assessment.framework.spec
    codes = do_issue_codes(ua_a, "IIT", 3, actor=coordinator_a).codes  # the coordinator knows whose slip is whose
    coordinator = _client(coordinator_a)
    paths = _coordinator_pages()
    for person, code in enumerate(codes):
        before = _snapshot(coordinator, paths)
        n = _iit_respondents(coordinator)
        answers = {item.key: person % len(item.scale.options) for item in spec.sub_items_of("IIT")}
        _submit(ua_a, "IIT", answers, code)
        after = _snapshot(coordinator, paths)
        assert _iit_respondents(coordinator) == n + 1  # the count moves: that someone answered...
        for path in paths:
            assert after[path] == before[path], path  # ...and nothing else: not what they answered
    score = coordinator.get(f"/api/v1/assessments/{SLUG}/units/esa-a/score").json()
    assert score["collecting"] == ["EIT", "IIT"]
    assert score["total"] is None and score["tools"]["IIT"]["score"] is None
    assert all(score["indicators"][str(n)] is None for n in range(1, 9))  # survey indicators 1-8
    page = coordinator.get(f"/results/{SLUG}/u/esa-a/")
    assert all(s is None for _ind, qs in page.context["questions"] for _q, s in qs)
    assert page.context["what_if"] is None and not page.context["survey_rows"][0][1]  # no what-if, no CI
    assert b'data-testid="collecting-IIT"' in page.content
    assert not UnitScore.objects.filter(assessment=assessment, total__isnull=False).exists()
    assert not UnitScore.objects.filter(assessment=assessment, iit__isnull=False).exists()


def test_once_the_window_has_closed_scores_appear_for_groups_at_the_minimum(
    assessment: Assessment, coordinator_a: User
) -> None:
    _set_collection(assessment, CLOSED)
    coordinator = _client(coordinator_a)
    score = coordinator.get(f"/api/v1/assessments/{SLUG}/units/esa-a/score").json()
    assert score["collecting"] == [] and score["total"] is not None
    assert score["tools"]["IIT"]["score"] is not None and score["tools"]["EIT"]["score"] is not None
    page = coordinator.get(f"/results/{SLUG}/u/esa-a/")
    assert all(s is not None for _ind, qs in page.context["questions"] for _q, s in qs)
    assert b'data-testid="collecting' not in page.content
    rows = coordinator.get(f"/results/{SLUG}/").context["page"].object_list
    assert [r.iit is not None and r.total is not None for r in rows] == [True]


@pytest.fixture
def large(settings: Any) -> None:
    """As for an assessment too large to rescore by age: only a calendar event refreshes it."""
    settings.ITA_RESULTS_LIVE_MAX_UNITS = 0
    settings.ITA_RESULTS_LIVE_SECONDS = 10**9


def _ranked(client: Client) -> dict[str, tuple[Any, Any]]:
    rows = client.get(f"/results/{SLUG}/").context["page"].object_list
    return {r.unit_code: (r.iit, r.total) for r in rows}


def test_reopening_collection_hides_the_scores_again_even_in_the_cached_ranking(
    assessment: Assessment, program_admin: User, large: None
) -> None:
    admin = _client(program_admin)
    _set_collection(assessment, CLOSED)
    assert all(iit is not None and total is not None for iit, total in _ranked(admin).values())
    _set_collection(assessment, OPEN)  # the end moved into the future: collection reopened
    assert _ranked(admin) == {"esa-a": (None, None), "esa-b": (None, None)}
    assert not UnitScore.objects.filter(publication__isnull=True, iit__isnull=False).exists()
    api = admin.get(f"/api/v1/assessments/{SLUG}/units/esa-a/score").json()
    assert api["total"] is None and api["collecting"] == ["EIT", "IIT"]


def test_a_cached_card_is_never_served_with_a_different_withheld_set_however_the_calendar_changed(
    assessment: Assessment, program_admin: User, large: None
) -> None:
    admin = _client(program_admin)
    _set_collection(assessment, CLOSED)
    assert all(total is not None for _iit, total in _ranked(admin).values())
    # A bulk update bypasses updated_at; the withheld set on the cached cards still differs.
    future = timezone.now() + dt.timedelta(days=3)
    AssessmentPhase.objects.filter(assessment=assessment, kind="iit").update(ends_at=future)
    assert {total for _iit, total in _ranked(admin).values()} == {None}

    # A window that closed by itself since the cards were computed: they are recomputed.
    _set_collection(assessment, CLOSED)
    _ranked(admin)
    UnitScore.objects.filter(publication__isnull=True).update(
        computed_at=timezone.now() - dt.timedelta(days=40), card={"collecting": ["EIT", "IIT"]}, total=None
    )
    AssessmentPhase.objects.filter(assessment=assessment).update(updated_at=timezone.now() - dt.timedelta(days=40))
    assert all(total is not None for _iit, total in _ranked(admin).values())


def test_publishing_while_iit_collection_is_open_is_refused_so_no_visitor_sees_a_moving_page(
    assessment: Assessment, ua_a: UnitAssessment, program_admin: User
) -> None:
    blockers = publication_blockers(assessment)
    assert len(blockers) == 2 and all("ยังไม่สิ้นสุด" in b for b in blockers)
    with pytest.raises(PublicationError, match="IIT"):
        do_publish(assessment, actor=program_admin)
    _client(program_admin).post(f"/results/{SLUG}/publish", {"confirm": "on"})
    assert not Publication.objects.filter(assessment=assessment).exists()
    visitor = Client()
    assert visitor.get(f"/results/{SLUG}/").status_code == 404
    assert visitor.get(f"/results/{SLUG}/u/esa-a/").status_code == 404
    assert visitor.get(f"/api/v1/assessments/{SLUG}/units/esa-a/score").status_code == 404

    _set_collection(assessment, CLOSED)
    now = timezone.now()
    do_set_calendar(assessment, {"review": (now - dt.timedelta(days=1), now + dt.timedelta(days=5))})
    assert [b for b in publication_blockers(assessment) if "IIT" in b or "EIT" in b] == []
    with pytest.raises(PublicationError):  # the OIT review is still running
        do_publish(assessment, actor=program_admin)
    do_set_calendar(assessment, {"review": (now - dt.timedelta(days=2), now - dt.timedelta(days=1))})
    publication = do_publish(assessment, actor=program_admin)
    card = UnitScore.objects.get(publication=publication, unit_assessment=ua_a).card
    assert card["collecting"] == [] and card["total"] is not None


def test_the_ranking_and_rollup_means_do_not_move_with_one_response_while_collection_is_open(
    assessment: Assessment, ua_a: UnitAssessment, program_admin: User, settings: Any
) -> None:
    settings.ITA_RESULTS_LIVE_SECONDS = -1  # rescored on every request: the cache cannot hide a change
    admin = _client(program_admin)
    paths = [f"/results/{SLUG}/", f"/results/{SLUG}/rollup/obec/", f"/results/{SLUG}/rollup/esa-a/"]

    def aggregates() -> list[Any]:
        ranking = admin.get(paths[0]).context["summary"]
        groups = [admin.get(p).context for p in paths[1:]]
        return [ranking.mean, ranking.indicators, ranking.bands] + [
            json.dumps([(g.mean, g.indicators, g.bands) for g in c["groups"]] + [c["total"].mean], default=str)
            for c in groups
        ]

    before, pages = aggregates(), _snapshot(admin, paths)
    _submit(ua_a, "EIT", {item.key: 0 for item in assessment.framework.spec.sub_items_of("EIT")})
    assert aggregates() == before
    assert _snapshot(admin, paths) == pages
    assert before[0] is None  # no mean over units whose collection is open
