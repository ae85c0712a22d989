"""The REST API under /api/v1/; its OpenAPI document is served at /api/openapi.json.

Errors have one shape everywhere: ``{"detail": "...", "errors": [{"field", "code", "message"}]}``
with Indonesian messages, and a 4xx status. A 5xx is a bug.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from waspada.regions.api import router as regions_router
from waspada.reports.actions import IdempotencyConflict
from waspada.reports.api import incidents_router
from waspada.reports.api import router as reports_router


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token (people/tokens.py)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from waspada.people.tokens import person_for_token

        person = person_for_token(token)
        if person is not None:
            request.user = person
        return person


class Session(SessionAuth):
    """The logged-in web session (the report form uses it), with CSRF protection."""


api = NinjaAPI(
    title="Waspada API",
    version="1",
    description=(
        "API sistem kewaspadaan dini lintas forum. Autentikasi: `Authorization: Bearer <token>` "
        "(buat token di halaman profil) atau sesi web. / Cross-forum early-warning API."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[BearerToken(), Session()],
)
api.add_router("/v1/regions", regions_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/incidents", incidents_router)

# Indonesian messages for the validation errors pydantic reports, by error type.
_PYDANTIC_MESSAGES = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "int_type": "Harus bilangan bulat.",
    "int_parsing": "Harus bilangan bulat.",
    "int_from_float": "Harus bilangan bulat.",
    "float_type": "Harus bilangan.",
    "float_parsing": "Harus bilangan.",
    "bool_type": "Harus true atau false.",
    "bool_parsing": "Harus true atau false.",
    "datetime_type": "Harus tanggal dan waktu (ISO 8601).",
    "datetime_parsing": "Harus tanggal dan waktu (ISO 8601), mis. 2026-11-28T09:30:00+08:00.",
    "datetime_from_date_parsing": "Harus tanggal dan waktu (ISO 8601).",
    "list_type": "Harus berupa daftar.",
    "json_invalid": "JSON tidak sah.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "too_long": "Terlalu panjang.",
    "string_too_long": "Terlalu panjang.",
    "finite_number": "Harus bilangan terhingga.",
}


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(None, {"detail": detail, "errors": errors or []}, status=status)  # type: ignore[arg-type]


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")
        ]
        kind = str(error.get("type", "invalid"))
        errors.append(
            {
                "field": ".".join(location) or "body",
                "code": kind,
                "message": _PYDANTIC_MESSAGES.get(kind, "Nilai tidak sah."),
            }
        )
    return _error(422, "Data tidak valid.", errors)


@api.exception_handler(DjangoValidationError)
def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "code": "invalid", "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "body", "code": "invalid", "message": message} for message in exc.messages]
    return _error(422, "Data tidak valid.", errors)


@api.exception_handler(IdempotencyConflict)
def on_idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
    return _error(
        409,
        "Idempotency-Key ini sudah dipakai untuk laporan yang berbeda.",
        [
            {
                "field": "Idempotency-Key",
                "code": "conflict",
                "message": "Gunakan kunci baru untuk laporan baru.",
            }
        ],
    )


@api.exception_handler(PermissionError)
def on_permission_error(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    return _error(403, str(exc) or "Anda tidak berwenang.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(404, "Tidak ditemukan.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(401, "Perlu masuk: sertakan token API (Authorization: Bearer …) atau masuk lewat web.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(exc.status_code, str(exc))
