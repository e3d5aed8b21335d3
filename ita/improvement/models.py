"""มาตรการส่งเสริมคุณธรรมและความโปร่งใส: the measures a unit sets from its results (part 3 of
the report), the actions it took (part 4) and their follow-up at each monitoring round."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    PREVENTION = "prevention", _("ด้านการป้องกันการทุจริต")
    DISCLOSURE = "disclosure", _("ด้านการเปิดเผยข้อมูล")
    WORK_SYSTEM = "work_system", _("ด้านการปรับปรุงระบบการทำงาน")
    COMMUNICATION = "communication", _("ด้านประสิทธิภาพการสื่อสาร")
    OTHER = "other", _("ด้านอื่น ๆ")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    DONE = "done", _("ดำเนินการแล้ว")
    DROPPED = "dropped", _("ยกเลิก")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CatalogueEntry(models.Model):
    """A measure the program admin proposes for a weak indicator or a failed OIT item."""

    framework = models.ForeignKey("frameworks.Framework", on_delete=models.CASCADE, related_name="measure_catalogue")
    answers = models.CharField(_("ตัวชี้วัดหรือข้อ OIT"), max_length=16)  # "9", "9.4" or "O24"
    area = models.CharField(_("ด้าน"), max_length=16, choices=Area.choices)
    title = models.CharField(_("มาตรการ"), max_length=300)
    steps = models.TextField(_("วิธีการดำเนินงาน (บรรทัดละหนึ่งขั้น)"))

    class Meta:
        ordering = ["framework", "answers", "id"]

    def __str__(self) -> str:
        return f"{self.answers}: {self.title}"

    @property
    def step_list(self) -> list[str]:
        return lines(self.steps)


class Plan(models.Model):
    """The unit's measures document for one assessment's results."""

    unit_assessment = models.OneToOneField(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="improvement_plan"
    )
    starts_on = models.DateField(_("วันเริ่มดำเนินการตามมาตรการ"))  # rounds count from here
    groups = models.TextField(_("กลุ่ม/หน่วยของหน่วยงาน (บรรทัดละหนึ่งกลุ่ม)"), blank=True)
    public = models.BooleanField(_("เผยแพร่ต่อสาธารณะ"), default=False)

    def __str__(self) -> str:
        return str(self.unit_assessment)

    @property
    def target(self) -> str:
        return f"{self.unit_assessment.assessment.slug}/{self.unit_assessment.unit.code}/measures"

    @property
    def group_list(self) -> list[str]:
        return lines(self.groups)

    def due(self, months: int) -> dt.date:
        month = self.starts_on.month - 1 + months
        year, month = self.starts_on.year + month // 12, month % 12 + 1
        last = [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ]
        return dt.date(year, month, min(self.starts_on.day, last[month - 1]))


class Measure(models.Model):
    """มาตรการ: one row of the report's part 3 table."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(default=0)
    area = models.CharField(_("ด้าน"), max_length=16, choices=Area.choices)
    title = models.CharField(_("มาตรการ"), max_length=10000, blank=True)
    steps = models.TextField(_("วิธีการดำเนินงาน"))
    responsible = models.TextField(_("ผู้รับผิดชอบ"))
    rounds = models.CharField(_("รอบการกำกับติดตาม (เดือน)"), max_length=40, default="6,12")
    answers = models.CharField(_("ตอบตัวชี้วัด/ข้อ OIT"), max_length=200, blank=True)
    from_entry = models.ForeignKey(CatalogueEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_area_display()}"

    @property
    def step_list(self) -> list[str]:
        return lines(self.steps)

    @property
    def responsible_list(self) -> list[str]:
        return lines(self.responsible)

    @property
    def round_list(self) -> list[int]:
        return [int(r) for r in self.rounds.split(",") if r.strip().isdigit()]

    @property
    def answer_list(self) -> list[str]:
        return [a for a in self.answers.replace(",", " ").split() if a]


class FollowUp(models.Model):
    """What the responsible group reports for one measure at one monitoring round."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("รอบ (เดือน)"))
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices)
    why = models.TextField(_("เหตุผล"), blank=True)
    done = models.TextField(_("สิ่งที่ดำเนินการแล้ว"), blank=True)
    evidence = models.TextField(_("ลิงก์หลักฐาน"), blank=True)  # one URL a line
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "months"]
        constraints = [models.UniqueConstraint(fields=["measure", "months"], name="follow_up_once_a_round")]

    def __str__(self) -> str:
        return f"{self.measure} @{self.months}"

    @property
    def evidence_list(self) -> list[str]:
        return lines(self.evidence)


class RoundSummary(models.Model):
    """สรุปผลการดำเนินงาน and ผลการดำเนินการ of one monitoring round."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="summaries")
    months = models.PositiveSmallIntegerField(_("รอบ (เดือน)"))
    summary = models.TextField(_("สรุปผลการดำเนินงาน"), blank=True)
    results = models.TextField(_("ผลการดำเนินการ"), blank=True)

    class Meta:
        ordering = ["plan", "months"]
        constraints = [models.UniqueConstraint(fields=["plan", "months"], name="round_summary_once")]

    def __str__(self) -> str:
        return f"{self.plan} @{self.months}"


class Action(models.Model):
    """การดำเนินการตามมาตรการ: something the unit did (part 4), with its steps and evidence."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("การดำเนินการ"), max_length=10000)
    steps = models.TextField(_("ขั้นตอน"), blank=True)
    done_on = models.DateField(_("วันที่"), null=True, blank=True)
    evidence = models.TextField(_("ลิงก์หลักฐาน"), blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def step_list(self) -> list[str]:
        return lines(self.steps)

    @property
    def evidence_list(self) -> list[str]:
        return lines(self.evidence)
