from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "homeward.care"
    verbose_name = "Hand-over and follow-up"

    def ready(self) -> None:
        from homeward.care import signals  # noqa: F401  (follows the cases that end)
