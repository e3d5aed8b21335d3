from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "ita.units"
    verbose_name = "หน่วยงาน"
