from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.audit.targets import target_of


class ItemState(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("ส่งตรวจแล้ว")
    CLARIFIED = "clarified", _("ชี้แจงแล้ว")


class EvidenceItem(models.Model):
    """One OIT item (O1-O43) of one unit in one assessment: the coordinator's evidence and
    the current decision.

    The decision here is the latest of the append-only ``ReviewDecision`` rows; ``passed``
    is what the scoring engine reads (None: not decided yet)."""

    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment", on_delete=models.CASCADE, related_name="evidence_items"
    )
    item_code = models.CharField(_("ข้อ"), max_length=8)  # "O24"
    passed = models.BooleanField(_("ผ่าน"), null=True, blank=True)  # None: not decided yet
    reason = models.TextField(_("เหตุผล"), blank=True)
    released = models.BooleanField(_("แจ้งผลแก่หน่วยงานแล้ว"), default=False)
    # The coordinator's side.
    state = models.CharField(_("สถานะ"), max_length=10, choices=ItemState.choices, default=ItemState.DRAFT)
    present = models.BooleanField(_("มีการเผยแพร่"), null=True, blank=True)  # None: not answered yet
    note = models.TextField(_("หมายเหตุ"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.PositiveIntegerField(_("ยกมาจากปี"), null=True, blank=True)
    # คำชี้แจง: the coordinator's one answer to a failed item in the clarification window.
    clarification = models.TextField(_("คำชี้แจง"), blank=True)
    clarified_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(_("ยืนยันผลแล้ว"), default=False)

    class Meta:
        ordering = ["unit_assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "item_code"], name="evidence_item_once")]
        verbose_name = _("ข้อการเปิดเผยข้อมูล")
        verbose_name_plural = _("ข้อการเปิดเผยข้อมูล")

    def __str__(self) -> str:
        return f"{self.unit_assessment} {self.item_code}"

    @property
    def target(self) -> str:
        return target_of(self)


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

    def __str__(self) -> str:
        return f"{self.item} {'ผ่าน' if self.passed else 'ไม่ผ่าน'} ({self.round})"


class EvidenceLink(models.Model):
    """A URL given as evidence for an item, with a short label."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("ลิงก์"), max_length=1000)
    label = models.CharField(_("คำอธิบายลิงก์"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    added_in = models.CharField(max_length=16, default="submission")  # or "clarification"
    baseline = models.ForeignKey("LinkCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    latest = models.ForeignKey("LinkCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["item", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "url"], name="evidence_link_once")]

    def __str__(self) -> str:
        return self.url


class CheckFlag(models.TextChoices):
    OK = "ok", _("ปกติ")
    DEAD = "dead", _("ลิงก์เสีย")
    CHANGED = "changed", _("เนื้อหาเปลี่ยนไปจากตอนส่ง")
    REFUSED = "refused", _("ไม่อนุญาตให้ตรวจ")


class LinkCheck(models.Model):
    """One fetch of an evidence link by the link checker, and its snapshot."""

    link = models.ForeignKey(EvidenceLink, on_delete=models.CASCADE, related_name="checks")
    purpose = models.CharField(max_length=12, default="submission")  # or "recheck"
    job_id = models.BigIntegerField(null=True, blank=True, db_index=True)  # the job that ran it
    checked_at = models.DateTimeField(_("ตรวจเมื่อ"), auto_now_add=True)
    ok = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    charset = models.CharField(max_length=40, blank=True)  # as the site declared it, to serve the snapshot the same way
    title = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    tls_note = models.CharField(max_length=200, blank=True)  # fetched despite an invalid TLS certificate
    flag = models.CharField(max_length=10, choices=CheckFlag.choices, default=CheckFlag.OK)
    snapshot = models.CharField(max_length=200, blank=True)  # storage name under MEDIA_ROOT

    class Meta:
        ordering = ["link", "id"]

    def __str__(self) -> str:
        return f"{self.link} {self.status or self.error} {self.flag}"


class AssessorAssignment(models.Model):
    """An assessor appointed to review one unit's OIT evidence in one assessment."""

    unit_assessment = models.ForeignKey(
        "assessments.UnitAssessment",
        on_delete=models.CASCADE,
        related_name="assessor_assignments",
        verbose_name=_("หน่วยงานที่รับการประเมิน"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oit_assignments",
        verbose_name=_("ผู้ตรวจประเมิน"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_assessment", "assessor"], name="assessor_assigned_once")]
        verbose_name = _("การมอบหมายผู้ตรวจประเมิน")
        verbose_name_plural = _("การมอบหมายผู้ตรวจประเมิน")

    def __str__(self) -> str:
        return f"{self.assessor} → {self.unit_assessment}"
