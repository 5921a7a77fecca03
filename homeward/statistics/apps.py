from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "homeward.statistics"
    label = "statistics"
