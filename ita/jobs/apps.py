from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ita.jobs"
    verbose_name = "งานเบื้องหลัง"
