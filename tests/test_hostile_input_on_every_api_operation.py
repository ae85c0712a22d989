"""Every operation of the API's OpenAPI document, given the characters no field may hold in each of
its string parameters and body properties, and a date outside 1900-2100 in each date parameter:
a 422 naming that field, never a server error (issue
"Hardening from a hostile review", points 2, 5 and 9). Generated from /api/openapi.json, so a new
operation or field is covered the day it is added; Schemathesis (test_api_holds_to_its_openapi_schema.py)
covers the rest of each schema.

The caller is the Kesbangpol analyst (informant handler) with an API token, so that the operations
run past their permission checks; the path's references are ones that exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.regions.models import Region
from waspada.reports import actions
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db

# The characters: a NUL (PostgreSQL can neither store nor compare it) and a lone surrogate (no
# encoder can write it), each written as the JSON escape a client would send.
HOSTILE = {"nul": "Laporan\\u0000palsu", "surrogate": "Laporan\\ud800palsu"}


# Query parameters that are dates whatever the document calls them.
DATE_NAMES = frozenset({"since", "until", "start", "end"})


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]


def _document() -> dict[str, Any]:
    return json.loads(Client().get("/api/openapi.json").content)


def _operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield Operation(method, path, spec)


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _is_text(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(document, schema)
    if schema.get("type") == "string" and schema.get("format") not in ("binary",):
        return True
    return any(_is_text(document, option) for option in schema.get("anyOf", []) + schema.get("allOf", []))


def _body_properties(document: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    content = spec.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    schema = _resolve(document, content["schema"])
    return [name for name, prop in schema.get("properties", {}).items() if _is_text(document, prop)]


def _is_date(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(document, schema)
    if schema.get("format") in ("date", "date-time"):
        return True
    return any(_is_date(document, option) for option in schema.get("anyOf", []) + schema.get("allOf", []))


def _date_parameters(document: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    return [
        parameter["name"]
        for parameter in spec.get("parameters", [])
        if parameter["in"] == "query"
        and (_is_date(document, parameter.get("schema", {})) or parameter["name"] in DATE_NAMES)
    ]


def _query_parameters(document: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    return [
        parameter["name"]
        for parameter in spec.get("parameters", [])
        if parameter["in"] == "query" and _is_text(document, parameter.get("schema", {}))
    ]


@pytest.fixture
def province_caller(province_analyst: Person) -> Client:
    """For the operations the regency's analyst may not call (the province's roll-up)."""
    _row, token = create_token(person=province_analyst, name="hostile", by=None)
    return Client(headers={"authorization": f"Bearer {token}"}, raise_request_exception=False)


@pytest.fixture
def caller(paser: Region, desa_reporter: Person, kesbangpol_analyst: Person) -> tuple[Client, dict[str, str]]:
    kesbangpol_analyst.is_informant_handler = True
    kesbangpol_analyst.save(update_fields=["is_informant_handler"])
    report = submit(desa_reporter).report
    waiting = submit(desa_reporter, title="Spanduk provokatif di pasar").report
    incident = actions.verify_report(report=report, by=kesbangpol_analyst)
    _row, token = create_token(person=kesbangpol_analyst, name="hostile", by=None)
    disposition = Disposition.objects.order_by("pk").first()
    assert disposition is not None
    known = {
        "reference": waiting.reference,
        "code": LONG_IKIS_VILLAGE,
        "disposition_id": str(disposition.pk),
        "incident_reference": incident.reference,
        "target": "reports",
    }
    return Client(headers={"authorization": f"Bearer {token}"}, raise_request_exception=False), known


def _path(operation: Operation, known: dict[str, str]) -> str:
    path = operation.path
    for parameter in operation.spec.get("parameters", []):
        if parameter["in"] == "path":
            name = parameter["name"]
            value = known.get(name, "1")
            if name == "reference" and "/incidents/" in path:
                value = known["incident_reference"]
            path = path.replace("{" + name + "}", value)
    return path


def test_every_string_of_every_operation_refuses_a_nul_and_a_lone_surrogate(
    caller: tuple[Client, dict[str, str]], province_caller: Client
) -> None:
    client, known = caller
    document = _document()
    operations = list(_operations(document))
    asked = 0
    failures: list[str] = []
    for operation in operations:
        path = _path(operation, known)
        for field in _query_parameters(document, operation.spec):
            asked += 1
            # A query string carries a NUL as %00; a lone surrogate cannot be percent-encoded in UTF-8.
            response = getattr(client, operation.method)(f"{path}?{field}=a%00b")
            fields = {error.get("field") for error in _errors(response)}
            if response.status_code != 422 or field not in fields:
                failures.append(f"{operation.method.upper()} {path} ?{field} nul: {response.status_code}")
        for field in _date_parameters(document, operation.spec):
            for day in ("0001-01-01", "9999-12-31"):
                asked += 1
                response = getattr(client, operation.method)(f"{path}?{field}={day}")
                if response.status_code == 403:
                    response = getattr(province_caller, operation.method)(f"{path}?{field}={day}")
                fields = {error.get("field") for error in _errors(response)}
                if response.status_code != 422 or field not in fields:
                    where = f"{operation.method.upper()} {path} ?{field}={day}"
                    failures.append(f"{where}: {response.status_code}")
        for field in _body_properties(document, operation.spec):
            for label, text in HOSTILE.items():
                asked += 1
                body = f'{{"{field}": "{text}"}}'  # the escape as sent, not as Python would write it
                response = getattr(client, operation.method)(path, body, content_type="application/json")
                fields = {error.get("field") for error in _errors(response)}
                if response.status_code != 422 or field not in fields:
                    failures.append(
                        f"{operation.method.upper()} {path} {field} {label}: {response.status_code} {fields}"
                    )
    print(f"{len(operations)} operations, {asked} hostile values")
    assert len(operations) > 30 and asked > 60
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def _errors(response: Any) -> list[dict[str, str]]:
    if not response.get("Content-Type", "").startswith("application/json"):
        return []
    body = json.loads(response.content)
    return body.get("errors", []) if isinstance(body, dict) else []
