from django.contrib import admin

from ita.accounts.admin import ScopedAdmin
from ita.assessments.models import Assessment, AssessmentPhase, UnitAssessment


class PhaseInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AssessmentPhase
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ("slug", "name_th", "fiscal_year", "framework", "run_by", "state")
    list_filter = ("fiscal_year", "state")
    inlines = [PhaseInline]
    raw_id_fields = ("run_by",)


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(ScopedAdmin):
    list_display = ("unit", "assessment", "internal_headcount", "external_headcount", "state")
    list_filter = ("assessment", "state")
    search_fields = ("unit__code", "unit__name_th")
    raw_id_fields = ("unit",)
    list_select_related = ("unit", "assessment")
