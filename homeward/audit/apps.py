from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "homeward.audit"
    label = "audit"

    def ready(self) -> None:
        from homeward.audit import signals  # noqa: F401
