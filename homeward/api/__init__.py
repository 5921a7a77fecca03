"""The API for partners' systems: /api/v1/, under the same rules as the pages.

Why Django REST framework with drf-spectacular, not django-ninja: the API must reach
records only through the functions the pages use (`cases.access.get_case_for`, the
services), authenticate with our own keys and the pages' session with Django's CSRF check,
and answer every error as an RFC 9457 problem. DRF gives each of those one documented seam
(authentication classes, permission classes, one exception handler, throttles, content
negotiation) and works with plain function calls in the views; drf-spectacular writes the
OpenAPI 3 schema from the same views, and drf-spectacular-sidecar ships Swagger UI so the
documentation page is served from this site, with no CDN, under our CSP. django-ninja would
have typed the inputs with pydantic, but its auth, error and throttling seams are fewer,
and both DRF and drf-spectacular are among the most used and longest kept Django packages.

Layout:
- `keys`: API keys and their service accounts (create, revoke, check); `homeward api-key`
  and the administrators' page "API keys" (`pages`) call it.
- `authentication`, `throttling`, `idempotency`, `problems`: the door, the rate limit per
  key, `Idempotency-Key` on writes, and every error as a problem (one place).
- `views/`: one module per resource, thin: parse (`serializers`), call the access
  function and the service, write (`representations`).
- `changes`: the changes feed, read from the audit trail.
"""
