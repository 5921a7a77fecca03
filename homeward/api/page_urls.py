from __future__ import annotations

from django.urls import path

from homeward.api import pages

app_name = "api_keys"
urlpatterns = [
    path("", pages.key_list, name="list"),
    path("<int:pk>/revoke/", pages.revoke, name="revoke"),
]
