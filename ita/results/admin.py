from django.contrib import admin

from ita.accounts.admin import ScopedAdmin
from ita.results.models import HistoricalResult


@admin.register(HistoricalResult)
class HistoricalResultAdmin(ScopedAdmin):
    list_display = ("unit", "fiscal_year", "total", "source")
    list_filter = ("fiscal_year",)
    search_fields = ("unit__code", "unit__name_th")
    raw_id_fields = ("unit",)
