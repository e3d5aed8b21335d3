from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from ita.accounts.policy import memberships
from ita.frameworks.models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Frameworks are public rules, visible to every staff member; they are loaded with
    `ita framework load`, never edited here (an edited framework would silently change scores)."""

    list_display = ("slug", "version", "fiscal_year", "unit_type", "name_th", "loaded_at")
    list_filter = ("fiscal_year", "unit_type")
    readonly_fields = (
        "slug",
        "version",
        "fiscal_year",
        "unit_type",
        "name_th",
        "name_en",
        "source",
        "sha256",
        "loaded_at",
    )
    exclude = ("document",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or (request.user.is_staff and memberships(request.user)))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser and obj is not None and not obj.in_use)
