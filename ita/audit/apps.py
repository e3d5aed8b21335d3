from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ita.audit"
    verbose_name = "บันทึกการตรวจสอบ (audit)"
