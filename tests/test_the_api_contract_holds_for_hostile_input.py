"""The REST API keeps its contract with hostile input (issue 22, "Hardening from a hostile review"):
every error is JSON in the one shape, in Indonesian, never a 500 nor Django's HTML; and the OpenAPI
document states the choices the code checks, so that the two cannot drift apart.

The generated requests of tests/test_api_holds_to_its_openapi_schema.py cover the schema; these are
the requests a generator does not draw: a body of 10 MB, a lone surrogate, a list for a body, an
address or a method the API does not have, a session without its CSRF token.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory

from waspada.api import api
from waspada.core.errors import bad_request
from waspada.detection.models import SignalStatus
from waspada.lib.taxonomy import (
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
)
from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.reports.actions import TEXT_LIMITS
from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.response.models import DispositionKind, DispositionStatus, Outcome

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    _row, raw = create_token(person=person, name="kontrak", by=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _report_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Warga menghadang truk",
        "what": "Jalan hauling ditutup.",
        "athg": "gangguan",
        "isu": "agraria_korporasi",
        "alert_level": "waspada",
        "region_code": LONG_IKIS_VILLAGE,
        "occurred_at": "2026-11-28T09:30:00+08:00",
    }
    body.update(overrides)
    return body


def _is_our_error(response: Any, status: int) -> dict[str, Any]:
    """The one error shape, as JSON, with the status."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "errors"}
    assert all(set(error) == {"field", "code", "message"} for error in body["errors"])
    return body


def test_a_lone_surrogate_in_a_body_text_is_refused_naming_the_field(desa_reporter: Person) -> None:
    """Was a 500: the idempotency fingerprint encodes the report to UTF-8, which has no lone surrogate."""
    raw = json.dumps(_report_body(title="Warga \ud800 menghadang"))  # written as the escape \ud800
    assert "\\ud800" in raw
    response = _client(desa_reporter).post(
        "/api/v1/reports/", data=raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    body = _is_our_error(response, 422)
    assert body["errors"] == [
        {
            "field": "title",
            "code": "lone_surrogate",
            "message": "Mengandung karakter yang tidak sah (surrogate tunggal, bukan Unicode sah).",
        }
    ]
    assert not Report.objects.filter(title__startswith="Warga").exists()


def test_a_lone_surrogate_in_a_field_name_is_refused(desa_reporter: Person) -> None:
    raw = json.dumps({**_report_body(), "\ud800": "x"})
    response = _client(desa_reporter).post("/api/v1/reports/", data=raw, content_type="application/json")
    assert _is_our_error(response, 422)["errors"][0]["field"] == "\\ud800"


def test_a_lone_surrogate_in_a_query_string_or_a_path_is_never_a_server_error(desa_reporter: Person) -> None:
    """A client can only send it as the bytes ED A0 80, which are no UTF-8: Django reads them as U+FFFD
    in a query (no status by that name: 422) and keeps them percent-encoded in a path (no such
    report or region: 404)."""
    client = _client(desa_reporter)
    in_query = client.get("/api/v1/reports/?status=%ED%A0%80")
    assert _is_our_error(in_query, 422)["errors"][0]["field"] == "status"
    for path in ("/api/v1/reports/%ED%A0%80", "/api/v1/regions/%ED%A0%80", "/api/v1/incidents/%ED%A0%80"):
        _is_our_error(client.get(path), 404)


def test_a_query_parameter_given_twice_is_refused_naming_it(kesbangpol_analyst: Person) -> None:
    """Schemathesis sent ``?region=&region=X`` (an array where the schema says one value) and got
    200: one value had been chosen silently. No operation takes a list in its query."""
    client = _client(kesbangpol_analyst)
    twice = client.get("/api/v1/situation/penetapan-status?region=64.01&region=64.01.06")
    body = _is_our_error(twice, 422)
    assert body["errors"] == [
        {"field": "region", "code": "repeated", "message": "Parameter “region” hanya boleh diberikan sekali."}
    ]
    assert client.get("/api/v1/situation/penetapan-status?region=64.01").status_code == 200


def test_a_body_of_ten_megabytes_is_a_413_in_indonesian(desa_reporter: Person) -> None:
    """Was Django's HTML 400 (RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    huge = json.dumps(_report_body(what="a" * (10 * 1024 * 1024)))
    response = _client(desa_reporter).post("/api/v1/reports/", data=huge, content_type="application/json")
    body = _is_our_error(response, 413)
    assert body["detail"] == "Permintaan terlalu besar."
    assert (
        body["errors"][0]["message"] == "Badan permintaan paling besar 2,5 MB; kirim foto sebagai lampiran."
    )


def test_a_body_refused_before_the_api_is_a_413_json_under_api_and_django_400_on_pages() -> None:
    """When Django refuses the body before any view (a middleware read it), its 400 handler answers."""
    too_big = RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    api_answer = bad_request(RequestFactory().post("/api/v1/reports/"), too_big)
    assert api_answer.status_code == 413
    assert json.loads(api_answer.content)["detail"] == "Permintaan terlalu besar."
    page_answer = bad_request(RequestFactory().post("/laporan/baru/"), too_big)
    assert page_answer.status_code == 400
    assert page_answer["Content-Type"].startswith("text/html")


def test_a_413_is_declared_wherever_a_body_is_accepted() -> None:
    document = api.get_openapi_schema()
    for operations in document["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                assert 413 in operation["responses"], operation["operationId"]


def test_a_list_for_the_verify_body_is_refused(desa_reporter: Person, kesbangpol_analyst: Person) -> None:
    """Was a 200 that verified the report: ninja read ``[null, null]`` as an object whose fields,
    all optional, were missing."""
    report = submit(desa_reporter).report
    response = _client(kesbangpol_analyst).post(
        f"/api/v1/reports/{report.reference}/verify", data="[null, null]", content_type="application/json"
    )
    assert _is_our_error(response, 422)["errors"] == [
        {"field": "body", "code": "dict_type", "message": "Harus berupa objek JSON."}
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.BARU


def test_a_field_the_schema_does_not_declare_is_refused(desa_reporter: Person) -> None:
    response = _client(desa_reporter).post(
        "/api/v1/reports/", data=_report_body(judul="salah nama"), content_type="application/json"
    )
    assert _is_our_error(response, 422)["errors"] == [
        {"field": "judul", "code": "extra_forbidden", "message": "Isian ini tidak dikenal."}
    ]


def test_a_choice_outside_the_taxonomy_is_refused_listing_the_choices(desa_reporter: Person) -> None:
    response = _client(desa_reporter).post(
        "/api/v1/reports/", data=_report_body(alert_level="darurat"), content_type="application/json"
    )
    assert _is_our_error(response, 422)["errors"] == [
        {
            "field": "alert_level",
            "code": "enum",
            "message": (
                "Pilihan tidak dikenal: darurat. "
                "Pilih salah satu dari: 'normal', 'waspada', 'siaga' atau 'awas'."
            ),
        }
    ]


def test_an_unknown_api_address_is_a_json_404(desa_reporter: Person) -> None:
    client = _client(desa_reporter)
    for path in ("/api/tidak-ada", "/api/v1/tidak-ada/", "/api/v1/reports/X/tidak-ada"):
        assert _is_our_error(client.get(path), 404)["detail"] == "Tidak ditemukan."


def test_a_method_an_api_address_does_not_have_is_a_json_405(desa_reporter: Person) -> None:
    """Was ninja's bare text "Method not allowed"."""
    response = _client(desa_reporter).delete("/api/v1/reports/")
    body = _is_our_error(response, 405)
    assert body["detail"] == "Metode DELETE tidak berlaku untuk alamat ini; gunakan GET, POST."
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]


