from django.contrib import admin

from ita.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "attempts", "run_after", "locked_by", "finished_at")
    list_filter = ("state", "kind")
    readonly_fields = ("payload", "result", "error")
