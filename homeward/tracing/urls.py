from __future__ import annotations

from django.urls import path

from homeward.tracing import views

app_name = "tracing"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("file/", views.file_request, name="file"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/close/", views.close_request, name="close"),
    path("sought/<int:pk>/edit/", views.edit_sought, name="edit_sought"),
    path("candidates/<int:candidate_pk>/", views.decide_match, name="decide_match"),
]
