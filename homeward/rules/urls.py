from __future__ import annotations

from django.urls import path

from homeward.rules import views

app_name = "rules"
urlpatterns = [
    path("cases/<int:pk>/alerts/<int:alert_pk>/resolve/", views.resolve_alert, name="resolve"),
]
