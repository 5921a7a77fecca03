from __future__ import annotations

from django.urls import path

from homeward.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/download/", views.download, name="download"),
]
