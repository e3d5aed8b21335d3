"""`ita bench score`: rescoring every unit from its tallies, and from raw answers."""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

from ita.assessments.models import Assessment
from ita.bench import Benchmark, Progress
from ita.scoring.engine import Tally, UnitInput, score_unit
from ita.scoring.services import score_assessment, unit_inputs
from ita.surveys.models import SurveyResponse
from ita.surveys.services import tally_responses


def run(options: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from ita.demo.load import load_demo

    progress("loading the demo data (idempotent)")
    load_demo()
    assessments = list(Assessment.objects.select_related("framework"))
    units = sum(a.unit_assessments.count() for a in assessments)
    progress(f"scoring {units} units from their tallies")
    start = time.perf_counter()
    for assessment in assessments:
        score_assessment(assessment)
    from_aggregates = time.perf_counter() - start

    progress("scoring the same units from raw answer sheets")
    start = time.perf_counter()
    answers = 0
    for assessment in assessments:
        spec = assessment.framework.spec
        inputs = unit_inputs(assessment.unit_assessments.all())
        for ua_id, data in inputs.items():
            sheets = list(
                SurveyResponse.objects.filter(unit_assessment_id=ua_id).values_list("tool", "answers").iterator()
            )
            answers += sum(len(a) for _t, a in sheets)
            totals, counts, respondents = tally_responses(spec, sheets)
            tallies = {k: Tally(Fraction(v), counts[k]) for k, v in totals.items()}
            score_unit(
                spec, UnitInput(tallies=tallies, respondents=respondents, oit=data.oit, population=data.population)
            )
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
