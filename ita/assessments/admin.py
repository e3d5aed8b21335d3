from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from ita.accounts.admin import ScopedAdmin
from ita.assessments.models import Assessment, AssessmentPhase, UnitAssessment
from ita.audit.services import record


class PhaseInline(admin.TabularInline):
    model = AssessmentPhase
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ("slug", "name_th", "fiscal_year", "framework", "run_by", "state")
    list_filter = ("fiscal_year", "state")
    inlines = [PhaseInline]
    raw_id_fields = ("run_by",)
    readonly_fields = ("state",)  # the state moves only through publication and reopening (audited)

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """A calendar edit here is audited like one made through the service: moving a
        collection window decides when scores may be seen (docs/anonymity.md)."""
        before = {p.kind: (p.starts_at, p.ends_at) for p in form.instance.phases.all()}
        super().save_formset(request, form, formset, change)
        after = {p.kind: (p.starts_at, p.ends_at) for p in form.instance.phases.all()}
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if changed or before.keys() - after.keys():
            record(
                "assessment.calendar",
                actor=request.user,
                unit=form.instance.run_by,
                target=form.instance.slug,
                phases={k: [s.isoformat(), e.isoformat()] for k, (s, e) in changed.items()},
                removed=sorted(before.keys() - after.keys()),
                via="admin",
            )


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(ScopedAdmin):
    list_display = ("unit", "assessment", "internal_headcount", "external_headcount", "state")
    list_filter = ("assessment", "state")
    search_fields = ("unit__code", "unit__name_th")
    raw_id_fields = ("unit",)
    list_select_related = ("unit", "assessment")
    # Headcounts change through the coordinator's survey page (audited, refused once published).
    readonly_fields = ("internal_headcount", "external_headcount", "state")
