from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "homeward.api"
    label = "api"
    verbose_name = "API for partners' systems"

    def ready(self) -> None:
        from homeward.api import schema  # noqa: F401  (registers the schema extensions)
