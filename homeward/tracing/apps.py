from django.apps import AppConfig


class TracingConfig(AppConfig):
    name = "homeward.tracing"
    label = "tracing"

    def ready(self) -> None:
        from homeward.tracing import matching  # noqa: F401  (queues work on case changes)
