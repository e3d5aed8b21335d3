"""Score cards cached for SQL aggregation, and publication: the only writers of results rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.accounts.models import Actor, signed_in
from ita.assessments.calendar import display_moment
from ita.assessments.models import Assessment, AssessmentState, PhaseKind, UnitAssessment
from ita.audit.services import record
from ita.frameworks.spec import FrameworkSpec
from ita.lib.rounding import to_decimal
from ita.results.cards import score_json
from ita.results.models import Publication, UnitScore
from ita.results.snapshot import from_json, live_inputs, to_json
from ita.scoring.engine import ScoreCard, score_unit
from ita.scoring.services import unit_inputs

BATCH = 1000


class PublicationError(ValueError):
    pass


def exact_figures(card: ScoreCard, spec: FrameworkSpec) -> dict[str, str]:
    """The unrounded total and indicator scores of a card, for means over units."""
    figures = {"total": card.total, **{f"n{i.number}": card.indicators.get(i.number) for i in spec.indicators}}
    return {key: f"{v.numerator}/{v.denominator}" for key, v in figures.items() if v is not None}


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
        exact=exact_figures(card, spec),
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


def publication_for(assessment: Assessment, version: str | None) -> Publication | None:
    """The version asked for (``?version=N``), else the latest; None when there is no such
    version (or nothing is published)."""
    if not version:
        return latest_publication(assessment)
    if not (version.isascii() and version.isdigit()) or len(version) > 6:
        return None
    return assessment.publications.filter(version=int(version)).first()


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


def published_inputs(publication: Publication) -> Iterator[dict[str, Any]]:
    rows = UnitScore.objects.filter(publication=publication).order_by("unit_code").values_list("unit_code", "inputs")
    return ({"unit": code, "inputs": inputs} for code, inputs in rows.iterator(chunk_size=2000))


def check(publication: Publication) -> list[str]:
    """What no longer holds of a publication: its cards' hash, its frozen inputs' hash, and
    for each unit that the engine run on the frozen inputs gives the published card exactly
    (the unit page is drawn that way, so page, API and downloads agree). Empty: intact."""
    problems = []
    if snapshot_hash(published_cards(publication)) != publication.sha256:
        problems.append("the score cards no longer match sha256")
    if not publication.inputs_sha256:
        return problems  # published before inputs were frozen: only the cards can be checked
    if snapshot_hash(published_inputs(publication)) != publication.inputs_sha256:
        problems.append("the frozen inputs no longer match inputs_sha256")
    assessment = publication.assessment
    spec = assessment.framework.spec
    rows = UnitScore.objects.filter(publication=publication).select_related("unit_assessment__unit")
    for row in rows.order_by("unit_code").iterator(chunk_size=500):
        ua = row.unit_assessment
        ua.assessment = assessment
        if score_json(ua, score_unit(spec, from_json(row.inputs).data), spec) != row.card:
            problems.append(f"{row.unit_code}: the engine on the frozen inputs does not give the published card")
    return problems


def verify(publication: Publication) -> bool:
    return not check(publication)


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
        % {"phase": phase.get_kind_display(), "ends": display_moment(phase.ends_at)}
        for phase in phases
    ]


def _freeze(assessment: Assessment, publication: Publication) -> None:
    """Read every unit's inputs once, run the engine on them, and store the result twice: as
    the live card and as the publication's frozen card together with the inputs themselves."""
    spec = assessment.framework.spec
    uas = list(assessment.unit_assessments.select_related("unit").order_by("unit__code"))
    for ua in uas:
        ua.assessment = assessment
    for start in range(0, len(uas), BATCH):
        chunk = uas[start : start + BATCH]
        inputs = live_inputs(spec, chunk, released_only=False)  # publishing releases every decision
        live, frozen = [], []
        for ua in chunk:
            card = score_unit(spec, inputs[ua.pk].data)
            live.append(score_row(ua, card, spec))
            row = score_row(ua, card, spec)
            row.publication, row.inputs = publication, to_json(inputs[ua.pk])
            frozen.append(row)
        UnitScore.objects.filter(publication__isnull=True, unit_assessment__in=[ua.pk for ua in chunk]).delete()
        UnitScore.objects.bulk_create(live + frozen, batch_size=500)


@transaction.atomic
def do_publish(assessment: Assessment, *, actor: Actor, reason: str = "") -> Publication:
    """Freeze every unit's engine inputs and the card the engine gives on them (rescored
    now), hash both, and mark the assessment published. A second version needs a reopening
    first, and a reason. Refused while a phase that must end first is still running."""
    if blockers := publication_blockers(assessment):
        raise PublicationError(" ".join(blockers))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    previous = latest_publication(assessment)
    if previous is not None and previous.reopened_at is None:
        raise PublicationError(_("ประกาศผลไปแล้ว ต้องเปิดทบทวนผลพร้อมเหตุผลก่อนจึงจะประกาศฉบับใหม่ได้"))
    if previous is not None and not reason.strip():
        raise PublicationError(_("โปรดระบุเหตุผลของการประกาศฉบับแก้ไข"))
    publication = Publication.objects.create(
        assessment=assessment,
        version=(previous.version + 1) if previous else 1,
        published_at=timezone.now(),
        published_by=signed_in(actor),
        sha256="",
        reason=reason.strip(),
    )
    _freeze(assessment, publication)
    publication.inputs_sha256 = snapshot_hash(published_inputs(publication))
    publication.sha256 = snapshot_hash(published_cards(publication))
    publication.units = UnitScore.objects.filter(publication=publication).count()
    publication.save(update_fields=["sha256", "inputs_sha256", "units"])
    assessment.state = AssessmentState.PUBLISHED
    assessment.save(update_fields=["state"])
    record(
        "results.published",
        actor=actor,
        unit=assessment.run_by,
        target=assessment.slug,
        version=publication.version,
        sha256=publication.sha256,
        inputs_sha256=publication.inputs_sha256,
        units=publication.units,
        reason=publication.reason,
        reopen_reason=previous.reopen_reason if previous else "",
    )
    return publication


@transaction.atomic
def do_reopen(assessment: Assessment, *, actor: Actor, reason: str) -> Publication:
    """Open a published assessment for corrections. The published version stays public until
    the next version replaces it."""
    if not reason.strip():
        raise PublicationError(_("โปรดระบุเหตุผลของการเปิดทบทวนผล"))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    publication = latest_publication(assessment)
    if publication is None or publication.reopened_at is not None:
        raise PublicationError(_("ยังไม่มีผลที่ประกาศแล้ว หรือเปิดทบทวนอยู่แล้ว"))
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
