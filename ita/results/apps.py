from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "ita.results"
    verbose_name = "ผลการประเมิน"
