from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from homeward.accounts import views as account_views
from homeward.accounts.language import switch_language
from homeward.operations import views as operations_views
from homeward.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("today/alerts/", web_views.alert_list, name="alerts"),
    path("today/overdue-visits/", web_views.overdue_list, name="overdue_visits"),
    path("sign-in/", web_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", switch_language, name="set_language"),
    path("sign-in/second-factor/", account_views.second_factor, name="second_factor"),
    path(
        "sign-in/set-up-second-factor/",
        account_views.set_up_second_factor,
        name="set_up_second_factor",
    ),
    path("cases/", include("homeward.cases.urls")),
    path("tracing/", include("homeward.tracing.urls")),
    path("missions/", include("homeward.missions.urls")),
    path("health/", include("homeward.health.urls")),
    path("care/", include("homeward.care.urls")),
    path("rules/", include("homeward.rules.urls")),
    path("statistics/", include("homeward.statistics.urls")),
    path("releases/", include("homeward.releases.urls")),
    path("imports/", include("homeward.imports.urls")),
    path("exports/", include("homeward.exports.urls")),
    path("api/v1/", include("homeward.api.urls")),
    path("api-keys/", include("homeward.api.page_urls")),
    path("operations/", include("homeward.operations.urls")),
    path("admin/", admin.site.urls),
    # For monitoring: no sign-in, nothing personal (homeward.operations.health).
    path("healthz/", operations_views.healthz, name="healthz"),
]

# A request that fails because storage is full or read-only gets a page that says so.
handler500 = "homeward.operations.views.server_error"
# A path no endpoint matches, under /api/: a problem, not a page.
handler404 = "homeward.api.problems.not_found"
