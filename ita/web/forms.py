"""Forms of the program admin's guided setup: a new assessment, its calendar, its target units.
Each re-shows what was typed, with the error next to its field."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita.assessments.models import Assessment, AssessmentPhase, AssessmentState, PhaseKind
from ita.assessments.services import PHASES_NEEDED_TO_OPEN
from ita.frameworks.models import Framework
from ita.units.models import Unit

# Phases that must have ended before the publication phase starts (the same list publication checks).
BEFORE_PUBLICATION = [k for k in PhaseKind.values if k != PhaseKind.PUBLICATION]


class FrameworkChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return gettext("%(name)s (ปีงบประมาณ พ.ศ. %(year)s, %(slug)s ฉบับที่ %(version)s)") % {
            "name": obj.name_th,
            "year": obj.fiscal_year,
            "slug": obj.slug,
            "version": obj.version,
        }


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name_th} ({obj.code})"


class AssessmentForm(forms.Form):
    framework = FrameworkChoice(queryset=Framework.objects.all(), label=_("เกณฑ์การประเมิน"))
    run_by = UnitChoice(queryset=Unit.objects.none(), label=_("หน่วยงานผู้ดำเนินการ"))
    name_th = forms.CharField(label=_("ชื่อการประเมิน (ไทย)"), max_length=255)
    name_en = forms.CharField(label=_("ชื่อการประเมิน (อังกฤษ)"), max_length=255, required=False)
    slug = forms.SlugField(
        label=_("รหัสการประเมิน (ใช้ในลิงก์)"),
        max_length=64,
        help_text=_("ตัวอักษรภาษาอังกฤษ ตัวเลข ขีด (-) และขีดล่าง (_) เท่านั้น เช่น esa-2570"),
        error_messages={"invalid": _("ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข ขีด (-) และขีดล่าง (_) เช่น esa-2570")},
    )

    def __init__(self, *args: Any, run_by: QuerySet[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["run_by"].queryset = run_by  # type: ignore[attr-defined]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if Assessment.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("มีการประเมินที่ใช้รหัส %(slug)s แล้ว โปรดตั้งรหัสอื่น") % {"slug": slug})
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        framework, run_by = data.get("framework"), data.get("run_by")
        if (
            framework
            and run_by
            and not Unit.objects.filter(path__startswith=run_by.path, unit_type=framework.unit_type)
            .exclude(pk=run_by.pk)
            .exists()
        ):
            self.add_error(
                "framework", _("ไม่มีหน่วยงานประเภทที่เกณฑ์นี้ใช้ภายใต้หน่วยงานผู้ดำเนินการ เลือกเกณฑ์หรือหน่วยงานผู้ดำเนินการอื่น")
            )
        return data


def _local(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


class CalendarForm(forms.Form):
    """One row per phase: first and last day (both included). A phase opens at 00:00 of its
    first day and closes at 24:00 of its last day, Asia/Bangkok."""

    reason = forms.CharField(
        label=_("เหตุผลของการแก้ไขปฏิทิน เช่น ขยายเวลาเก็บข้อมูล"),
        max_length=500,
        required=False,
        help_text=_("ต้องระบุเมื่อการประเมินเปิดดำเนินการแล้ว เหตุผลจะถูกบันทึกในประวัติการแก้ไข"),
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any):
        self.running = assessment.state != AssessmentState.DRAFT
        phases = {p.kind: p for p in AssessmentPhase.objects.filter(assessment=assessment)}
        initial: dict[str, dt.date] = {}
        for kind, phase in phases.items():
            initial[f"{kind}_starts"] = phase.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
            initial[f"{kind}_ends"] = (
                phase.ends_at.astimezone(ZoneInfo(settings.TIME_ZONE)) - dt.timedelta(seconds=1)
            ).date()
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for kind in PhaseKind.values:
            widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            required = kind in PHASES_NEEDED_TO_OPEN
            self.fields[f"{kind}_starts"] = forms.DateField(label=_("วันเริ่ม"), required=required, widget=widget)
            self.fields[f"{kind}_ends"] = forms.DateField(label=_("วันสุดท้าย"), required=required, widget=widget)
            self.fields[f"{kind}_starts"].error_messages["required"] = _("กำหนดวันเริ่มของขั้นตอนนี้")
            self.fields[f"{kind}_ends"].error_messages["required"] = _("กำหนดวันสุดท้ายของขั้นตอนนี้")
            for name in (f"{kind}_starts", f"{kind}_ends"):
                self.fields[name].error_messages["invalid"] = _("ใส่วันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) หรือเลือกจากปฏิทิน")

    def rows(self) -> list[tuple[str, str, Any, Any]]:
        return [(kind, str(label), self[f"{kind}_starts"], self[f"{kind}_ends"]) for kind, label in PhaseKind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.running and not data.get("reason", "").strip():
            self.add_error("reason", _("การประเมินเปิดดำเนินการแล้ว โปรดระบุเหตุผลของการแก้ไขปฏิทิน"))
        for kind in PhaseKind.values:
            starts, ends = data.get(f"{kind}_starts"), data.get(f"{kind}_ends")
            if bool(starts) != bool(ends) and f"{kind}_starts" not in self.errors and f"{kind}_ends" not in self.errors:
                missing = f"{kind}_ends" if starts else f"{kind}_starts"
                self.add_error(missing, _("กำหนดทั้งวันเริ่มและวันสุดท้าย หรือเว้นว่างทั้งคู่"))
            elif starts and ends and ends < starts:
                self.add_error(f"{kind}_ends", _("วันสุดท้ายต้องไม่ก่อนวันเริ่ม"))
        publication = data.get(f"{PhaseKind.PUBLICATION}_starts")
        if publication:
            late = [k for k in BEFORE_PUBLICATION if data.get(f"{k}_ends") and data[f"{k}_ends"] >= publication]
            if late:
                names = ", ".join(str(PhaseKind(k).label) for k in late)
                self.add_error(
                    f"{PhaseKind.PUBLICATION}_starts",
                    _("ประกาศผลต้องเริ่มหลังขั้นตอนเหล่านี้สิ้นสุด: %(phases)s") % {"phases": names},
                )
        return data

    def phases(self) -> dict[str, tuple[dt.datetime, dt.datetime]]:
        """The calendar as the service takes it: every phase given both days."""
        found = {}
        for kind in PhaseKind.values:
            starts, ends = self.cleaned_data.get(f"{kind}_starts"), self.cleaned_data.get(f"{kind}_ends")
            if starts and ends:
                found[kind] = (_local(starts), _local(ends + dt.timedelta(days=1)))
        return found


class UnitsForm(forms.Form):
    ALL, FILE = "all", "file"
    how = forms.ChoiceField(
        label=_("เลือกหน่วยงานที่รับการประเมิน"),
        choices=[
            (ALL, _("ทุกหน่วยงานตามประเภทของเกณฑ์ ภายใต้หน่วยงานผู้ดำเนินการ")),
            (FILE, _("จากไฟล์รายชื่อรหัสหน่วยงาน (CSV หรือ XLSX)")),
        ],
        widget=forms.RadioSelect,
        initial=ALL,
    )
    file = forms.FileField(
        label=_("ไฟล์รหัสหน่วยงาน"),
        required=False,
        help_text=_("รหัสหน่วยงานในคอลัมน์แรก หนึ่งรหัสต่อแถว แถวแรกเป็นหัวตาราง code ได้"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == self.FILE and not data.get("file"):
            self.add_error("file", _("เลือกไฟล์ .csv หรือ .xlsx ที่มีรหัสหน่วยงาน"))
        return data


class AppointForm(forms.Form):
    """A coordinator for one target unit: an existing account by its username, or a new one."""

    unit = UnitChoice(queryset=Unit.objects.none(), label=_("หน่วยงาน"))
    username = forms.RegexField(
        label=_("ชื่อผู้ใช้"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": _("ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ . @ + - _ อย่างน้อย 3 ตัว")},
    )
    display_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=150, required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
