from __future__ import annotations

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "homeward.exports"
    verbose_name = "Exports"
