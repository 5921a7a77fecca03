from __future__ import annotations

from django.urls import path

from homeward.operations import views

app_name = "operations"
urlpatterns = [
    path("worker/", views.worker_state_page, name="worker"),
]
