from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyTool(models.TextChoices):
    IIT = "IIT", "IIT"
    EIT = "EIT", "EIT"


class SurveyResponse(models.Model):
    """One person's whole answer sheet. Deliberately carries no code, user, address, user
    agent or time finer than the day, and a random id, so it cannot be linked to who gave it
    (see docs/anonymity.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.PROTECT, related_name="responses"
    )
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    category = models.CharField(_("กลุ่มผู้ตอบ"), max_length=32, blank=True)  # EIT respondent category
    answers = models.JSONField()  # {"i1.1": option index, ...}
    submitted_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["unit_assessment", "tool"])]
        verbose_name = _("คำตอบแบบวัด")
        verbose_name_plural = _("คำตอบแบบวัด")

    def __str__(self) -> str:
        return f"{self.tool} · {self.submitted_on}"


class ItemTally(models.Model):
    """Running sum and count of option scores for one sub-item at one unit: what the scoring
    engine reads, kept up to date in the same transaction as each response."""

    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="item_tallies"
    )
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    item_key = models.CharField(max_length=16)  # "i1.2"
    total = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "item_key"], name="tally_once_per_item")]

    def __str__(self) -> str:
        return f"{self.item_key}: {self.count}"


class ToolTally(models.Model):
    """How many complete responses a unit has per survey tool."""

    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="tool_tallies"
    )
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    respondents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "tool"], name="tool_tally_once")]

    def __str__(self) -> str:
        return f"{self.tool}: {self.respondents}"


class CodeBatch(models.Model):
    """One issue of codes: when, by whom, how many, and whether it was voided (a lost batch is
    voided and reissued in one step). Holds no code; its codes point to it, but nothing shows
    how many of a batch were used, so a batch handed to a few people says nothing about them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="code_batches"
    )
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    size = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("เหตุผล"), blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    flagged = models.BooleanField(default=False)  # issued beyond headcount plus the spare margin

    class Meta:
        indexes = [models.Index(fields=["unit_assessment", "tool"])]
        verbose_name = _("ชุดรหัสเข้าตอบ")
        verbose_name_plural = _("ชุดรหัสเข้าตอบ")

    def __str__(self) -> str:
        return f"{self.tool} batch of {self.size}"


class SurveyCode(models.Model):
    """A single-use access code (IIT, or EIT in one-time-code mode). Only a keyed hash of the
    code is kept, with whether it was used: never when, never by which response. The hash is
    the primary key, so rows carry no issue sequence either (see docs/anonymity.md)."""

    digest = models.CharField(primary_key=True, max_length=64, editable=False)
    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.CASCADE, related_name="codes")
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    used = models.BooleanField(default=False)
    # RESTRICT: a used code must outlive its batch, or responses could exceed the codes issued.
    batch = models.ForeignKey(CodeBatch, on_delete=models.RESTRICT, null=True, blank=True, related_name="codes")

    class Meta:
        indexes = [models.Index(fields=["unit_assessment", "tool", "used"])]
        verbose_name = _("รหัสเข้าตอบแบบวัด")
        verbose_name_plural = _("รหัสเข้าตอบแบบวัด")

    def __str__(self) -> str:
        return f"{self.tool} code {self.digest[:8]}…"


class EitLink(models.Model):
    """The one public EIT link of a unit in an assessment, behind an unguessable token."""

    unit_assessment = models.OneToOneField(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="eit_link"
    )
    token = models.CharField(max_length=32, unique=True)
    requires_code = models.BooleanField(_("ต้องใช้รหัสแบบใช้ครั้งเดียว"), default=False)

    class Meta:
        verbose_name = _("ลิงก์แบบวัด EIT")
        verbose_name_plural = _("ลิงก์แบบวัด EIT")

    def __str__(self) -> str:
        return f"EIT link of {self.unit_assessment_id}"


class UsedFormToken(models.Model):
    """Hashes of the one-time form tokens already spent: what makes a retried post a no-op
    (and a replayed one harmless). Holds no code, no response, only the day it was spent."""

    digest = models.CharField(primary_key=True, max_length=32, editable=False)
    used_on = models.DateField()

    def __str__(self) -> str:
        return self.digest[:8]


class SignalKind(models.TextChoices):
    DURATION = "duration", _("ช่วงเวลาที่ใช้ตอบ")


class SignalCount(models.Model):
    """How many responses of a unit took a completion time in each coarse band (the one
    manipulation signal a sheet cannot show: its time is never stored). Every band's row is
    created with the unit's tallies, before any response, so neither the rows nor their ids
    say anything about when or in what order sheets came; bursts, identical patterns and
    straight-lining are read from the sheets themselves (manipulation.py)."""

    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="signal_counts"
    )
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    kind = models.CharField(max_length=8, choices=SignalKind.choices)
    bucket = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_assessment", "tool", "kind", "bucket"], name="signal_bucket_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.bucket}: {self.count}"
