from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.lib.thai import fiscal_year_bounds


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    OPEN = "open", _("เปิดดำเนินการ")
    PUBLISHED = "published", _("ประกาศผลแล้ว")


class Assessment(models.Model):
    """One year's ITA run by one unit (OBEC, or an ESA) over chosen units below it."""

    slug = models.SlugField(_("รหัสการประเมิน"), max_length=64, unique=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=255)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=255, blank=True)
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("เกณฑ์")
    )
    run_by = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="assessments_run", verbose_name=_("หน่วยงานผู้ดำเนินการ")
    )
    state = models.CharField(_("สถานะ"), max_length=12, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "slug"]
        verbose_name = _("การประเมิน")
        verbose_name_plural = _("การประเมิน")

    def __str__(self) -> str:
        return self.name_th

    @property
    def fiscal_year_bounds(self) -> tuple[dt.date, dt.date]:
        return fiscal_year_bounds(self.fiscal_year)

    def phase_open(self, kind: str, at: dt.datetime | None = None) -> bool:
        """True while the calendar has the phase of this kind open."""
        now = at or timezone.now()
        return self.phases.filter(kind=kind, starts_at__lte=now, ends_at__gt=now).exists()

    def collecting(self, at: dt.datetime | None = None) -> tuple[str, ...]:
        """The survey tools whose collection window is open, sorted: no score of them is shown."""
        return tuple(sorted(collecting([self.pk], at).get(self.pk, frozenset())))

    def calendar_moved_since(self, since: dt.datetime, at: dt.datetime | None = None) -> bool:
        """True when a phase was edited, or a phase boundary passed, after ``since``: a score
        card computed then may show what is withheld now (or withhold what is shown)."""
        now = at or timezone.now()
        moved = (
            models.Q(updated_at__gt=since)
            | models.Q(starts_at__gt=since, starts_at__lte=now)
            | models.Q(ends_at__gt=since, ends_at__lte=now)
        )
        return self.phases.filter(moved).exists()


class PhaseKind(models.TextChoices):
    IIT = "iit", _("เก็บข้อมูล IIT")
    EIT = "eit", _("เก็บข้อมูล EIT")
    OIT_SUBMISSION = "oit_submission", _("ส่งหลักฐาน OIT")
    REVIEW = "review", _("ตรวจประเมิน OIT")
    CLARIFICATION = "clarification", _("ชี้แจงเพิ่มเติม")
    CONFIRMATION = "confirmation", _("ยืนยันผล")
    PUBLICATION = "publication", _("ประกาศผล")


# The phases in which a survey tool is being collected, and the tool each collects.
COLLECTION_PHASES = {PhaseKind.IIT: "IIT", PhaseKind.EIT: "EIT"}


def collecting(assessment_ids: Iterable[int], at: dt.datetime | None = None) -> dict[int, frozenset[str]]:
    """Per assessment, the survey tools being collected at ``at`` (now): one query. While a
    window is open one more answer moves the tool's scores, so comparing them before and
    after would give that answer away (no sequential release, docs/anonymity.md)."""
    now = at or timezone.now()
    open_phases = AssessmentPhase.objects.filter(
        assessment_id__in=list(assessment_ids), kind__in=list(COLLECTION_PHASES), starts_at__lte=now, ends_at__gt=now
    ).values_list("assessment_id", "kind")
    tools: dict[int, set[str]] = {}
    for assessment_id, kind in open_phases:
        tools.setdefault(assessment_id, set()).add(COLLECTION_PHASES[PhaseKind(kind)])
    return {pk: frozenset(codes) for pk, codes in tools.items()}


class AssessmentPhase(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("ขั้นตอน"), max_length=20, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("เริ่ม"))
    ends_at = models.DateTimeField(_("สิ้นสุด"))
    # Cached score cards older than the last calendar edit are recomputed (results/views.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kind"], name="phase_once_per_assessment"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            ),
        ]
        verbose_name = _("ขั้นตอนตามปฏิทิน")
        verbose_name_plural = _("ปฏิทินการประเมิน")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"


class UnitAssessmentState(models.TextChoices):
    ACTIVE = "active", _("กำลังดำเนินการ")
    OIT_LOCKED = "oit_locked", _("ยืนยันผล OIT แล้ว")
    WITHDRAWN = "withdrawn", _("ถอนจากการประเมิน")


class UnitAssessment(models.Model):
    """A target unit's own record within an assessment: headcounts and progress."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="unit_assessments")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="unit_assessments", verbose_name=_("หน่วยงาน")
    )
    internal_headcount = models.PositiveIntegerField(_("จำนวนบุคลากรที่มีสิทธิ์ตอบ IIT"), default=0)
    external_headcount = models.PositiveIntegerField(_("จำนวนผู้มีส่วนได้ส่วนเสียภายนอก"), default=0)
    state = models.CharField(
        _("สถานะ"), max_length=12, choices=UnitAssessmentState.choices, default=UnitAssessmentState.ACTIVE
    )

    class Meta:
        ordering = ["assessment", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["assessment", "unit"], name="unit_once_per_assessment")]
        verbose_name = _("หน่วยงานที่รับการประเมิน")
        verbose_name_plural = _("หน่วยงานที่รับการประเมิน")

    def __str__(self) -> str:
        return f"{self.assessment.slug} · {self.unit.code}"

    @property
    def population(self) -> dict[str, int]:
        return {"IIT": self.internal_headcount, "EIT": self.external_headcount}