def test_a_session_write_without_its_csrf_token_is_a_json_403_in_indonesian(desa_reporter: Person) -> None:
    """Was ninja's English "CSRF check Failed"."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(desa_reporter)
    response = client.post(
        "/api/v1/triage/suggest", data={"text": "Warga bentrok"}, content_type="application/json"
    )
    body = _is_our_error(response, 403)
    assert body["detail"].startswith("Pemeriksaan CSRF gagal")
    assert body["errors"][0]["field"] == "X-CSRFToken"


def _choices(schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """The enum a property states, through $ref, anyOf (an empty or null choice aside), allOf and items."""
    if "$ref" in schema:
        return _choices(document["components"]["schemas"][schema["$ref"].rpartition("/")[2]], document)
    if "items" in schema:
        return _choices(schema["items"], document)
    for combined in ("anyOf", "allOf"):
        if combined not in schema:
            continue
        found = [_choices(branch, document) for branch in schema[combined]]
        return next(values for values in found if values)
    return list(schema.get("enum", []))


REPORT_CHOICES: dict[str, list[str]] = {
    "jenis": Jenis.values,
    "athg": Athg.values,
    "isu": Isu.values,
    "alert_level": AlertLevel.values,
    "source_reliability": SourceReliability.values,
    "info_credibility": InfoCredibility.values,
    "classification": Classification.values,
    "gatra": Gatra.values,
}


STATED_ELSEWHERE = [
    ("VerifyIn", "isu", Isu.values),
    ("VerifyIn", "athg", Athg.values),
    ("VerifyIn", "alert_level", AlertLevel.values),
    ("LevelIn", "alert_level", AlertLevel.values),
    ("FinalIn", "isu", Isu.values),
    ("FinalIn", "athg", Athg.values),
    ("FinalIn", "level", AlertLevel.values),
    ("OverrideIn", "status", AlertLevel.values),
]


def test_every_choice_the_openapi_states_for_a_report_field_is_the_taxonomys() -> None:
    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    for name, values in REPORT_CHOICES.items():
        assert _choices(schemas["ReportIn"]["properties"][name], document) == values, name
    for component, name, values in STATED_ELSEWHERE:
        assert _choices(schemas[component]["properties"][name], document) == values, f"{component}.{name}"
    # Every enum in the document is a whole choice set of the code, never a list copied by hand.
    known = [
        *REPORT_CHOICES.values(),
        ReportStatus.values,
        DispositionStatus.values,
        DispositionKind.values,
        Outcome.values,
        SignalStatus.values,
    ]
    for title, schema in schemas.items():
        if "enum" in schema:
            assert schema["enum"] in known, title


def test_the_openapi_states_the_report_text_limits_the_action_enforces() -> None:
    document = api.get_openapi_schema()
    properties = document["components"]["schemas"]["ReportIn"]["properties"]
    for name, limit in TEXT_LIMITS.items():
        assert properties[name]["maxLength"] == limit, name
        assert properties[name]["pattern"] in ("^[^\\u0000]*$",) or properties[name]["minLength"] == 1
    assert properties["title"]["minLength"] == properties["what"]["minLength"] == 1
