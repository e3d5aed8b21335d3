"""Reading measures: the unit's suggestions from the engine's analysis, the rounds due and
overdue, and the progress across units. Scores come from the results pages' own context
(the engine over live or frozen inputs); nothing here computes or types a score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ita.assessments.models import UnitAssessment
from ita.improvement.models import CatalogueEntry, FollowUp, Measure, Plan, Status
from ita.results.models import UnitScore
from ita.results.services import latest_publication
from ita.results.unit_page import frozen_context, unit_context

WEAKEST = 3  # indicators offered, lowest first (ties with the last one included)


@dataclass
class Weakness:
    """An indicator that scored low, or an OIT item that failed, with the measures proposed."""

    code: str  # "9" or "O24"
    name_th: str
    score: Fraction | None = None
    reason: str = ""
    proposals: list[CatalogueEntry] = field(default_factory=list)


def results_context(ua: UnitAssessment, *, released_only: bool) -> dict[str, Any] | None:
    """The result page's context: the published, frozen one when there is one, else live."""
    latest = latest_publication(ua.assessment)
    if latest is not None:
        row = UnitScore.objects.filter(publication=latest, unit_assessment=ua).first()
        if row is not None and row.inputs:
            return frozen_context(ua, row)
    return unit_context(ua, released_only=released_only)


def weaknesses(ua: UnitAssessment, *, released_only: bool) -> list[Weakness]:
    """The weakest indicators and the failed OIT items (with the assessor's reason), each with
    the catalogue's proposals for it (an OIT item also gets those of its indicator)."""
    context = results_context(ua, released_only=released_only)
    if context is None or "ranked" not in context:
        return []
    spec = context["spec"]
    ranked = context["ranked"]  # high to low, from the engine
    out: list[Weakness] = []
    if ranked:
        cut = ranked[-WEAKEST:][0].score if len(ranked) >= WEAKEST else ranked[0].score
        out += [Weakness(r.number, r.name_th, r.score) for r in reversed(ranked) if r.score <= cut]
    for reason, item in context["failed"]:
        out.append(Weakness(item.code, item.name_th, None, reason))
    catalogue = list(CatalogueEntry.objects.filter(framework=ua.assessment.framework))
    indicator_of = {i.code: ind.number for ind in spec.indicators for sub in ind.sub_indicators for i in sub.items}
    sub_of = {i.code: i.sub_indicator for i in spec.oit_items}
    for w in out:
        keys = {w.code, indicator_of.get(w.code, ""), sub_of.get(w.code, "")} - {""}
        w.proposals = [e for e in catalogue if e.answers in keys]
    return out


@dataclass(frozen=True)
class RoundState:
    measure: Measure
    months: int
    due: dt.date
    follow_up: FollowUp | None

    @property
    def overdue(self) -> bool:
        """The round's date has passed and nothing was recorded for it."""
        return self.follow_up is None and self.due < timezone.localdate()


def _states(measure: Measure, plan: Plan) -> list[RoundState]:
    recorded = {f.months: f for f in measure.follow_ups.all()}
    return [RoundState(measure, months, plan.due(months), recorded.get(months)) for months in measure.round_list]


def rounds(plan: Plan) -> list[RoundState]:
    return [s for m in plan.measures.prefetch_related("follow_ups") for s in _states(m, plan)]


@dataclass
class PlanProgress:
    plan: Plan
    measures: int = 0
    done: int = 0  # measures whose latest recorded round says done
    overdue: list[RoundState] = field(default_factory=list)

    @property
    def ua(self) -> UnitAssessment:
        return self.plan.unit_assessment


def progress(plans: QuerySet[Plan]) -> list[PlanProgress]:
    """Per unit: how many measures, how many done at their latest round, which rounds overdue.
    Two queries, however many units."""
    rows = {
        p.pk: PlanProgress(p)
        for p in plans.select_related("unit_assessment__unit", "unit_assessment__assessment").order_by(
            "unit_assessment__assessment__slug", "unit_assessment__unit__code"
        )
    }
    measures = Measure.objects.filter(plan_id__in=list(rows)).prefetch_related("follow_ups")
    for m in measures:
        row = rows[m.plan_id]
        states = _states(m, row.plan)
        recorded = [s.follow_up for s in states if s.follow_up is not None]
        row.measures += 1
        row.done += bool(recorded) and recorded[-1].status == Status.DONE
        row.overdue += [s for s in states if s.overdue]
    return list(rows.values())


def overdue_rounds(plans: QuerySet[Plan]) -> list[RoundState]:
    return [s for row in progress(plans) for s in row.overdue]


def measures_json(plan: Plan) -> dict[str, Any]:
    """The unit's measures and follow-up as the API gives them (free text as typed)."""
    ua = plan.unit_assessment
    return {
        "assessment": ua.assessment.slug,
        "unit": ua.unit.code,
        "starts_on": plan.starts_on.isoformat(),
        "public": plan.public,
        "measures": [
            {
                "position": m.position,
                "area": m.area,
                "area_th": str(m.get_area_display()),
                "title": m.title,
                "steps": m.step_list,
                "responsible": m.responsible_list,
                "answers": m.answer_list,
                "rounds": [
                    {
                        "months": months,
                        "due": plan.due(months).isoformat(),
                        "follow_up": _follow_up_json(next((f for f in m.follow_ups.all() if f.months == months), None)),
                    }
                    for months in m.round_list
                ],
            }
            for m in plan.measures.prefetch_related("follow_ups")
        ],
        "actions": [
            {
                "position": a.position,
                "title": a.title,
                "steps": a.step_list,
                "done_on": a.done_on.isoformat() if a.done_on else None,
                "evidence": a.evidence_list,
            }
            for a in plan.actions.all()
        ],
        "summaries": [{"months": s.months, "summary": s.summary, "results": s.results} for s in plan.summaries.all()],
    }


def _follow_up_json(f: FollowUp | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"status": f.status, "done": f.done, "why": f.why, "evidence": f.evidence_list}
