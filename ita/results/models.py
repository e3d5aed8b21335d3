from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoricalResult(models.Model):
    """A unit's published total from a year before the platform (imported, not computed:
    those years' answers were never in this system)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="historical_results")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    total = models.DecimalField(_("คะแนนรวม"), max_digits=5, decimal_places=2)
    indicators = models.JSONField(_("คะแนนรายตัวชี้วัด"), default=dict, blank=True)
    source = models.CharField(_("ที่มา"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="history_once_per_year")]
        verbose_name = _("ผลการประเมินย้อนหลัง")
        verbose_name_plural = _("ผลการประเมินย้อนหลัง")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.fiscal_year}: {self.total}"
