from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    OBEC = "obec", _("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    ESA = "esa", _("สำนักงานเขตพื้นที่การศึกษา")
    SCHOOL = "school", _("สถานศึกษา")


class Unit(models.Model):
    """One node of the tree OBEC -> ESAs -> schools.

    ``path`` is the chain of ids from the root ("/1/7/1203/"), kept so that "this unit and
    everything below it" is one indexed prefix match instead of a recursive walk."""

    code = models.SlugField(_("รหัสหน่วยงาน"), max_length=64, unique=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=255)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=255, blank=True)
    unit_type = models.CharField(_("ประเภท"), max_length=10, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("สังกัด")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    staff_count = models.PositiveIntegerField(_("จำนวนบุคลากร"), null=True, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name_th

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old, self.path = self.path, path
            Unit.objects.filter(pk=self.pk).update(path=path)
            if old:  # moved under another parent: carry the subtree along
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def descendants(self, include_self: bool = True) -> models.QuerySet[Unit]:
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]
