from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "homeward.rules"
    verbose_name = "Custody rules"
