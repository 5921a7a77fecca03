from __future__ import annotations

from django.urls import path

from homeward.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/commit/", views.commit, name="commit"),
]
