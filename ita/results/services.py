"""Score cards cached for SQL aggregation, and publication: the only writers of results rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.assessments.models import Assessment, AssessmentState, PhaseKind, UnitAssessment
from ita.audit.services import record
from ita.frameworks.spec import FrameworkSpec
from ita.lib.rounding import to_decimal
from ita.results.models import Publication, UnitScore
from ita.scoring.engine import ScoreCard, score_unit
from ita.scoring.services import score_json, unit_inputs

BATCH = 1000


class PublicationError(ValueError):
    pass


def score_row(ua: UnitAssessment, card: ScoreCard, spec: FrameworkSpec) -> UnitScore:
    """The cached card of one unit, every figure taken from the engine's ScoreCard."""
    data = score_json(ua, card, spec)
    return UnitScore(
        assessment_id=ua.assessment_id,
        unit_assessment=ua,
        unit=ua.unit,
        parent_id=ua.unit.parent_id,
        unit_path=ua.unit.path,
        unit_code=ua.unit.code,
        unit_name=ua.unit.name_th,
        total=to_decimal(card.total),
        band=card.band.code if card.band else "",
        passed=card.passed,
        iit=to_decimal(card.tools["IIT"].points) if "IIT" in card.tools else None,
        eit=to_decimal(card.tools["EIT"].points) if "EIT" in card.tools else None,
        oit=to_decimal(card.tools["OIT"].points) if "OIT" in card.tools else None,
        indicators={f"n{k}": v for k, v in data["indicators"].items()},
        card=data,
        questions={code: None if s is None else float(to_decimal(s)) for code, s in card.questions.items()},  # type: ignore[arg-type]
        respondents={code: t.respondents for code, t in card.tools.items() if t.respondents is not None},
    )


@transaction.atomic
def refresh_scores(
    assessment: Assessment, unit_assessments: Iterable[UnitAssessment] | None = None, *, released_only: bool = True
) -> int:
    """Recompute the live (provisional) cards from the engine: all units, or the given ones.
    Units see their own provisional row, so by default only released OIT decisions count."""
    spec = assessment.framework.spec
    uas = list(unit_assessments if unit_assessments is not None else assessment.unit_assessments.select_related("unit"))
    count = 0
    for start in range(0, len(uas), BATCH):
        chunk = uas[start : start + BATCH]
        inputs = unit_inputs(chunk, released_only=released_only)
        rows = [score_row(ua, score_unit(spec, inputs[ua.pk]), spec) for ua in chunk]
        UnitScore.objects.filter(publication__isnull=True, unit_assessment__in=[ua.pk for ua in chunk]).delete()
        UnitScore.objects.bulk_create(rows, batch_size=500)
        count += len(rows)
    return count


def latest_publication(assessment: Assessment) -> Publication | None:
    return assessment.publications.order_by("-version").first()


def canonical(card: dict[str, Any]) -> bytes:
    return json.dumps(card, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def snapshot_hash(cards: Iterator[dict[str, Any]]) -> str:
    """SHA-256 of the canonical JSON array of score cards, ordered by unit code; streamed."""
    digest = hashlib.sha256(b"[")
    for i, card in enumerate(cards):
        digest.update((b"," if i else b"") + canonical(card))
    digest.update(b"]")
    return digest.hexdigest()


def published_cards(publication: Publication) -> Iterator[dict[str, Any]]:
    rows = UnitScore.objects.filter(publication=publication).order_by("unit_code").values_list("card", flat=True)
    return iter(rows.iterator(chunk_size=2000))


def verify(publication: Publication) -> bool:
    return snapshot_hash(published_cards(publication)) == publication.sha256


# Phases that must be over before results are frozen: while collection is open a published
# page would move with each response, and OIT decisions may still change.
MUST_END_BEFORE_PUBLICATION = (
    PhaseKind.IIT,
    PhaseKind.EIT,
    PhaseKind.OIT_SUBMISSION,
    PhaseKind.REVIEW,
    PhaseKind.CLARIFICATION,
    PhaseKind.CONFIRMATION,
)


def publication_blockers(assessment: Assessment) -> list[str]:
    """Why the assessment cannot be published now: one sentence per phase not yet ended."""
    now = timezone.now()
    phases = assessment.phases.filter(kind__in=MUST_END_BEFORE_PUBLICATION, ends_at__gt=now).order_by("ends_at")
    return [
        _("ขั้นตอน%(phase)s ยังไม่สิ้นสุด (สิ้นสุด %(ends)s) ประกาศผลได้เมื่อขั้นตอนนี้สิ้นสุดแล้ว หรือแก้ไขปฏิทินก่อน")
        % {"phase": phase.get_kind_display(), "ends": timezone.localtime(phase.ends_at).strftime("%Y-%m-%d %H:%M")}
        for phase in phases
    ]


@transaction.atomic
def do_publish(assessment: Assessment, *, actor: Any, reason: str = "", refresh: bool = True) -> Publication:
    """Freeze every unit's card from the engine (rescored now), hash it, and mark the
    assessment published. A second version needs a reopening first."""
    if blockers := publication_blockers(assessment):
        raise PublicationError(" ".join(blockers))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    previous = latest_publication(assessment)
    if previous is not None and previous.reopened_at is None:
        raise PublicationError("already published; reopen it with a reason before publishing again")
    if previous is not None and not reason.strip():
        raise PublicationError("a new version needs a reason")
    if refresh:  # False only for the benchmark, whose cards were generated in bulk
        refresh_scores(assessment, released_only=False)  # publishing releases every decision
    publication = Publication.objects.create(
        assessment=assessment,
        version=(previous.version + 1) if previous else 1,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        sha256="",
        reason=reason.strip(),
    )
    live = UnitScore.objects.filter(assessment=assessment, publication__isnull=True).order_by("unit_code")
    frozen: list[UnitScore] = []
    for row in live.iterator(chunk_size=2000):
        row.pk = None
        row.publication = publication
        frozen.append(row)
        if len(frozen) >= BATCH:
            UnitScore.objects.bulk_create(frozen)
            frozen = []
    UnitScore.objects.bulk_create(frozen)
    publication.sha256 = snapshot_hash(published_cards(publication))
    publication.units = UnitScore.objects.filter(publication=publication).count()
    publication.save(update_fields=["sha256", "units"])
    assessment.state = AssessmentState.PUBLISHED
    assessment.save(update_fields=["state"])
    record(
        "results.published",
        actor=actor,
        unit=assessment.run_by,
        target=assessment.slug,
        version=publication.version,
        sha256=publication.sha256,
        units=publication.units,
        reason=publication.reason,
    )
    return publication


@transaction.atomic
def do_reopen(assessment: Assessment, *, actor: Any, reason: str) -> Publication:
    """Open a published assessment for corrections. The published version stays public until
    the next version replaces it."""
    if not reason.strip():
        raise PublicationError("reopening needs a reason")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    publication = latest_publication(assessment)
    if publication is None or publication.reopened_at is not None:
        raise PublicationError("nothing published to reopen")
    publication.reopened_at = timezone.now()
    publication.reopen_reason = reason.strip()
    publication.save(update_fields=["reopened_at", "reopen_reason"])
    assessment.state = AssessmentState.OPEN
    assessment.save(update_fields=["state"])
    record(
        "results.reopened",
        actor=actor,
        unit=assessment.run_by,
        target=assessment.slug,
        version=publication.version,
        reason=publication.reopen_reason,
    )
    return publication


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
