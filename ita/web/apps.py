from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ita.web"
    verbose_name = "หน้าเว็บ"
