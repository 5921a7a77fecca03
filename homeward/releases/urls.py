from __future__ import annotations

from django.urls import path

from homeward.releases import views

app_name = "releases"
urlpatterns = [
    path("", views.release_list, name="list"),
    path("prepare/", views.prepare_release, name="prepare"),
    path("<int:pk>/", views.release_detail, name="detail"),
    path("<int:pk>/approve/", views.approve_release, name="approve"),
    path("<int:pk>/reject/", views.reject_release, name="reject"),
    path("<int:pk>/download/", views.download_release, name="download"),
]
