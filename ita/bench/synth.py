"""A national-scale synthetic tree (OBEC -> 245 ESAs -> 29,000 schools) built through bulk
paths, with one assessment over the schools and engine-computed score cards.

Units get explicit ids so their ``path`` is known before insert (no second pass). Score cards
come from the engine over a pool of random unit inputs, so every figure is engine output.
Reusable by a later `ita synth`."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from ita.assessments.models import Assessment, AssessmentState, UnitAssessment
from ita.frameworks.services import do_load_framework
from ita.frameworks.spec import FrameworkSpec
from ita.results.models import Publication, UnitScore
from ita.results.services import score_row
from ita.scoring.engine import ScoreCard, Tally, UnitInput, score_unit
from ita.units.models import Unit, UnitType

NATIONAL_ESAS = 245
NATIONAL_SCHOOLS = 29_000
CARD_POOL = 400
BATCH = 2000


@dataclass(frozen=True)
class Synthetic:
    root: Unit
    assessment: Assessment
    esas: int
    schools: int


def random_input(spec: FrameworkSpec, rng: random.Random) -> UnitInput:
    """Plausible tallies: each unit has a quality; each sub-item's mean lies near it."""
    quality = rng.betavariate(8, 2)
    tallies: dict[str, Tally] = {}
    respondents: dict[str, int] = {}
    for tool in ("IIT", "EIT"):
        n = rng.randint(3, 45)  # some below the minimum group size
        respondents[tool] = n
        for item in spec.sub_items_of(tool):
            top = max(o.score for o in item.scale.options)
            share = min(1.0, max(0.0, rng.gauss(quality, 0.08)))
            tallies[item.key] = Tally(Fraction(round(float(top) * share * n * 100), 100), n)
    oit = {item.code: rng.random() < quality + 0.1 for item in spec.oit_items}
    return UnitInput(tallies=tallies, respondents=respondents, oit=oit, population={"IIT": 50, "EIT": 300})


def clear(prefix: str) -> None:
    root = Unit.objects.filter(code=f"{prefix}-root").first()
    Assessment.objects.filter(slug=prefix).delete()  # cascades to unit assessments and score cards
    if root is not None:
        Unit.objects.filter(path__startswith=root.path, unit_type=UnitType.SCHOOL).delete()
        Unit.objects.filter(path__startswith=root.path, unit_type=UnitType.ESA).delete()
        # The root stays: audit entries of earlier runs refer to it (they are never deleted).


def existing(prefix: str, scale: float) -> Synthetic | None:
    assessment = Assessment.objects.filter(slug=prefix).first()
    if assessment is None:
        return None
    schools = assessment.unit_assessments.count()
    if schools != round(NATIONAL_SCHOOLS * scale) or not Publication.objects.filter(assessment=assessment).exists():
        return None
    return Synthetic(assessment.run_by, assessment, Unit.objects.filter(parent=assessment.run_by).count(), schools)


def generate(
    prefix: str = "bench-results",
    scale: float = 1.0,
    seed: int = 29000,
    progress: Callable[[str], None] = lambda _m: None,
) -> Synthetic:
    """Build (or rebuild) the synthetic tree, assessment and live score cards under ``prefix``."""
    clear(prefix)
    rng = random.Random(seed)
    n_esas, n_schools = max(1, round(NATIONAL_ESAS * scale)), max(1, round(NATIONAL_SCHOOLS * scale))
    framework, _ = do_load_framework(settings.ITA_FRAMEWORK_DIR / "ita-2566-school.yaml")
    spec = framework.spec
    with transaction.atomic():
        root, _ = Unit.objects.get_or_create(
            code=f"{prefix}-root", defaults={"name_th": "สพฐ. (ข้อมูลทดสอบ)", "unit_type": UnitType.OBEC}
        )
        progress(f"units: {n_esas} ESAs, {n_schools} schools")
        next_id = (Unit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        esas = [
            Unit(
                id=next_id + i,
                code=f"{prefix}-esa-{i:03d}",
                name_th=f"สพป.ทดสอบ เขต {i + 1}",
                unit_type=UnitType.ESA,
                parent=root,
                path=f"{root.path}{next_id + i}/",
            )
            for i in range(n_esas)
        ]
        Unit.objects.bulk_create(esas, batch_size=BATCH)
        next_id += n_esas
        schools = []
        for i in range(n_schools):
            esa = esas[i % n_esas]
            schools.append(
                Unit(
                    id=next_id + i,
                    code=f"{prefix}-s-{i:05d}",
                    name_th=f"โรงเรียนทดสอบ {i + 1}",
                    unit_type=UnitType.SCHOOL,
                    parent=esa,
                    path=f"{esa.path}{next_id + i}/",
                    staff_count=rng.randint(8, 60),
                )
            )
        Unit.objects.bulk_create(schools, batch_size=BATCH)
        _reset_sequences()
        assessment = Assessment.objects.create(
            slug=prefix,
            name_th="การประเมินทดสอบระดับประเทศ",
            fiscal_year=2566,
            framework=framework,
            run_by=root,
            state=AssessmentState.OPEN,
        )
        progress("unit assessments")
        uas = UnitAssessment.objects.bulk_create(
            [UnitAssessment(assessment=assessment, unit=s, internal_headcount=s.staff_count or 0) for s in schools],
            batch_size=BATCH,
        )
        progress(f"score cards (engine over a pool of {CARD_POOL} inputs)")
        pool: list[ScoreCard] = [score_unit(spec, random_input(spec, rng)) for _ in range(CARD_POOL)]
        for start in range(0, len(uas), BATCH):
            UnitScore.objects.bulk_create(
                [score_row(ua, pool[rng.randrange(CARD_POOL)], spec) for ua in uas[start : start + BATCH]]
            )
    return Synthetic(root, assessment, n_esas, n_schools)


def _reset_sequences() -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Unit]):
            cursor.execute(sql)
