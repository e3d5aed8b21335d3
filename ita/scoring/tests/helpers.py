"""Build engine inputs for tests without a database."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cache

import yaml
from django.conf import settings

from ita.frameworks.spec import FrameworkSpec, parse_framework
from ita.scoring.engine import Tally, UnitInput


@cache
def esa_spec() -> FrameworkSpec:
    return parse_framework(
        yaml.safe_load((settings.ITA_FRAMEWORK_DIR / "ita-2566-esa.yaml").read_text(encoding="utf-8"))
    )


def input_with_indicator_scores(
    spec: FrameworkSpec, scores: Mapping[str, str], respondents: int = 50, failed: tuple[str, ...] = ()
) -> UnitInput:
    """Every sub-item of an indicator averages exactly the indicator's score."""
    tallies = {}
    for tool in ("IIT", "EIT"):
        for ind in spec.indicators_of(tool):
            for item in (s for q in ind.questions for s in q.items):
                tallies[item.key] = Tally(Fraction(scores[ind.number]) * respondents, respondents)
    oit = {item.code: item.code not in failed for item in spec.oit_items}
    return UnitInput(tallies=tallies, respondents={"IIT": respondents, "EIT": respondents}, oit=oit)
