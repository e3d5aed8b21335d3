from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from ita.accounts.models import Membership, Role, User
from ita.accounts.policy import (
    UNIT_LOOKUP,
    grantable_units,
    manageable_users,
    may_write,
    memberships,
    program_admin_paths,
    role_of,
    scope_queryset,
)
from ita.units.models import Unit


class ScopedAdmin(admin.ModelAdmin):
    """Admin pages that show a user only rows of units within their memberships; only
    program admins (of the row's unit) may change anything, and only so that the row stays
    within their units: choices of units (and of rows tied to units) are limited to those, and
    the saved row is checked again (`policy.may_write`)."""

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
        if not request.user.is_staff:
            return False
        if obj is None:
            return bool(program_admin_paths(request.user))
        return role_of(request.user, obj) == Role.PROGRAM_ADMIN

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._is_program_admin(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_program_admin(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Offer only what the user may write to: their program-admin units, and scoped rows
        of them; a forged choice outside fails the form's validation."""
        related = db_field.related_model
        if related is Unit:
            kwargs["queryset"] = grantable_units(request.user)
        elif related._meta.label_lower in UNIT_LOOKUP and related is not Membership:
            kwargs["queryset"] = scope_queryset(request.user, related._default_manager.all(), Role.PROGRAM_ADMIN)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if not may_write(request.user, obj):  # checked again on save, whatever the form offered
            raise PermissionDenied
        super().save_model(request, obj, form, change)


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
class ITAUserAdmin(UserAdmin):
    """Superusers manage every account. A program admin manages only accounts whose roles all
    lie within their units, and can never make anyone superuser or staff, nor give Django
    groups or permissions (roles are granted as memberships, scoped)."""

    fieldsets = (*UserAdmin.fieldsets, ("ITA", {"fields": ("display_name",)}))  # type: ignore[misc]
    # Read-only for non-superusers: what would escalate, and the account's own history.
    ESCALATING = ("is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(pk__in=manageable_users(request.user).values("pk"))

    def _manages(self, request: HttpRequest, obj: Model | None) -> bool:
        if request.user.is_superuser:
            return True
        if not (request.user.is_staff and program_admin_paths(request.user)):
            return False
        return obj is None or manageable_users(request.user).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._manages(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._manages(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._manages(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._manages(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, *self.ESCALATING)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser and _escalates(obj):  # checked again on save
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def _escalates(user: Any) -> bool:
    """Saving this account would make it superuser, or staff when it was not."""
    before = User.objects.filter(pk=user.pk).values("is_superuser", "is_staff").first() if user.pk else None
    was_staff = bool(before and before["is_staff"])
    return bool(user.is_superuser or (user.is_staff and not was_staff))


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Roles are granted here, only on units at or under the granting program admin's own."""

    scope_roles = (Role.PROGRAM_ADMIN,)
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name_th")
    autocomplete_fields = ("unit",)


# The unit tree's admin is registered here, beside the scoping it relies on: the units app sits
# below accounts in the flow and so cannot import ScopedAdmin itself.
@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("code", "name_th", "unit_type", "parent", "staff_count")
    list_filter = ("unit_type",)
    search_fields = ("code", "name_th", "name_en")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)
