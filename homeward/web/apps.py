from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "homeward.web"
    label = "web"

    def ready(self) -> None:
        from homeward.web import choice_labels

        choice_labels.install()
