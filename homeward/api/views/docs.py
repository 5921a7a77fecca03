"""The OpenAPI 3 schema and its documentation page. The page is Swagger UI served from this
site (drf-spectacular-sidecar's copy, no CDN), with its script and styles in files of their
own, so it runs under the site's Content-Security-Policy and with no network."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
