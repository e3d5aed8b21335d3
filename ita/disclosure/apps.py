from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "ita.disclosure"
    verbose_name = "การเปิดเผยข้อมูลสาธารณะ (OIT)"

    def ready(self) -> None:
        from ita.disclosure import checks  # noqa: F401  registers the "linkcheck" job handler
