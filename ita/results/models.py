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
    tools = models.JSONField(_("คะแนนถ่วงน้ำหนักรายเครื่องมือ"), default=dict, blank=True)  # "IIT" -> "28.36"
    band = models.CharField(_("ระดับผลการประเมิน"), max_length=4, blank=True)
    source = models.CharField(_("ที่มา"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="history_once_per_year")]
        verbose_name = _("ผลการประเมินย้อนหลัง")
        verbose_name_plural = _("ผลการประเมินย้อนหลัง")

    def __str__(self) -> str:
        return f"{self.unit.code} {self.fiscal_year}: {self.total}"


class Publication(models.Model):
    """One published version of an assessment's results: a frozen copy of every unit's score
    card (``UnitScore`` rows pointing here) and the SHA-256 of their canonical JSON. A later
    version exists only after a reopening with a reason; every version stays visible."""

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="publications")
    version = models.PositiveIntegerField(_("ฉบับที่"))
    published_at = models.DateTimeField(_("ประกาศเมื่อ"))
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64)
    # Of the frozen engine inputs (``UnitScore.inputs``), from which the unit pages are drawn;
    # empty for versions published before inputs were frozen.
    inputs_sha256 = models.CharField(_("ค่าแฮช SHA-256 ของข้อมูลตั้งต้น"), max_length=64, blank=True)
    units = models.PositiveIntegerField(_("จำนวนหน่วยงาน"), default=0)
    reason = models.TextField(_("เหตุผลการประกาศฉบับแก้ไข"), blank=True)
    reopened_at = models.DateTimeField(_("เปิดทบทวนเมื่อ"), null=True, blank=True)
    reopen_reason = models.TextField(_("เหตุผลการเปิดทบทวน"), blank=True)

    class Meta:
        ordering = ["assessment", "-version"]
        constraints = [models.UniqueConstraint(fields=["assessment", "version"], name="publication_version_once")]
        verbose_name = _("การประกาศผล")
        verbose_name_plural = _("การประกาศผล")

    def __str__(self) -> str:
        return f"{self.assessment.slug} v{self.version}"


class UnitScore(models.Model):
    """A cache of the engine's output for one unit (never typed by hand), so rankings and
    roll-ups aggregate in SQL. Rows with ``publication`` empty are the live, provisional
    card refreshed by ``refresh_scores``; rows with a publication are frozen copies."""

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="unit_scores")
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    unit_assessment = models.ForeignKey("assessments.UnitAssessment", on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    unit_code = models.CharField(max_length=64)
    unit_name = models.CharField(max_length=255)
    total = models.DecimalField(_("คะแนนรวม"), max_digits=5, decimal_places=2, null=True)
    band = models.CharField(_("ระดับ"), max_length=4, blank=True)
    passed = models.BooleanField(null=True)
    iit = models.DecimalField("IIT", max_digits=5, decimal_places=2, null=True)  # weighted points, as in the report
    eit = models.DecimalField("EIT", max_digits=5, decimal_places=2, null=True)
    oit = models.DecimalField("OIT", max_digits=5, decimal_places=2, null=True)
    # "n<number>" -> displayed score, incl. sub-indicators. Keys are prefixed because Django
    # reads an all-digit JSON key ("1") as an array index in SQL.
    indicators = models.JSONField(default=dict)
    # The engine's unrounded total and indicator scores, "numerator/denominator" by "total" and
    # "n<number>": means over units are taken from these, never from the rounded figures.
    exact = models.JSONField(default=dict, blank=True)
    card = models.JSONField(default=dict)  # exactly score_json(): what `ita score --json` prints
    questions = models.JSONField(default=dict)  # question code -> displayed score (None: suppressed)
    respondents = models.JSONField(default=dict)  # survey tool -> respondents
    # Frozen rows only: the engine's inputs the card was computed from (``results.snapshot``),
    # so a published unit page is the engine run on them, never on live data.
    inputs = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-total", "unit_code"]
        indexes = [
            models.Index(fields=["assessment", "publication", "total"], name="unitscore_rank"),
            models.Index(fields=["assessment", "publication", "unit_path"], name="unitscore_path"),
            models.Index(fields=["assessment", "publication", "parent"], name="unitscore_parent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_assessment"], condition=models.Q(publication__isnull=True), name="one_live_score_per_unit"
            ),
            models.UniqueConstraint(fields=["unit_assessment", "publication"], name="one_frozen_score_per_publication"),
        ]
        verbose_name = _("คะแนนหน่วยงาน")
        verbose_name_plural = _("คะแนนหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.unit_code}: {self.total}"
