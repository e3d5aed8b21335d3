from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ita.reports"
    verbose_name = "รายงาน"
