from __future__ import annotations

from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "homeward.releases"
    verbose_name = "Public releases of figures"
