from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "homeward.operations"
    label = "operations"
    verbose_name = "Operations (backups, health, storage)"
