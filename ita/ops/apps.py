from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: accounts' second factor and disabling, integrity checks, backup
    and restore."""

    name = "ita.ops"
    verbose_name = "การดูแลระบบ"

    def ready(self) -> None:
        # django-otp's own device admin shows secrets and QR codes to superusers and sits outside
        # the access policy; devices are reset through the user admin's action instead.
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
