"""`ita bench score`: rescoring every unit from its tallies, and from raw answer sheets.

Builds (once, then reuses) a scratch assessment of its own, `bench-score`, over units coded
`bench-score-*` with generated answer sheets and OIT decisions; the demo data is left alone.
`--scale` sets the number of units (1.0 = 1,000 units; default 0.2 = 200 units).
"""

from __future__ import annotations

import random
import time
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction

from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import do_create_assessment, do_set_headcounts
from ita.bench import Benchmark, Progress
from ita.demo.solver import plausible_sheets
from ita.disclosure.models import EvidenceItem
from ita.flow import do_add_units
from ita.frameworks.services import do_load_framework
from ita.frameworks.spec import FrameworkSpec
from ita.scoring.engine import Tally, UnitInput, score_unit
from ita.scoring.services import score_assessment, unit_inputs
from ita.surveys.models import SurveyResponse
from ita.surveys.services import rebuild_tallies, tally_responses
from ita.units.models import Unit, UnitType

SLUG = "bench-score"


def scratch_assessment(units: int, progress: Progress) -> Assessment:
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml")
    root, _ = Unit.objects.get_or_create(
        code="bench-score-root", defaults={"name_th": "หน่วยงานทดสอบความเร็ว", "unit_type": UnitType.OBEC}
    )
    assessment = Assessment.objects.filter(slug=SLUG).first() or do_create_assessment(
        slug=SLUG, name_th="การประเมินสำหรับทดสอบความเร็ว", framework=framework, run_by=root
    )
    have = assessment.unit_assessments.count()
    if have < units:
        progress(f"building {units - have} scratch units with answer sheets")
        new = [
            Unit.objects.get_or_create(
                code=f"bench-score-{i:05d}",
                defaults={"name_th": f"หน่วยงานทดสอบ {i}", "unit_type": UnitType.ESA, "parent": root},
            )[0]
            for i in range(have, units)
        ]
        do_add_units(assessment, new)
        spec = framework.spec
        for ua in UnitAssessment.objects.filter(assessment=assessment, unit__in=new):
            _fill(ua, spec, random.Random(ua.unit.code))
    return assessment


@transaction.atomic
def _fill(ua: UnitAssessment, spec: FrameworkSpec, rng: random.Random) -> None:
    quality = rng.uniform(0.5, 0.95)
    sheets = {
        "IIT": plausible_sheets(spec, "IIT", rng.randint(25, 60), quality, seed=rng.randrange(10**6)),
        "EIT": plausible_sheets(spec, "EIT", rng.randint(30, 90), quality, seed=rng.randrange(10**6)),
    }
    do_set_headcounts(ua, internal=len(sheets["IIT"]) + 5, external=len(sheets["EIT"]) * 10)
    day = ua.assessment.fiscal_year_bounds[0]
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(unit_assessment=ua, tool=tool, answers=sheet, submitted_on=day)
            for tool, rows in sheets.items()
            for sheet in rows
        ]
    )
    rebuild_tallies(ua, spec)
    failing = set(rng.sample([item.code for item in spec.oit_items], rng.randint(0, 8)))
    EvidenceItem.objects.filter(unit_assessment=ua).exclude(item_code__in=failing).update(passed=True, released=True)
    EvidenceItem.objects.filter(unit_assessment=ua, item_code__in=failing).update(
        passed=False, reason="ไม่พบข้อมูล", released=True
    )


def run(options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    units = max(10, round(1000 * (options.get("scale") or 0.2)))
    assessment = scratch_assessment(units, progress)
    spec = assessment.framework.spec
    progress(f"scoring {units} units from their tallies")
    start = time.perf_counter()
    score_assessment(assessment)
    from_aggregates = time.perf_counter() - start

    progress("scoring the same units from raw answer sheets")
    start = time.perf_counter()
    answers = 0
    inputs = unit_inputs(assessment.unit_assessments.all())
    sheets_by_unit: dict[int, list[tuple[str, dict[str, int]]]] = {pk: [] for pk in inputs}
    for ua_id, tool, sheet in (
        SurveyResponse.objects.filter(unit_assessment__assessment=assessment)
        .values_list("unit_assessment_id", "tool", "answers")
        .iterator(chunk_size=5000)
    ):
        sheets_by_unit[ua_id].append((tool, sheet))
        answers += len(sheet)
    for ua_id, data in inputs.items():
        totals, counts, respondents = tally_responses(spec, sheets_by_unit[ua_id])
        tallies = {k: Tally(Fraction(v), counts[k]) for k, v in totals.items()}
        score_unit(spec, UnitInput(tallies=tallies, respondents=respondents, oit=data.oit, population=data.population))
    from_raw = time.perf_counter() - start
    return {
        "units": units,
        "answers": answers,
        "from_aggregates_s": round(from_aggregates, 4),
        "from_raw_s": round(from_raw, 4),
    }


BENCHMARKS = {
    "score": Benchmark("score", "rescoring every unit from aggregates, and recomputing from raw answers", run)
}
