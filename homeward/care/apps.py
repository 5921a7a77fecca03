from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "homeward.care"
    verbose_name = "Hand-over and follow-up"
