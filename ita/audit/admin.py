from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ita.accounts.admin import ScopedAdmin
from ita.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("at", "actor", "unit", "action", "target")
    list_filter = ("action",)
    search_fields = ("action", "target")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
