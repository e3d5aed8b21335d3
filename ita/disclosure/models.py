from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceItem(models.Model):
    """One OIT item (O1-O43) of one unit in one assessment, and its current decision.

    The decision here is the latest of the append-only ``ReviewDecision`` rows; it is what
    the scoring engine reads."""

    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.CASCADE, related_name="evidence_items")
    item_code = models.CharField(_("ข้อ"), max_length=8)  # "O24"
    passed = models.BooleanField(_("ผ่าน"), null=True, blank=True)  # None: not decided yet
    reason = models.TextField(_("เหตุผล"), blank=True)
    released = models.BooleanField(_("แจ้งผลแก่หน่วยงานแล้ว"), default=False)

    class Meta:
        ordering = ["unit_assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "item_code"], name="evidence_item_once")]
        verbose_name = _("ข้อการเปิดเผยข้อมูล")
        verbose_name_plural = _("ข้อการเปิดเผยข้อมูล")

    def __str__(self) -> str:
        return f"{self.unit_assessment} {self.item_code}"


class ReviewDecision(models.Model):
    """An assessor's pass/fail on an item, kept forever; the latest one counts."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="decisions")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    passed = models.BooleanField()
    reason = models.TextField(blank=True)
    round = models.CharField(max_length=16, default="review")  # "review", "confirmation", "reopened"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
