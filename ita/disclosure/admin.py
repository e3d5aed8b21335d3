from django.contrib import admin

from ita.disclosure.models import AssessorAssignment, LinkCheck


@admin.register(AssessorAssignment)
class AssessorAssignmentAdmin(admin.ModelAdmin):
    """Read-only here: assignments are made on /oit/<assessment>/assign/ so they are audited."""

    list_display = ("assessor", "unit_assessment", "assigned_by", "assigned_at")
    list_filter = ("unit_assessment__assessment",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ("link", "purpose", "checked_at", "status", "flag", "elapsed_ms")
    list_filter = ("flag", "purpose")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
