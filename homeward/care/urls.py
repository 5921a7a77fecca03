from __future__ import annotations

from django.urls import path

from homeward.care import views

app_name = "care"
urlpatterns = [
    path("cases/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("cases/<int:pk>/visits/<int:visit_pk>/", views.record_visit, name="record_visit"),
]
