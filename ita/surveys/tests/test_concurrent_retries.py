"""Posts racing each other with one code (a double tap, or the form open in several tabs): one sheet."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from ita.surveys.codes import code_digest, do_issue_codes
from ita.surveys.collect import ALREADY, STORED, FormToken, Refused, Target, do_submit
from ita.surveys.models import SurveyResponse, ToolTally

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("same_form", "expected"),
    [(True, [ALREADY, ALREADY, ALREADY, STORED]), (False, ["code_used", "code_used", "code_used", STORED])],
    ids=["one form posted four times", "one code in four tabs"],
)
def test_simultaneous_posts_with_one_code_store_one_sheet(
    ua_a: Any, spec: Any, same_form: bool, expected: list[str]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's (this runs in CI's PostgreSQL pass)")
    code = do_issue_codes(ua_a, "IIT", 1).codes[0]
    a = ua_a.assessment
    target = Target(
        ua_id=ua_a.pk, assessment_id=a.pk, framework_id=a.framework_id, tool="IIT", code_digest=code_digest(code)
    )
    answers = {item.key: 1 for item in spec.sub_items_of("IIT")}
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def post(nonce: str) -> None:
        start.wait()
        try:
            outcomes.append(do_submit(target, FormToken(nonce=nonce, started=int(time.time()) - 300), answers))
        except Refused as refused:
            outcomes.append(refused.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=("tap" if same_form else f"tab-{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == expected
    assert SurveyResponse.objects.filter(unit_assessment=ua_a).count() == 1
    assert ToolTally.objects.get(unit_assessment=ua_a, tool="IIT").respondents == 1
