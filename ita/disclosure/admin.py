from django.contrib import admin

from ita.accounts.admin import ReadOnlyScopedAdmin
from ita.accounts.models import Role
from ita.disclosure.models import AssessorAssignment, EvidenceItem, LinkCheck, ReviewDecision


@admin.register(AssessorAssignment)
class AssessorAssignmentAdmin(ReadOnlyScopedAdmin):
    """Assignments are made on /oit/<assessment>/assign/ so that they are audited."""

    list_display = ("assessor", "unit_assessment", "assigned_by", "assigned_at")
    list_filter = ("unit_assessment__assessment",)


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyScopedAdmin):
    list_display = ("link", "purpose", "checked_at", "status", "flag", "elapsed_ms")
    list_filter = ("flag", "purpose")


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyScopedAdmin):
    """Decisions are made on the review pages (audited); here they can only be looked up, and
    only by program admins and assessors: a unit learns a decision when it is released."""

    scope_roles = (Role.PROGRAM_ADMIN, Role.ASSESSOR)

    list_display = ("unit_assessment", "item_code", "passed", "released", "reason")
    list_filter = ("unit_assessment__assessment", "passed", "released")
    search_fields = ("unit_assessment__unit__code", "item_code")


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyScopedAdmin):
    scope_roles = (Role.PROGRAM_ADMIN, Role.ASSESSOR)
    list_display = ("item", "passed", "round", "assessor", "at")
    list_filter = ("round", "passed")
