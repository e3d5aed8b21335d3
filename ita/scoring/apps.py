from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "ita.scoring"
    verbose_name = "การคำนวณคะแนน"
