"""The REST API under /api/v1/; its OpenAPI document is served at /api/openapi.json.

Errors have one shape everywhere: ``{"detail": "...", "errors": [{"field", "code", "message"}]}``
with Indonesian messages, and a 4xx status. A 5xx is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from waspada.exchange.api import alerts_router, exports_router
from waspada.regions.api import router as regions_router
from waspada.reports.actions import IdempotencyConflict
from waspada.reports.api import ErrorOut, incidents_router
from waspada.reports.api import router as reports_router
from waspada.response.api import router as dispositions_router
from waspada.situation.api import router as situation_router
from waspada.triage.api import router as triage_router


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


def _nul_locations(value: Any, location: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_locations(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*location, index))


def _refuse_nul(data: Any, location: tuple[str | int, ...] = ()) -> Any:
    errors = [{"loc": loc, "type": "null_character"} for loc in _nul_locations(data, location)]
    if errors:
        raise NinjaValidationError(errors)
    return data


class NoNulParser(Parser):
    """Refuses the NUL character in a JSON body, a query string or a form, as Django's forms do.

    PostgreSQL cannot store it in text nor compare text with it; no real value contains it.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_body(request))

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_querydict(data, list_fields, request))


class WaspadaApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation that needs a login also declares its 401 (no or a wrong token)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        unauthenticated = {
            "description": "Unauthorized",
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}}
            },
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["responses"].setdefault(401, unauthenticated)
        return schema


api = WaspadaApi(
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
    parser=NoNulParser(),
)
api.add_router("/v1/regions", regions_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/incidents", incidents_router)
api.add_router("/v1/dispositions", dispositions_router)
api.add_router("/v1/triage", triage_router)
api.add_router("/v1/exports", exports_router)
api.add_router("/v1/alerts", alerts_router)
api.add_router("/v1/situation", situation_router)

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
    "greater_than_equal": "Terlalu kecil.",
    "less_than_equal": "Terlalu besar.",
    "null_character": "Mengandung karakter yang tidak sah.",
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
    if exc.status_code == 400 and isinstance(exc.__cause__, NinjaValidationError):
        return on_schema_error(request, exc.__cause__)  # ninja wraps the body parser's errors
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's English 400 for a body that is not JSON (raised from the JSON decoder's error)
        return _error(
            422,
            "Data tidak valid.",
            [{"field": "body", "code": "json_invalid", "message": "JSON tidak sah."}],
        )
    return _error(exc.status_code, str(exc))
