from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: disabling accounts, integrity checks, backup and restore."""

    name = "ita.ops"
    verbose_name = "การดูแลระบบ"
