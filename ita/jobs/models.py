from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("รอดำเนินการ")
    RUNNING = "running", _("กำลังทำงาน")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("ล้มเหลว")


class Job(models.Model):
    """One piece of background work (a link check, a batch report), worked by `ita worker`.

    A worker claims a queued row by flipping it to ``running`` under its own name in one
    short transaction; the flip is conditional on the row still being queued, so two
    workers can never both claim it (see ``ita.jobs.queue.claim``)."""

    kind = models.CharField(_("ประเภทงาน"), max_length=40)
    payload = models.JSONField(_("ข้อมูลงาน"), default=dict)
    state = models.CharField(_("สถานะ"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveIntegerField(_("จำนวนครั้งที่ลอง"), default=0)
    max_attempts = models.PositiveIntegerField(default=3)
    run_after = models.DateTimeField(_("เริ่มได้เมื่อ"), default=timezone.now)
    locked_by = models.CharField(_("ผู้ทำงาน"), max_length=80, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("ผลลัพธ์"), default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "run_after"], name="job_ready")]
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk} {self.state}"
