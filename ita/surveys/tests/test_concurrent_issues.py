"""Coordinators issuing codes at the same moment (two tabs, two colleagues) cannot together
pass the allowance that each alone would be held to."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from ita.assessments.services import do_set_headcounts
from ita.surveys.codes import CodeError, do_issue_codes
from ita.surveys.models import CodeBatch, SurveyCode

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_issues_never_pass_headcount_plus_spare_without_a_reason(ua_a: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's (this runs in CI's PostgreSQL pass)")
    do_set_headcounts(ua_a, internal=34, external=300)  # 38 codes allowed without a reason
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def issue() -> None:
        start.wait()
        try:
            do_issue_codes(ua_a, "IIT", 12)
            outcomes.append("issued")
        except CodeError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["issued", "issued", "issued", "refused"]
    assert SurveyCode.objects.filter(unit_assessment=ua_a).count() == 36
    assert not CodeBatch.objects.filter(flagged=True).exists()
