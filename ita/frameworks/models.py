from __future__ import annotations

from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.frameworks.spec import FrameworkSpec, parse_framework


class Framework(models.Model):
    """One version of an ITA framework, stored as the YAML it was loaded from plus its parsed
    form. Frozen once an assessment uses it: changes come as a new version."""

    slug = models.SlugField(_("รหัสเกณฑ์"), max_length=64)
    version = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    unit_type = models.CharField(_("ประเภทหน่วยงาน"), max_length=10)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=255)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=255, blank=True)
    source = models.TextField(_("ไฟล์ต้นฉบับ (YAML)"))
    document = models.JSONField(_("ข้อมูลเกณฑ์"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("นำเข้าเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="framework_slug_version")]
        verbose_name = _("เกณฑ์การประเมิน")
        verbose_name_plural = _("เกณฑ์การประเมิน")

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    @cached_property
    def spec(self) -> FrameworkSpec:
        return parse_framework(self.document)

    @property
    def in_use(self) -> bool:
        return self.assessments.exists()
