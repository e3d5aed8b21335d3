from __future__ import annotations

import uuid

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
    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.PROTECT, related_name="responses")
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    category = models.CharField(_("กลุ่มผู้ตอบ"), max_length=32, blank=True)  # EIT respondent category
    answers = models.JSONField()  # {"i1.1": option index, ...}
    submitted_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["unit_assessment", "tool"])]
        verbose_name = _("คำตอบแบบวัด")
        verbose_name_plural = _("คำตอบแบบวัด")


class ItemTally(models.Model):
    """Running sum and count of option scores for one sub-item at one unit: what the scoring
    engine reads, kept up to date in the same transaction as each response."""

    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.CASCADE, related_name="item_tallies")
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    item_key = models.CharField(max_length=16)  # "i1.2"
    total = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "item_key"], name="tally_once_per_item")]


class ToolTally(models.Model):
    """How many complete responses a unit has per survey tool."""

    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.CASCADE, related_name="tool_tallies")
    tool = models.CharField(max_length=3, choices=SurveyTool.choices)
    respondents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "tool"], name="tool_tally_once")]
