"""An open assessment over the two ESAs of the test tree, with IIT and EIT windows open now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ita.assessments.models import Assessment, UnitAssessment
from ita.assessments.services import do_set_calendar
from ita.frameworks.spec import FrameworkSpec
from ita.surveys.codes import do_ensure_eit_link, do_issue_codes
from ita.units.models import Unit


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Any:
    """Ids repeat across tests (each rolls back), so per-process caches keyed by id must not."""
    from ita.lib import caches

    caches.clear()
    yield
    caches.clear()


@pytest.fixture
def assessment(assessment: Assessment) -> Assessment:
    """The shared test assessment (ita/conftest.py) with its IIT and EIT windows open now."""
    now = timezone.now()
    window = (now - dt.timedelta(days=1), now + dt.timedelta(days=30))
    do_set_calendar(assessment, {"iit": window, "eit": window})
    return assessment


@pytest.fixture
def ua_a(assessment: Assessment, tree: dict[str, Unit]) -> UnitAssessment:
    return UnitAssessment.objects.get(assessment=assessment, unit=tree["esa_a"])


@pytest.fixture
def ua_b(assessment: Assessment, tree: dict[str, Unit]) -> UnitAssessment:
    return UnitAssessment.objects.get(assessment=assessment, unit=tree["esa_b"])


@pytest.fixture
def spec(assessment: Assessment) -> FrameworkSpec:
    return assessment.framework.spec


@pytest.fixture
def iit_codes(ua_a: UnitAssessment) -> list[str]:
    return list(do_issue_codes(ua_a, "IIT", 30).codes)


@pytest.fixture
def eit_token(ua_a: UnitAssessment) -> str:
    return do_ensure_eit_link(ua_a).token


def full_answers(spec: FrameworkSpec, tool: str, choice: Any = 0) -> dict[str, str]:
    """A complete form post: every sub-item answered with option ``choice`` (or the last option
    of a shorter scale), or with ``choice(item)``."""

    def pick(item: Any) -> int:
        return int(choice(item)) if callable(choice) else min(int(choice), len(item.scale.options) - 1)

    return {f"a-{item.key}": str(pick(item)) for item in spec.sub_items_of(tool)}


@pytest.fixture(autouse=True)
def _no_counts_from_other_tests(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The rate-limit counters live in a cache table, which a test run on real transactions
    (live server, threads) does not roll back: empty it around every test."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()
