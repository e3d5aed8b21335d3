from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from ita.accounts.models import Membership, Role, User
from ita.accounts.scoping import memberships, role_on, scope_queryset, unit_of


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admin pages that show a user only rows of units within their memberships; only
    program admins (of the row's unit) may change anything."""

    scope_roles: tuple[str, ...] = ()  # roles that see rows here; empty: any role

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(request.user, super().get_queryset(request), *self.scope_roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or (request.user.is_staff and memberships(request.user)))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def _is_program_admin(self, request: HttpRequest, obj: Model | None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return any(role == Role.PROGRAM_ADMIN for role, _ in memberships(request.user))
        return role_on(request.user, unit_of(obj)) == Role.PROGRAM_ADMIN

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._is_program_admin(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_program_admin(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Rows that only services write (decisions, checks, publications): browsable, scoped,
    never edited here, so every change keeps its audit entry."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(User)
class ITAUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (*UserAdmin.fieldsets, ("ITA", {"fields": ("display_name",)}))  # type: ignore[misc]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name_th")
    autocomplete_fields = ("unit",)
