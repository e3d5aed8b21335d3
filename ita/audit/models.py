from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """Append-only record of an action that changed something that matters (a score, a lock,
    a framework). Written only by services, inside the same transaction as the change."""

    at = models.DateTimeField(_("เวลา"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ผู้ดำเนินการ")
    )
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("หน่วยงาน"))
    action = models.CharField(_("การกระทำ"), max_length=80, db_index=True)  # e.g. "evidence.review.failed"
    target = models.CharField(_("เป้าหมาย"), max_length=200, blank=True)
    data = models.JSONField(_("รายละเอียด"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("รายการบันทึกการตรวจสอบ")
        verbose_name_plural = _("บันทึกการตรวจสอบ")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")
