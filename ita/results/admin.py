from django.contrib import admin

from ita.accounts.admin import ReadOnlyScopedAdmin, ScopedAdmin
from ita.results.models import HistoricalResult, Publication


@admin.register(HistoricalResult)
class HistoricalResultAdmin(ScopedAdmin):
    list_display = ("unit", "fiscal_year", "total", "source")
    list_filter = ("fiscal_year",)
    search_fields = ("unit__code", "unit__name_th")
    raw_id_fields = ("unit",)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyScopedAdmin):
    """Publishing and reopening happen on the ranking page or with `ita results`, audited."""

    list_display = ("assessment", "version", "published_at", "units", "sha256", "reopened_at")
    list_filter = ("assessment",)
