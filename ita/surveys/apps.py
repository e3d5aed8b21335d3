from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ita.surveys"
    verbose_name = "แบบวัด IIT และ EIT"
