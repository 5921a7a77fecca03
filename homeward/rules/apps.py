from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "homeward.rules"
    verbose_name = "Custody rules"

    def ready(self) -> None:
        from homeward.rules import services  # noqa: F401  (evaluates a case when it changes)
