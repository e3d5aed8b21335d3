"""Solve for survey answer sheets whose indicator scores are exactly given values.

The demo must score สพป.สมุทรสาคร to the reference report's figures from *raw answers*, so we
never store a score: we choose how many respondents picked each option, then deal those
answers out to respondents. An indicator's score is

    (1/k) * sum over questions q of (1/m_q) * sum over sub-items s of S[q,s] / n

for k questions with m_q sub-items each, n respondents and S the sum of option scores. In
"deficit" form (100 - score per answer), the weighted deficit total must equal
k * L * n * (100 - target) with L = lcm(m_q) and weights L / m_q. We hand out most of the
deficit evenly as "much" answers, then close the remainder exactly with a small dynamic
programme over the available (weight x deficit) steps.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ita.frameworks.spec import FrameworkSpec, Indicator, SubItem

HUNDRED = Fraction(100)


class Unsolvable(ValueError):
    pass


@dataclass(frozen=True)
class _Slot:
    """One sub-item: its weight in the indicator and the deficits its scale allows."""

    item: SubItem
    weight: int
    deficits: tuple[int, ...]  # non-zero deficits, cheapest (mildest) first


def _deficits(item: SubItem) -> tuple[int, ...]:
    values = set()
    for option in item.scale.options:
        deficit = HUNDRED - option.score
        if deficit.denominator != 1:
            raise Unsolvable(f"{item.key}: the solver needs whole-number option scores")
        if deficit:
            values.add(int(deficit))
    return tuple(sorted(values))


def weighted_deficit(indicator: Indicator, respondents: int, target: Fraction) -> tuple[int, list[_Slot]]:
    lcm = math.lcm(*(len(q.items) for q in indicator.questions))
    slots = [_Slot(item, lcm // len(q.items), _deficits(item)) for q in indicator.questions for item in q.items]
    needed = len(indicator.questions) * lcm * respondents * (HUNDRED - target)
    if needed.denominator != 1:
        raise Unsolvable(
            f"indicator {indicator.number}: {respondents} respondents cannot give exactly {float(target):.2f}"
        )
    return int(needed), slots


def respondents_for(spec: FrameworkSpec, tool: str, targets: Mapping[str, Fraction], at_least: int) -> int:
    """The smallest respondent count >= at_least for which every target is reachable exactly."""
    for n in range(max(at_least, 1), at_least + 1000):
        try:
            for ind in spec.indicators_of(tool):
                weighted_deficit(ind, n, targets[ind.number])
        except Unsolvable:
            continue
        return n
    raise Unsolvable(f"no respondent count near {at_least} reaches the {tool} targets exactly")


def solve_indicator(
    indicator: Indicator, respondents: int, target: Fraction, rng: random.Random
) -> dict[str, list[int]]:
    """Deficit answers per sub-item key (a list of deficits, one per non-top answer)."""
    needed, slots = weighted_deficit(indicator, respondents, target)
    largest = max(s.weight * max(s.deficits) for s in slots)
    reserve = 2500 + 3 * largest
    while True:
        try:
            return _solve_with_reserve(slots, needed, respondents, reserve, rng)
        except Unsolvable:
            if reserve > needed:
                raise
            reserve *= 2


def _solve_with_reserve(
    slots: Sequence[_Slot], needed: int, respondents: int, reserve: int, rng: random.Random
) -> dict[str, list[int]]:
    answers: dict[str, list[int]] = {s.item.key: [] for s in slots}
    remaining = needed
    # Hand out mild answers round-robin while well above what the exact step can close.
    order = list(slots)
    while remaining > reserve:
        rng.shuffle(order)
        progressed = False
        for slot in order:
            mild = slot.deficits[0] if rng.random() < 0.85 else slot.deficits[min(1, len(slot.deficits) - 1)]
            if remaining - slot.weight * mild < reserve // 2 or len(answers[slot.item.key]) >= respondents:
                continue
            answers[slot.item.key].append(mild)
            remaining -= slot.weight * mild
            progressed = True
        if not progressed:
            break
    _close_exactly(slots, remaining, answers, respondents)
    return answers


def _close_exactly(slots: Sequence[_Slot], remaining: int, answers: dict[str, list[int]], respondents: int) -> None:
    """Add the cheapest extra answers (mild ones cost less than harsh ones) whose weighted
    deficits add up to ``remaining`` exactly, spread over the sub-items that have room."""
    if remaining == 0:
        return
    steps = sorted({(slot.weight, d, rank) for slot in slots for rank, d in enumerate(slot.deficits)})
    cost: list[int | None] = [0] + [None] * remaining
    back: list[int] = [-1] * (remaining + 1)
    for value in range(1, remaining + 1):
        for i, (weight, deficit, rank) in enumerate(steps):
            size = weight * deficit
            if size <= value and (prev := cost[value - size]) is not None:
                option = prev + 1 + 2 * rank
                current = cost[value]
                if current is None or option < current:
                    cost[value], back[value] = option, i
    if cost[remaining] is None:
        raise Unsolvable("the remaining deficit cannot be reached with the scale's options")
    value = remaining
    while value:
        weight, deficit, _rank = steps[back[value]]
        room = [
            s for s in slots if s.weight == weight and deficit in s.deficits and len(answers[s.item.key]) < respondents
        ]
        if not room:
            raise Unsolvable("more non-top answers than respondents")
        slot = min(room, key=lambda s: len(answers[s.item.key]))
        answers[slot.item.key].append(deficit)
        value -= weight * deficit


def answer_sheets(
    spec: FrameworkSpec, tool: str, targets: Mapping[str, Fraction], respondents: int, seed: int
) -> list[dict[str, int]]:
    """Complete answer sheets (sub-item key -> option index) scoring exactly ``targets``."""
    rng = random.Random(seed)
    sheets: list[dict[str, int]] = [{} for _ in range(respondents)]
    for ind in spec.indicators_of(tool):
        deficits = solve_indicator(ind, respondents, targets[ind.number], rng)
        for q in ind.questions:
            for item in q.items:
                by_deficit = {int(HUNDRED - o.score): i for i, o in enumerate(item.scale.options)}
                column = [by_deficit[d] for d in deficits[item.key]]
                column += [by_deficit[0]] * (respondents - len(column))
                rng.shuffle(column)
                for sheet, option in zip(sheets, column, strict=True):
                    sheet[item.key] = option
    return sheets


def plausible_sheets(
    spec: FrameworkSpec, tool: str, respondents: int, quality: float, seed: int
) -> list[dict[str, int]]:
    """Random but believable sheets: each answer is the best option with probability
    ``quality``, otherwise a milder or (rarely) a harsh one."""
    rng = random.Random(seed)
    items = spec.sub_items_of(tool)
    sheets = []
    for _ in range(respondents):
        sheet = {}
        for item in items:
            ranked = sorted(range(len(item.scale.options)), key=lambda i: item.scale.options[i].score, reverse=True)
            roll = rng.random()
            pick = 0 if roll < quality else 1 if roll < quality + (1 - quality) * 0.75 else rng.randrange(len(ranked))
            sheet[item.key] = ranked[min(pick, len(ranked) - 1)]
        sheets.append(sheet)
    return sheets
