"""/api/v1/: the partners' API. Every endpoint answers for itself who may use it (the API's
authentication, never the pages' sign-in redirect), so each is marked login_not_required."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from homeward.api.views import cases, changes, figures, imports, me, missions, tracing
from homeward.api.views.docs import DocsView, SchemaView

app_name = "api"


def open_door(view: Any) -> Any:
    return login_not_required(view.as_view())


urlpatterns = [
    path("schema/", open_door(SchemaView), name="schema"),
    path("docs/", open_door(DocsView), name="docs"),
    path("me/", open_door(me.MeView), name="me"),
    path("cases/", open_door(cases.CaseListView), name="cases"),
    path("cases/<int:pk>/", open_door(cases.CaseView), name="case"),
    path("cases/<int:pk>/names/", open_door(cases.CaseNamesView), name="case-names"),
    path("cases/<int:pk>/identity/", open_door(cases.CaseIdentityView), name="case-identity"),
    path("cases/<int:pk>/placements/", open_door(cases.CasePlacementView), name="case-placements"),
    path(
        "cases/<int:pk>/transitions/", open_door(cases.CaseTransitionView), name="case-transitions"
    ),
    path("cases/<int:pk>/family/", open_door(cases.CaseFamilyView), name="case-family"),
    path(
        "cases/<int:pk>/family/<int:member_pk>/",
        open_door(cases.FamilyMemberView),
        name="case-family-member",
    ),
    path("cases/<int:pk>/readiness/", open_door(cases.CaseReadinessView), name="case-readiness"),
    path("tracing-requests/", open_door(tracing.TracingListView), name="tracing-requests"),
    path(
        "tracing-requests/<int:pk>/", open_door(tracing.TracingRequestView), name="tracing-request"
    ),
    path(
        "tracing-requests/<int:pk>/candidates/",
        open_door(tracing.CandidatesView),
        name="tracing-candidates",
    ),
    path(
        "tracing-candidates/<int:candidate_pk>/decision/",
        open_door(tracing.DecisionView),
        name="tracing-decision",
    ),
    path("missions/", open_door(missions.MissionListView), name="missions"),
    path("missions/<int:pk>/", open_door(missions.MissionView), name="mission"),
    path(
        "missions/<int:pk>/readiness/",
        open_door(missions.MissionReadinessView),
        name="mission-readiness",
    ),
    path("missions/<int:pk>/manifest/", open_door(missions.ManifestView), name="mission-manifest"),
    path(
        "missions/<int:pk>/manifest.pdf",
        open_door(missions.ManifestPdfView),
        name="mission-manifest-pdf",
    ),
    path("statistics/children/", open_door(figures.ChildrenStatsView), name="stats-children"),
    path("statistics/tracing/", open_door(figures.TracingStatsView), name="stats-tracing"),
    path("statistics/missions/", open_door(figures.MissionStatsView), name="stats-missions"),
    path("statistics/abroad/", open_door(figures.AbroadStatsView), name="stats-abroad"),
    path("releases/", open_door(figures.ReleaseListView), name="releases"),
    path("releases/<int:pk>/", open_door(figures.ReleaseView), name="release"),
    path("imports/", open_door(imports.ImportListView), name="imports"),
    path("imports/<int:pk>/", open_door(imports.ImportView), name="import"),
    path("imports/<int:pk>/commit/", open_door(imports.ImportCommitView), name="import-commit"),
    path("changes/", open_door(changes.ChangesView), name="changes"),
]
