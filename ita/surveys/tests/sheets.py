"""Answer sheets made by tests, stored through the respondents' own path (``do_submit``), so a
test never stores a sheet in a way the product cannot."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from unittest import mock

from ita.assessments.models import UnitAssessment
from ita.surveys.codes import code_digest, do_issue_codes
from ita.surveys.collect import FormToken, Target, do_submit


def submit_sheet(
    ua: UnitAssessment,
    tool: str,
    answers: Mapping[str, int],
    *,
    code: str = "",
    category: str | None = None,
    seconds_taken: int = 600,
    on: dt.date | None = None,
) -> str:
    """One whole sheet; an IIT sheet without a given code spends a fresh one, as every IIT
    sheet must. ``on`` is the day the server believes it is. Returns do_submit's outcome."""
    a = ua.assessment
    if tool == "IIT" and not code:
        code = do_issue_codes(ua, "IIT", 1, reason="sheets made by the test").codes[0]
    target = Target(
        ua_id=ua.pk,
        assessment_id=a.pk,
        framework_id=a.framework_id,
        tool=tool,
        code_digest=code_digest(code) if code else "",
    )
    token = FormToken(nonce=f"{ua.pk}-{tool}-{time.monotonic_ns()}", started=int(time.time()) - seconds_taken)
    if category is None:
        category = "parent" if tool == "EIT" else ""
    if on is None:
        return do_submit(target, token, answers, category)
    with mock.patch("ita.surveys.collect.timezone.localdate", return_value=on):
        return do_submit(target, token, answers, category)
