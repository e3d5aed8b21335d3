"""The one guard of published results: a score-changing action waits for a reopening.

In its own module (not ``services``) because ``disclosure.services`` calls it and
``assessments.services`` imports ``disclosure.services``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ita.assessments.models import Assessment, AssessmentState


def is_frozen(assessment: Assessment) -> bool:
    """Published and not reopened. The state field is the usual answer; the latest publication
    (reverse relation, so this low app needs no import of results) is asked too, so that a
    state edited by hand cannot unfreeze published results."""
    if assessment.state == AssessmentState.PUBLISHED:
        return True
    latest = list(assessment.publications.order_by("-version").values_list("reopened_at", flat=True)[:1])
    return bool(latest) and latest[0] is None


def require_open_for_changes(assessment: Assessment, error: type[Exception] | None = None) -> None:
    """Refuse an action that would change a score of a published assessment: published results
    stay frozen until a program admin reopens them with a reason (and publishes a new version).
    Raises ``error`` (the calling app's own error class), by default ``AssessmentError``."""
    if not is_frozen(assessment):
        return
    if error is None:
        from ita.assessments.services import AssessmentError

        error = AssessmentError
    raise error(
        _("ผลการประเมิน %(name)s ประกาศแล้วและถูกตรึงไว้ จึงเปลี่ยนแปลงไม่ได้ ผู้ดูแลโครงการต้องเปิดทบทวนผลพร้อมระบุเหตุผลก่อน")
        % {"name": assessment.name_th}
    )
