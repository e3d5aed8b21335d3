from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "ita.frameworks"
    verbose_name = "เกณฑ์การประเมิน"
