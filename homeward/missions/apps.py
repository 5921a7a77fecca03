from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "homeward.missions"
    label = "missions"
