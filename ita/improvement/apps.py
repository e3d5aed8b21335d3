from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "ita.improvement"
    verbose_name = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
