from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "homeward.health"
    verbose_name = "Arrival examinations"
