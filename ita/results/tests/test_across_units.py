"""Ranking, roll-ups, publication, open data and the API over the demo."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ita.accounts.models import User
from ita.assessments.models import Assessment, UnitAssessment
from ita.audit.models import AuditEntry
from ita.lib.cells import safe_cell
from ita.results.cards import score_json
from ita.results.exporters import read_csv
from ita.results.models import Publication, UnitScore
from ita.results.services import PublicationError, do_publish, do_reopen, verify
from ita.scoring.services import score_unit_assessment

pytestmark = pytest.mark.django_db


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _unpublish() -> Assessment:
    Publication.objects.all().delete()
    Assessment.objects.filter(slug="esa-2566").update(state="open")
    return Assessment.objects.get(slug="esa-2566")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_demo_is_published_with_a_hash_that_verifies(demo: Any) -> None:
    publication = Publication.objects.get(assessment__slug="esa-2566")
    assert publication.version == 1 and publication.units == 9 and len(publication.sha256) == 64
    assert verify(publication)
    UnitScore.objects.filter(publication=publication, unit_code="samutsakhon-pesa").update(card={"total": 99})
    assert not verify(publication)


def test_the_public_ranking_lists_every_unit_best_first_and_filters_by_band(demo: Any) -> None:
    response = Client().get("/results/esa-2566/")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [r.unit_code for r in rows][:2] == ["ratchaburi1-pesa", "samutsakhon-pesa"]
    assert len(rows) == 9
    assert dict(response.context["summary"].bands) == {"AA": 3, "A": 5, "B": 0, "C": 1, "D": 0, "E": 0, "F": 0}
    only_c = Client().get("/results/esa-2566/?band=C").context["page"].object_list
    assert [r.unit_code for r in only_c] == ["chiangmai1-pesa"]
    by_name = Client().get("/results/esa-2566/?sort=name").context["page"].object_list
    assert [r.unit_name for r in by_name] == sorted(r.unit_name for r in by_name)


def test_the_ranking_shows_engine_figures_for_each_unit(demo: Any) -> None:
    row = UnitScore.objects.get(publication__isnull=False, unit_code="samutsakhon-pesa")
    assert (str(row.total), row.band, str(row.iit), str(row.eit), str(row.oit)) == (
        "96.77",
        "AA",
        "28.36",
        "28.42",
        "40.00",
    )
    assert row.indicators["n2"] == 90.76 and row.indicators["n9.1"] == 100.0


def test_the_rollup_counts_bands_means_and_names_the_weakest_indicator(demo: Any) -> None:
    response = Client().get("/results/esa-2566/rollup/obec/")
    assert response.status_code == 200
    (group,) = response.context["groups"]
    assert group.unit.code == "obec" and group.n == 9
    assert dict(group.bands)["AA"] == 3
    weakest = group.weakest
    assert weakest is not None and weakest[2] == min(m for _n, _name, m in group.indicators)


def test_before_publication_a_coordinator_sees_only_their_own_unit_and_the_public_nothing(demo: Any) -> None:
    _unpublish()
    rows = _as("samutsakhon").get("/results/esa-2566/").context["page"].object_list
    assert [r.unit_code for r in rows] == ["samutsakhon-pesa"]
    assert len(_as("admin").get("/results/esa-2566/").context["page"].object_list) == 9
    assert Client().get("/results/esa-2566/").status_code == 404
    assert Client().get("/results/esa-2566/download/scores-csv").status_code == 404
    assert Client().get("/api/v1/assessments/esa-2566/units/samutsakhon-pesa/score").status_code == 404
    assert _as("nakhonpathom").get("/results/esa-2566/u/samutsakhon-pesa/").status_code == 404
    assert _as("nakhonpathom").get("/results/esa-2566/rollup/obec/").status_code == 404


def test_only_a_program_admin_publishes_and_republishing_needs_a_reopening_with_a_reason(demo: Any) -> None:
    assessment = _unpublish()
    before = AuditEntry.objects.filter(action="results.published").count()
    assert _as("samutsakhon").post("/results/esa-2566/publish", {"confirm": "on"}).status_code == 404
    _as("admin").post("/results/esa-2566/publish", {"confirm": "on"})
    first = Publication.objects.get(assessment=assessment)
    with pytest.raises(PublicationError):
        do_publish(assessment, actor=None)
    with pytest.raises(PublicationError):
        do_reopen(assessment, actor=None, reason=" ")
    _as("admin").post("/results/esa-2566/reopen", {"reason": "แก้ไขผลตรวจ O12"})
    with pytest.raises(PublicationError):
        do_publish(assessment, actor=None, reason="")
    _as("admin").post("/results/esa-2566/publish", {"reason": "ประกาศผลหลังแก้ไข", "confirm": "on"})
    versions = list(
        Publication.objects.filter(assessment=assessment)
        .order_by("version")
        .values_list("version", "reason", "reopen_reason")
    )
    assert versions == [(1, "", "แก้ไขผลตรวจ O12"), (2, "ประกาศผลหลังแก้ไข", "")]
    assert (
        first.sha256 == Publication.objects.get(version=2, assessment=assessment).sha256
    )  # nothing changed in between
    actions = list(AuditEntry.objects.filter(action__startswith="results.").values_list("action", flat=True))
    assert actions.count("results.published") == before + 2 and "results.reopened" in actions
    page = Client().get("/results/esa-2566/").content.decode()
    assert "แก้ไขผลตรวจ O12" in page and "ประกาศผลหลังแก้ไข" in page


def test_the_csv_download_holds_every_unit_with_tools_and_indicators(demo: Any) -> None:
    response = Client().get("/results/esa-2566/download/scores-csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(_body(response))
    header, data = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:6] == ["unit_code", "unit_name", "parent_code", "total", "band", "passed"]
    assert len(data) == 9
    s = data["samutsakhon-pesa"]
    assert (s["total"], s["band"], s["iit_points"], s["eit_points"], s["oit_points"]) == (
        "96.77",
        "AA",
        "28.36",
        "28.42",
        "40.0",
    )
    assert (s["indicator_1"], s["indicator_2"], s["indicator_9.5"], s["indicator_10.2"]) == (
        "97.75",
        "90.76",
        "100.0",
        "100.0",
    )


def test_csv_cells_that_start_like_a_formula_are_defused(demo: Any) -> None:
    assert [safe_cell(v) for v in ("=1+1", "+66", "-2", "@SUM", "\tx", "\rx", "ok", -2.5)] == [
        "'=1+1",
        "'+66",
        "'-2",
        "'@SUM",
        "'\tx",
        "'\rx",
        "ok",
        -2.5,
    ]
    UnitScore.objects.filter(publication__isnull=False, unit_code="samutsakhon-pesa").update(
        unit_name='=HYPERLINK("x")'
    )
    rows = read_csv(_body(Client().get("/results/esa-2566/download/scores-csv")))
    assert [r[1] for r in rows if r[0] == "samutsakhon-pesa"] == ['\'=HYPERLINK("x")']


def test_question_aggregates_give_respondents_and_means_and_hide_small_groups(demo: Any) -> None:
    rows = read_csv(_body(Client().get("/results/esa-2566/download/questions-csv")))
    assert rows[0] == ["unit_code", "tool", "indicator", "question", "respondents", "mean", "suppressed"]
    i1 = next(r for r in rows if r[0] == "samutsakhon-pesa" and r[3] == "i1")
    assert i1[1:3] == ["IIT", "1"] and int(i1[4]) >= 50 and i1[5] == "100.0" and i1[6] == "False"
    row = UnitScore.objects.filter(publication__isnull=False, unit_code="samutsakhon-pesa")
    row.update(respondents={"IIT": 3, "EIT": 100})
    i1 = next(
        r
        for r in read_csv(_body(Client().get("/results/esa-2566/download/questions-csv")))
        if r[0] == "samutsakhon-pesa" and r[3] == "i1"
    )
    assert i1[4:] == ["", "", "True"]


def test_xlsx_and_json_downloads_carry_the_same_figures(demo: Any) -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_body(Client().get("/results/esa-2566/download/scores-xlsx"))), read_only=True)
    units = list(book["units"].iter_rows(values_only=True))
    assert len(units) == 10 and any(r[0] == "samutsakhon-pesa" and r[3] == 96.77 for r in units)
    data = json.loads(_body(Client().get("/results/esa-2566/download/scores-json")))
    assert data["version"] == 1 and len(data["units"]) == 9
    assert next(u for u in data["units"] if u["unit"] == "samutsakhon-pesa")["total"] == 96.77


def test_the_api_score_is_the_same_object_as_ita_score_json(demo: Any, capsys: Any) -> None:
    call_command("score", assessment="esa-2566", unit="samutsakhon-pesa", json=True)
    expected = json.loads(capsys.readouterr().out)
    response = Client().get("/api/v1/assessments/esa-2566/units/samutsakhon-pesa/score")
    assert response.status_code == 200 and response.json() == expected
    listing = Client().get("/api/v1/assessments/esa-2566/units?band=AA").json()
    assert listing["count"] == 3 and {u["rating"] for u in listing["results"]} == {"AA"}
    assert Client().get("/api/v1/assessments").json()[0]["slug"] == "esa-2566"
    assert "/api/v1/assessments/{slug}/units/{code}/score" in Client().get("/api/v1/openapi.json").json()["paths"]


def test_provisional_api_needs_a_session_and_shows_only_the_users_units(demo: Any) -> None:
    assert Client().get("/api/v1/me/results").status_code == 401
    mine = _as("samutsakhon").get("/api/v1/me/results?slug=esa-2566").json()
    assert [r["unit"] for r in mine["results"]] == ["samutsakhon-pesa"]
    _unpublish()
    ua = UnitAssessment.objects.get(assessment__slug="esa-2566", unit__code="samutsakhon-pesa")
    live = _as("samutsakhon").get("/api/v1/assessments/esa-2566/units/samutsakhon-pesa/score")
    assert live.json() == score_json(ua, score_unit_assessment(ua))
    assert _as("nakhonpathom").get("/api/v1/assessments/esa-2566/units/samutsakhon-pesa/score").status_code == 404


def test_the_rollup_total_combines_its_groups_exactly_as_one_query_would(demo: Any) -> None:
    from ita.results import queries

    assessment = Assessment.objects.get(slug="esa-2566")
    spec = assessment.framework.spec
    qs = queries.scores(assessment, Publication.objects.get(assessment=assessment))
    whole = queries.summary(spec, qs)
    combined = queries.combine(
        spec, [queries.summary(spec, qs.filter(band="AA")), queries.summary(spec, qs.exclude(band="AA"))]
    )
    assert (combined.n, combined.bands) == (whole.n, whole.bands)
    assert combined.mean == pytest.approx(whole.mean)
    assert [m for _n, _x, m in combined.indicators] == pytest.approx([m for _n, _x, m in whole.indicators])


def test_a_provisional_ranking_follows_new_decisions_once_its_cache_is_older_than_the_live_window(
    demo: Any, settings: Any
) -> None:
    from ita.disclosure.models import EvidenceItem
    from ita.disclosure.services import do_record_review

    _unpublish()
    settings.ITA_RESULTS_LIVE_SECONDS = 3600
    admin = _as("admin")

    def total_of(code: str) -> str:
        rows = admin.get("/results/esa-2566/?sort=code").context["page"].object_list
        return str(next(r.total for r in rows if r.unit_code == code))

    assert total_of("samutsakhon-pesa") == "96.77"
    item = EvidenceItem.objects.get(unit_assessment__unit__code="samutsakhon-pesa", item_code="O1")
    do_record_review(item, assessor=None, passed=False, reason="ไม่พบข้อมูล")
    expected = score_json(item.unit_assessment, score_unit_assessment(item.unit_assessment))["total"]
    assert total_of("samutsakhon-pesa") == "96.77"  # still the cached card, within the live window
    settings.ITA_RESULTS_LIVE_SECONDS = -1
    assert total_of("samutsakhon-pesa") == f"{expected:.2f}" != "96.77"
