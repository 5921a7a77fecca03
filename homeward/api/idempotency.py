"""`Idempotency-Key` on writes: the same request sent again gets the first answer, and
nothing is done twice (a retried registration never registers a child twice).

1. The first request with a key claims it (a row unique per caller and key), then runs.
2. A 2xx answer is kept with the claim (encrypted; a day); any other answer or an error
   releases the claim, since the services wrote nothing, and the request may be retried.
3. The same key again: with the same method, path and body, the kept answer
   (`Idempotent-Replayed: true`); while the first is still running, 409; with another
   body, 422: a key names one request.

Creating writes (registering a child, filing a request, submitting an import) require the
header; the other writes take it when sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(days=1)
MAX_KEY_LENGTH = 255


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("A request with this Idempotency-Key is still being served.")


def parameter(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        HEADER,
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description=_(
            "A value unique to this request (a UUID, say); send the same value "
            "when retrying it, and the first answer comes back."
        ),
    )


def _missing_or_bad(key: str | None, required: bool) -> None:
    if key is None:
        if required:
            raise exceptions.ValidationError(
                {HEADER: [_("This write needs an Idempotency-Key header.")]}
            )
        return
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: [_("Give 1 to %d printable characters.") % MAX_KEY_LENGTH]}
        )


def fingerprint(request: Request) -> str:
    """Method, path and body, read after parsing (a file by its content's hash)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    for name, values in sorted(_items(request.data), key=lambda item: item[0]):
        digest.update(json.dumps(name).encode())
        for value in values:
            digest.update(_value_hash(value).encode())
    return digest.hexdigest()


def _items(data: Any) -> list[tuple[str, list[Any]]]:
    if hasattr(data, "lists"):  # a form's fields and files
        return list(data.lists())
    if isinstance(data, dict):
        return [(key, [value]) for key, value in data.items()]
    return [("", [data])]


def _value_hash(value: Any) -> str:
    if hasattr(value, "read"):
        return _file_hash(value)
    return json.dumps(value, sort_keys=True, default=str)


def _file_hash(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _claim(owner: Any, key: str, print_: str) -> IdempotentRequest | None:
    """None when the key is now ours; otherwise the earlier request's row."""
    IdempotentRequest.objects.filter(owner=owner, created_at__lt=timezone.now() - KEPT_FOR).delete()
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(owner=owner, key=key, fingerprint=print_)
            return None
    except IntegrityError:
        return IdempotentRequest.objects.get(owner=owner, key=key)


def _replay(earlier: IdempotentRequest, print_: str) -> Response:
    if earlier.fingerprint != print_:
        raise exceptions.ValidationError(
            {HEADER: [_("This key was used for another request; use a new key.")]}
        )
    if earlier.status_code is None:
        raise Conflict()
    headers = {"Idempotent-Replayed": "true"}
    if earlier.location:
        headers["Location"] = earlier.location
    return Response(
        json.loads(earlier.response_body or "null"), status=earlier.status_code, headers=headers
    )


def _keep(owner: Any, key: str, response: Response) -> None:
    # Through the row's save(): an encrypted field is sealed for its row.
    kept = IdempotentRequest.objects.get(owner=owner, key=key)
    kept.status_code = response.status_code
    kept.response_body = JSONRenderer().render(response.data).decode()
    kept.location = response.get("Location", "")[:500]
    kept.save(update_fields=["status_code", "response_body", "location"])


def _owner(request: Request) -> Any:
    return request.user  # authenticated: the views' permission classes ran first


def idempotent(required: bool) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    def decorate(method: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(method)
        def run(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(HEADER)
            _missing_or_bad(key, required)
            if key is None:
                return method(view, request, *args, **kwargs)
            print_ = fingerprint(request)
            earlier = _claim(_owner(request), key, print_)
            if earlier is not None:
                return _replay(earlier, print_)
            try:
                response = method(view, request, *args, **kwargs)
            except BaseException:
                IdempotentRequest.objects.filter(owner=_owner(request), key=key).delete()
                raise
            if 200 <= response.status_code < 300:
                _keep(_owner(request), key, response)
            else:
                IdempotentRequest.objects.filter(owner=_owner(request), key=key).delete()
            return response

        return run

    return decorate
