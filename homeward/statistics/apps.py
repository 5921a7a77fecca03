from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "homeward.statistics"
    label = "statistics"

    def ready(self) -> None:
        # The receivers that keep the spells equal to the history they come from.
        from homeward.statistics import spells  # noqa: F401
