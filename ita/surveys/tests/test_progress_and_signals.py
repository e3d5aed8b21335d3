"""Live progress (counts only) and the manipulation signals the program admin sees."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.test import Client

from ita.assessments.models import UnitAssessment
from ita.flow import do_add_units
from ita.surveys.manipulation import BANDS, UnitSignals, duration_bucket, flags, unit_signals
from ita.surveys.models import SignalCount
from ita.surveys.tests.sheets import submit_sheet
from ita.units.models import Unit, UnitType


def submit(ua: UnitAssessment, answers: dict[str, int], seconds_taken: int = 600, n: int = 1) -> None:
    for _ in range(n):
        submit_sheet(ua, "IIT", answers, seconds_taken=seconds_taken)


def varied(spec: Any, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    return {item.key: rng.randrange(len(item.scale.options)) for item in spec.sub_items_of("IIT")}


def top(spec: Any) -> dict[str, int]:
    return {item.key: item.scale.top_index for item in spec.sub_items_of("IIT")}


def test_a_submission_adds_one_to_its_completion_time_band_and_makes_no_row(ua_a: Any, spec: Any) -> None:
    before = dict(SignalCount.objects.filter(unit_assessment=ua_a, tool="IIT").values_list("bucket", "id"))
    assert set(before) == set(BANDS)  # every band's row exists before any response
    submit(ua_a, top(spec), seconds_taken=70)
    rows = SignalCount.objects.filter(unit_assessment=ua_a)
    assert dict(rows.filter(tool="IIT").values_list("bucket", "id")) == before  # no new row, no new id
    assert {(k, b): c for k, b, c in rows.filter(count__gt=0).values_list("kind", "bucket", "count")} == {
        ("duration", "<2m"): 1
    }
    assert [duration_bucket(s) for s in (5, 150, 400, 1000, 4000)] == ["<2m", "2-5m", "5-15m", "15-60m", ">60m"]


def test_bursts_identical_patterns_and_straight_lining_are_read_from_the_sheets(ua_a: Any, spec: Any) -> None:
    day = dt.date(2026, 7, 1)
    shuffled = dict(reversed(list(top(spec).items())))  # the same answers stored in another key order
    for answers, on in [(top(spec), day), (shuffled, day), (varied(spec, 1), day), (varied(spec, 1), day)]:
        submit_sheet(ua_a, "IIT", answers, on=on)
    submit_sheet(ua_a, "IIT", varied(spec, 2), on=day + dt.timedelta(days=1))
    s = unit_signals([ua_a.pk], "IIT")[ua_a.pk]
    assert (s.responses, s.days, s.identical, s.straight) == (5, {"2026-07-01": 4, "2026-07-02": 1}, 4, 2)
    assert s.share("burst") == 0.8 and s.share("identical") == 0.8 and s.share("straight") == 0.4


def test_units_far_above_the_norm_are_flagged_and_others_are_not() -> None:
    normal = UnitSignals(
        responses=20, days={"d1": 5, "d2": 5, "d3": 5, "d4": 5}, durations={"<2m": 1}, identical=0, straight=1
    )
    stuffed = UnitSignals(responses=20, days={"d1": 18, "d2": 2}, durations={"<2m": 15}, identical=12, straight=12)
    small = UnitSignals(responses=3, days={"d1": 3}, durations={"<2m": 3}, identical=3, straight=3)
    result = flags({1: normal, 2: normal, 3: normal, 4: stuffed, 5: small}, min_responses=5)
    assert result == {1: [], 2: [], 3: [], 4: ["burst", "fast", "identical", "straight"], 5: []}


def test_the_program_admin_sees_flags_and_coordinators_do_not(
    program_admin: Any, coordinator_a: Any, assessment: Any, ua_a: Any, ua_b: Any, spec: Any, tree: Any
) -> None:
    more = [
        Unit.objects.create(code=f"esa-{c}", name_th=f"สพป.{c}", unit_type=UnitType.ESA, parent=tree["obec"])
        for c in "cd"
    ]
    do_add_units(assessment, more)
    others = [ua_b, *UnitAssessment.objects.filter(unit__in=more)]
    for seed, ua in enumerate(others):
        for i in range(6):
            submit(ua, varied(spec, seed * 10 + i))
    submit(ua_a, top(spec), seconds_taken=40, n=6)  # six identical top-box sheets in two minutes each
    found = unit_signals([ua_a.pk, *(u.pk for u in others)], "IIT")
    assert found[ua_a.pk].responses == 6 and found[ua_a.pk].straight == 6

    admin = Client()
    admin.force_login(program_admin)
    data = admin.get("/s/m/esa-test/progress.json").json()
    assert data["units"]["esa-a"]["signals"]["IIT"]["flags"] == ["fast", "identical", "straight"]
    assert data["units"]["esa-b"]["signals"]["IIT"]["flags"] == []
    assert 'data-flag="esa-a:IIT:straight"' in admin.get("/s/m/esa-test/").content.decode()

    coordinator = Client()
    coordinator.force_login(coordinator_a)
    assert coordinator.get("/s/m/esa-test/progress.json").json()["units"]["esa-a"]["signals"] == {}
    assert "data-flag" not in coordinator.get("/s/m/esa-test/").content.decode()


def test_no_signal_of_a_unit_below_the_minimum_group_is_shown(program_admin: Any, ua_a: Any, spec: Any) -> None:
    submit(ua_a, top(spec), n=spec.min_group_size - 1)
    admin = Client()
    admin.force_login(program_admin)
    unit = admin.get("/s/m/esa-test/progress.json").json()["units"]["esa-a"]
    assert unit["signals"] == {}
    assert unit["tools"]["IIT"]["respondents"] == spec.min_group_size - 1  # the count itself is shown


def test_progress_pages_show_counts_and_never_a_score(coordinator_a: Any, ua_a: Any, spec: Any) -> None:
    submit(ua_a, varied(spec, 3), n=7)
    client = Client()
    client.force_login(coordinator_a)
    page = client.get("/s/m/esa-test/esa-a/").content.decode()
    assert 'data-live="esa-a:IIT:respondents">7<' in page
    assert 'data-live="esa-a:IIT:percent">28<' in page  # 7 of the minimum 25
    assert "คะแนนที่ได้" not in page and "data-tool=" not in page  # no score, as on the score page
    assert 'src="/static/surveys/progress.js"' in page
