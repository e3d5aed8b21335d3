from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ita.assessments"
    verbose_name = "การประเมิน"
