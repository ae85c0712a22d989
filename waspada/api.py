"""The REST API under /api/v1/; its OpenAPI document is served at /api/openapi.json.

Errors have one shape everywhere: ``{"detail": "...", "errors": [{"field", "code", "message"}]}``
with Indonesian messages, and a 4xx status. A 5xx is a bug.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from waspada.detection.api import router as signals_router
from waspada.exchange.api import alerts_router, exports_router
from waspada.lib.api_errors import too_large_body
from waspada.lib.api_schema import NO_NUL_PATTERN, forbidden_character
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

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as exc:  # ninja's English "CSRF check Failed"
            if exc.status_code != 403:
                raise
            raise CsrfRefused from exc


class CsrfRefused(Exception):
    """A write through the web session without the page's CSRF token."""


def _bad_text(value: str) -> str | None:
    """What no API text may hold: a NUL, or a lone surrogate; None if ``value`` is clean."""
    if "\x00" in value:
        return "null_character"
    if forbidden_character(value):
        return "lone_surrogate"
    return None


def _bad_locations(
    value: Any, location: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        kind = _bad_text(value)
        if kind:
            yield location, kind
    elif isinstance(value, dict):
        for key, item in value.items():
            kind = _bad_text(key) if isinstance(key, str) else None
            if kind:  # the field's name itself: named without the character, as an escape
                yield (*location, key.encode("unicode_escape").decode("ascii")), kind
            else:
                yield from _bad_locations(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_locations(item, (*location, index))


def _refuse_nul(data: Any, location: tuple[str | int, ...] = ()) -> Any:
    errors = [{"loc": loc, "type": kind} for loc, kind in _bad_locations(data, location)]
    if errors:
        raise NinjaValidationError(errors)
    return data


class NoNulParser(Parser):
    """Refuses the NUL character and lone surrogates in a JSON body, a query string or a form (as
    Django's forms refuse NUL), and a JSON body that is not an object.

    PostgreSQL cannot store NUL in text nor compare text with it, and a lone surrogate (``"\\ud800"``
    in JSON) cannot be encoded in UTF-8; no real value contains either. Every body of this API is
    an object of named fields: a list or a number is refused before a schema with only optional
    fields could read it as an empty object.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NinjaValidationError([{"loc": (), "type": "dict_type"}])
        return _refuse_nul(data)

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_querydict(data, list_fields, request))


def _json_schema_strings(node: Any, seen: set[int]) -> Iterator[dict[str, Any]]:
    """Every schema of a string (no format, no choices) below ``node``, once each."""
    if isinstance(node, list):
        for item in node:
            yield from _json_schema_strings(item, seen)
    elif isinstance(node, dict) and id(node) not in seen:
        seen.add(id(node))
        if node.get("type") == "string" and not {"format", "enum", "const"} & node.keys():
            yield node
        for value in node.values():
            yield from _json_schema_strings(value, seen)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}}},
    }


def _not_allowed_as_json(view: Any) -> Any:
    """ninja answers a method a path does not have with a bare text 405; say it in the API's shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = ", ".join(sorted(response["Allow"].split(", ")))
            answer = _error(
                405,
                f"Metode {request.method} tidak berlaku untuk alamat ini; gunakan {allowed}.",
                [{"field": "method", "code": "method_not_allowed", "message": f"Gunakan {allowed}."}],
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapper


class WaspadaApi(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> NinjaValidationError:
        """As ninja's, which drops what was sent; a choice refused keeps it (40 characters at most), so
        the message can say which: "Pilihan tidak dikenal: gawat."."""
        error = super().validation_error_from_error_contexts(error_contexts)
        sent = [
            (item.get("type"), item.get("input"))
            for context in error_contexts
            for item in context.pydantic_validation_error.errors(include_url=False)
        ]
        for item, (kind, given) in zip(error.errors, sent, strict=False):
            if kind == item.get("type") and kind in ("enum", "literal_error") and isinstance(given, str):
                item["input"] = given[:40]
        return error

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _not_allowed_as_json(url.callback)
        return urls

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Every operation that needs a login also declares its 401 (no or a wrong token), every one
        that takes a body its 413 (over the size limit), and every text the API reads states the
        characters the parser refuses (NUL, lone surrogates) as a pattern."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        unauthenticated = _error_response("Unauthorized")
        too_large = _error_response(
            f"Content Too Large: badan permintaan lebih dari {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bita "
            "(berkas unggahan: lihat batas lampiran)"
        )
        read: list[Any] = []
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["responses"].setdefault(401, unauthenticated)
                if "requestBody" in operation:
                    operation["responses"].setdefault(413, too_large)
                    read.append(operation["requestBody"])
                read.append(operation.get("parameters", []))
        components = schema.get("components", {}).get("schemas", {})
        # Request bodies name their components by $ref: the inputs are the components whose names
        # the request bodies and their fields refer to.
        pending = [read]
        seen_refs: set[str] = set()
        while pending:
            node = pending.pop()
            for ref in _refs(node):
                name = ref.rpartition("/")[2]
                if name not in seen_refs and name in components:
                    seen_refs.add(name)
                    read.append(components[name])
                    pending.append(components[name])
        for string in _json_schema_strings(read, set()):
            string.setdefault("pattern", NO_NUL_PATTERN)
        return schema


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _refs(item)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)


api = WaspadaApi(
    title="Waspada API",
    version="1",
    description=(
        "API sistem kewaspadaan dini lintas forum. Autentikasi: `Authorization: Bearer <token>` "
        "(buat token di halaman profil) atau sesi web. / Cross-forum early-warning API.\n\n"
        "Kontrak: setiap badan permintaan adalah objek JSON dengan isian yang dinyatakan saja; setiap "
        "teks adalah Unicode sah (I-JSON, RFC 7493): tanpa karakter NUL (pola `^[^\\u0000]*$`) dan "
        "tanpa surrogate tunggal (`\\ud800`); pilihan, panjang dan batas dinyatakan di skema. Setiap "
        "galat adalah JSON `{detail, errors: [{field, code, message}]}` dalam bahasa Indonesia, "
        "termasuk 404 alamat tak dikenal, 405 metode, 413 badan terlalu besar dan 403 CSRF. / Every "
        "body is a JSON object of the declared fields; every text is valid Unicode without NUL or "
        "lone surrogates; every error is JSON in one shape."
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
api.add_router("/v1/signals", signals_router)

# A member of a union in an error's location, as pydantic names it: str-enum[Isu], literal[''].
_UNION_MEMBER = re.compile(r"^[\w-]+\[.*\]$")

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
    "date_type": "Harus tanggal (TTTT-BB-HH).",
    "date_parsing": "Harus tanggal (TTTT-BB-HH), mis. 2026-11-28.",
    "date_from_datetime_parsing": "Harus tanggal (TTTT-BB-HH).",
    "date_from_datetime_inexact": "Harus tanggal (TTTT-BB-HH).",
    "list_type": "Harus berupa daftar.",
    "json_invalid": "JSON tidak sah.",
    "model_attributes_type": "Harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "too_long": "Terlalu banyak: paling banyak {max_length}.",
    "too_short": "Terlalu sedikit: paling sedikit {min_length}.",
    "string_too_long": "Terlalu panjang: paling banyak {max_length} karakter.",
    "string_too_short": "Terlalu pendek.",
    "enum": "Pilihan tidak dikenal: {input}. Pilih salah satu dari: {expected}.",
    "literal_error": "Pilihan tidak dikenal: {input}. Pilih salah satu dari: {expected}.",
    "extra_forbidden": "Isian ini tidak dikenal.",
    "model_type": "Harus berupa objek JSON.",
    "finite_number": "Harus bilangan terhingga.",
    "greater_than_equal": "Terlalu kecil: paling kecil {ge}.",
    "less_than_equal": "Terlalu besar: paling besar {le}.",
    "null_character": "Mengandung karakter yang tidak sah.",
    "lone_surrogate": "Mengandung karakter yang tidak sah (surrogate tunggal, bukan Unicode sah).",
}


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(None, {"detail": detail, "errors": errors or []}, status=status)  # type: ignore[arg-type]


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """One error per field, named as the client wrote it: a union's members (``str-enum[Isu]``,
    ``literal['']``) are no part of the name, and the first member's error (the choices) speaks."""
    errors = []
    named: set[str] = set()
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload", "query", "path")
            and not (isinstance(part, str) and _UNION_MEMBER.match(part))
        ]
        field = ".".join(location) or "body"
        if field in named:
            continue
        named.add(field)
        kind = str(error.get("type", "invalid"))
        message = _PYDANTIC_MESSAGES.get(kind, "Nilai tidak sah.")
        context = {k: str(v).replace("' or '", "' atau '") for k, v in (error.get("ctx") or {}).items()}
        given = error.get("input")
        context["input"] = given[:40] if isinstance(given, str) else str(given)[:40]
        try:
            message = message.format(**context)
        except (KeyError, IndexError):  # a context without the number: the sentence without it
            message = message.partition(":")[0] + "."
        errors.append({"field": field, "code": kind, "message": message})
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


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    body = too_large_body()
    return _error(413, body["detail"], body["errors"])


@api.exception_handler(CsrfRefused)
def on_csrf_refused(request: HttpRequest, exc: CsrfRefused) -> HttpResponse:
    return _error(
        403,
        "Pemeriksaan CSRF gagal: kirim lewat halaman Waspada (token CSRF) atau pakai token API.",
        [
            {
                "field": "X-CSRFToken",
                "code": "csrf",
                "message": "Sertakan token CSRF halaman, atau Authorization: Bearer <token>.",
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
