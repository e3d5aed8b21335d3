from django.contrib import admin

from ita.accounts.admin import ReadOnlyScopedAdmin
from ita.results.models import HistoricalResult, Publication


@admin.register(HistoricalResult)
class HistoricalResultAdmin(ReadOnlyScopedAdmin):
    """Public history: read-only here, even for a superuser. Rows come from `ita results
    import` (``do_import_history``) and corrections from ``do_correct_history``, both audited."""

    list_display = ("unit", "fiscal_year", "total", "source")
    list_filter = ("fiscal_year",)
    search_fields = ("unit__code", "unit__name_th")
    raw_id_fields = ("unit",)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyScopedAdmin):
    """Publishing and reopening happen on the ranking page or with `ita results`, audited."""

    list_display = ("assessment", "version", "published_at", "units", "sha256", "reopened_at")
    list_filter = ("assessment",)
