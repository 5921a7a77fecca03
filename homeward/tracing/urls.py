from __future__ import annotations

from django.urls import path

from homeward.tracing import views

app_name = "tracing"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("file/", views.file_request, name="file"),
    path("matches/", views.match_list, name="matches"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/close/", views.close_request, name="close"),
    path("<int:pk>/matching/", views.matching_state, name="matching_state"),
    path("sought/<int:pk>/edit/", views.edit_sought, name="edit_sought"),
    path("candidates/<int:candidate_pk>/", views.decide_match, name="decide_match"),
    path("candidates/<int:candidate_pk>/review/", views.review_match, name="review"),
]
