from django.contrib import admin

from ita.accounts.admin import ScopedAdmin
from ita.units.models import Unit


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("code", "name_th", "unit_type", "parent", "staff_count")
    list_filter = ("unit_type",)
    search_fields = ("code", "name_th", "name_en")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)
