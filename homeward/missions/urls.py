from __future__ import annotations

from django.urls import path, register_converter

from homeward.missions import views


class DocumentFormat:
    regex = "pdf|csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentFormat, "document")

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("plan/", views.plan_mission, name="plan"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_mission, name="edit"),
    path("<int:pk>/manifest/add/", views.add_child, name="add_child"),
    path("<int:pk>/manifest/<int:entry_pk>/remove/", views.remove_child, name="remove_child"),
    path(
        "<int:pk>/manifest/<int:entry_pk>/override/",
        views.override_readiness,
        name="override_readiness",
    ),
    path("<int:pk>/escorts/", views.add_escort, name="add_escort"),
    path("<int:pk>/confirm/", views.confirm_manifest, name="confirm"),
    path("<int:pk>/approve/", views.approve_manifest, name="approve"),
    path("<int:pk>/depart/", views.record_departure, name="depart"),
    path("<int:pk>/arrival/", views.record_arrival, name="arrival"),
    path("<int:pk>/cancel/", views.cancel_mission, name="cancel"),
    path("<int:pk>/close/", views.close_mission, name="close"),
    path("<int:pk>/manifest.<document:fmt>", views.manifest_document, name="manifest"),
    path("readiness/<int:case_pk>/", views.record_readiness, name="record_readiness"),
    path("readiness/<int:case_pk>/withdraw/", views.withdraw_readiness, name="withdraw_readiness"),
]
