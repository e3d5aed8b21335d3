from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ita.accounts.admin import ScopedAdmin
from ita.accounts.policy import program_admin_paths, visible_audit_entries
from ita.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("at", "actor", "unit", "action", "target")
    list_filter = ("action",)
    search_fields = ("action", "target")

    # Entries carry OIT decisions and their reasons before release: only program admins read them.
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_audit_entries(request.user).select_related("actor", "unit")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or (request.user.is_staff and program_admin_paths(request.user)))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
