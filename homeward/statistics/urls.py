from __future__ import annotations

from django.urls import path

from homeward.statistics import views

app_name = "statistics"
urlpatterns = [path("", views.statistics_page, name="page")]
