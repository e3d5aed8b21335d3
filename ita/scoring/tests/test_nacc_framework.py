"""The NACC-style 2566 framework: its rating needs every tool score, not only the total."""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import yaml
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ita.frameworks.spec import Band, FrameworkSpec, parse_framework
from ita.lib.rounding import display, round_half_up
from ita.scoring.engine import ScoreCard, score_unit
from ita.scoring.tests.helpers import input_with_indicator_scores


@cache
def nacc() -> FrameworkSpec:
    path = settings.ITA_FRAMEWORK_DIR / "ita-2566-nacc.yaml"
    return parse_framework(yaml.safe_load(path.read_text(encoding="utf-8")))


def card_for(iit: str, eit: str, failed: tuple[str, ...] = ()) -> ScoreCard:
    scores = {**{n: iit for n in "12345"}, **{n: eit for n in "678"}}
    return score_unit(nacc(), input_with_indicator_scores(nacc(), scores, failed=failed))


def test_the_nacc_framework_declares_its_own_unit_types_bands_and_rule() -> None:
    spec = nacc()
    assert spec.unit_type == "agency" and {"ministry", "local", "university"} <= {t.code for t in spec.unit_types}
    assert [b.label_th for b in spec.bands] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]
    assert all(b.verified is False for b in spec.bands)  # S16 is a third-party reading
    assert spec.indicator("8").name_th == "การปรับปรุงการทำงาน"
    assert spec.aggregation == "mean_of_subindicators"


def test_a_high_total_with_one_tool_below_95_is_rated_good_not_excellent() -> None:
    # R24: a 2566 total of 95.81 was rated ผ่านดี. IIT 93.00, EIT 93.03, OIT 100: total 95.81.
    card = card_for("93.00", "93.03")
    assert display(card.total) == "95.81"
    assert card.band is not None and card.band.label_th == "ผ่านดี"
    assert card.total is not None
    assert nacc().band_for(card.total).label_th == "ผ่านดีเยี่ยม"  # what the total alone would say


def test_every_tool_at_95_or_more_is_excellent_and_a_weak_tool_drops_to_passed() -> None:
    excellent = card_for("95.00", "96.00")
    assert excellent.band is not None and excellent.band.code == "PE"
    passed = card_for("97.00", "80.00")  # total 0.3 x 97 + 0.3 x 80 + 40 = 93.10, EIT below 85
    assert display(passed.total) == "93.10"
    assert passed.band is not None and (passed.band.code, passed.passed) == ("P", True)
    just = card_for("80.00", "70.00")  # 24 + 21 + 40 = 85.00: passed on the total alone
    assert just.band is not None and just.band.code == "P"
    below = card_for("80.00", "70.00", failed=("O1",))  # OIT 98.00: total 84.20
    assert below.band is not None and (below.band.code, below.passed) == ("I", False)


@hsettings(max_examples=80, deadline=None)
@given(
    st.integers(5000, 10000).map(lambda n: str(Fraction(n, 100))),
    st.integers(5000, 10000).map(lambda n: str(Fraction(n, 100))),
    st.sets(st.sampled_from([f"O{n}" for n in range(1, 44)]), max_size=6),
)
def test_the_displayed_total_and_tool_scores_always_meet_the_band_and_miss_every_higher_one(
    iit: str, eit: str, failed: set[str]
) -> None:
    card = card_for(str(Fraction(iit)), str(Fraction(eit)), tuple(sorted(failed)))
    assert card.total is not None and card.band is not None
    shown = Fraction(round_half_up(card.total))
    tools = {code: Fraction(round_half_up(t.score)) for code, t in card.tools.items() if t.score is not None}

    def holds(band: Band) -> bool:
        return shown >= band.minimum and all(tools[c] >= m for c, m in band.tool_minimums.items())

    assert holds(card.band)
    higher = [
        b for b in nacc().bands if (b.minimum, len(b.tool_minimums)) > (card.band.minimum, len(card.band.tool_minimums))
    ]
    assert not any(holds(b) for b in higher)
