from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "homeward.protection"
    label = "protection"
