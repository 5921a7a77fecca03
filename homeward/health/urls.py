from __future__ import annotations

from django.urls import path

from homeward.health import views

app_name = "health"
urlpatterns = [
    path("cases/<int:pk>/examination/", views.record_examination, name="record_examination"),
]
