from __future__ import annotations

from django.urls import path

from homeward.cases import merge_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views.register_child, name="register"),
    path("offered/", views.offered_cases, name="offered"),
    path("duplicates/", merge_views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/merge/", merge_views.merge_pair, name="merge_pair"),
    path("duplicates/<int:pk>/dismiss/", merge_views.dismiss_pair, name="dismiss_pair"),
    path("merges/<int:pk>/undo/", merge_views.undo_merge, name="undo_merge"),
    path("offered/<int:share_pk>/", views.decide_offer, name="decide_offer"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/identity/", views.edit_identity, name="edit_identity"),
    path("<int:pk>/names/", views.edit_names, name="edit_names"),
    path("<int:pk>/family/add/", views.add_family_member, name="add_family_member"),
    path("<int:pk>/family/<int:member_pk>/", views.edit_family_member, name="edit_family_member"),
    path("<int:pk>/placement/", views.change_placement, name="change_placement"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/notes/", views.add_note, name="add_note"),
    path("<int:pk>/attachments/add/", views.upload_attachment, name="upload_attachment"),
    path("<int:pk>/share/", views.offer_case, name="offer"),
    path("<int:pk>/share/<int:share_pk>/revoke/", views.revoke_share, name="revoke_share"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.download_attachment,
        name="download_attachment",
    ),
]
