"""The API holds to its own OpenAPI document: Schemathesis finds no server error, no response
that breaks the schema, no schema-valid request refused and no schema-invalid one accepted (done-when
of the "Reports" issue and of issue 22, "Hardening from a hostile review").

Schemathesis reads /api/openapi.json from the Django WSGI application in-process (no server) and
sends every operation generated requests, valid and invalid, with a real API token: once as the
village reporter and once as the Kesbangpol analyst, so the triage endpoints run past their
permission check. Paser's regions, the personas' forums and four reports (two verified into one
incident, one with an informant in another, one new) are in the database.

The document states the choices (enums of the taxonomy), the lengths, the characters refused
(NUL, lone surrogates), the bounds and the closed bodies, so the generator draws from the schema's
own constraints. What no schema can state is data: a reference exists or not. About half of the
generated references (in the path and in the body), and most of a report's places, are swapped
for ones that exist; the swap is a function of the generated value, so a run is as reproducible as
Hypothesis' own ``derandomize``.

Each response passes six checks: not a 5xx, a status code the operation declares, the declared
content type, a body that matches the declared schema for that status, a schema-valid request
answered with a success or 401/403/404/409 (``positive_data_acceptance``) and a schema-invalid one
refused with a 4xx (``negative_data_rejection``). A schema-valid request may still be refused with a
422 by the operations of ``REFUSED_FOR_DATA``, each for the reason written there. The requests that
found a bug once are replayed at the end, so that the fix stays whatever the generator draws.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from waspada.forums.models import Forum
from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.regions.models import Region
from waspada.reports import actions
from waspada.reports.models import Incident, Report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, TANAH_GROGOT, submit
from waspada.response.models import Disposition
from waspada.wsgi import application

# A schema-valid request these operations refuse with a 422, and why: the reason lies in the data,
# the state or the clock, which a schema cannot state.
_DISPOSITION_STATE = "the disposition's state decides which step is open (docs/response.md)"
REFUSED_FOR_DATA: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/reports/"): (
        "region_code names a place resolved against the region data; reporter_forum_code must be one of "
        "the reporter's forums; a time may not lie in the future; latitude needs its longitude"
    ),
    ("POST", "/api/v1/reports/{reference}/attachments"): "the file's bytes must be a JPEG, PNG, WebP or PDF",
    ("POST", "/api/v1/reports/{reference}/verify"): (
        "a report is verified once; a corrected region must exist inside the analyst's TKD"
    ),
    ("POST", "/api/v1/reports/{reference}/reject"): "only a report not yet decided can be rejected",
    ("POST", "/api/v1/reports/{reference}/share"): "forum_code must name an active forum",
    ("POST", "/api/v1/incidents/{reference}/merge"): "an incident merges neither into itself nor twice",
    ("POST", "/api/v1/incidents/{reference}/split"): "the reports split off must belong to the incident",
    ("POST", "/api/v1/incidents/{reference}/level"): "a merged incident's level is its target's",
    ("POST", "/api/v1/dispositions/"): "a forum receives one disposition per report",
    ("POST", "/api/v1/dispositions/{disposition_id}/terima"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/tindakan"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/jeda"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/lanjut"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/selesai"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/buka"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/kembalikan"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/alihkan"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/tarik"): _DISPOSITION_STATE,
    ("POST", "/api/v1/dispositions/{disposition_id}/tugaskan"): "username must name a member of the forum",
    ("POST", "/api/v1/situation/penetapan-status"): "expires_at lies at most 90 days ahead of the clock",
    ("POST", "/api/v1/triage/corrections"): "final names at least one value, a rule across its fields",
    ("GET", "/api/v1/exports/{target}"): "region and forum must exist; until may not precede since",
    ("GET", "/api/v1/signals/"): "region must name a region that exists",
    ("POST", "/api/v1/signals/{signal_id}/review"): "a signal is reviewed once; dismissing it needs a reason",
    (
        "GET",
        "/api/v1/reports/",
    ): "since/until must be a real day or moment in 1900-2100; until not before since",
    (
        "GET",
        "/api/v1/incidents/",
    ): "since/until must be a real day or moment in 1900-2100; until not before since",
}
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-name": f"{method} {path}",
                "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}},
            }
            for method, path in REFUSED_FOR_DATA
        ],
        "checks": {"positive_data_acceptance": {"expected-statuses": _ACCEPTED}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]

# Bounded so that the whole module stays within about three minutes on two slow cores; the
# coverage phase (boundary values, each choice, each field made invalid in turn) adds its own cases,
# more of them since the document states its choices and limits: 20 drawn examples (were 30) keep
# the module's time near what it was.
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    # The database is set up once per operation: its requests see each other's writes, as clients do.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@dataclass
class World:
    """What exists in the database for one run, and the token the requests carry."""

    token: str
    reports: list[str]
    incidents: list[str]
    forums: list[str]
    regions: list[str]
    places: list[str]
    own_forums: list[str]
    dispositions: list[int]
    signals: list[int]

    @staticmethod
    def pick(name: str, value: Any, known: list[str], odds: int = 2) -> Any:
        """Replace a generated string by a known one (odds - 1) times in odds, decided by the value."""
        if not known or not isinstance(value, str):
            return value
        digest = zlib.crc32(f"{name}={value}".encode("utf-8", "surrogatepass"))
        return known[(digest // odds) % len(known)] if digest % odds else value

    def ground(self, case: schemathesis.Case) -> None:
        """Point some of the generated references at regions, reports, incidents and forums that exist.

        Only in a schema-valid request: a schema-invalid one keeps what was drawn, lest the swap
        replace the very value that made it invalid."""
        if case.meta is not None and not case.meta.generation.mode.is_positive:
            return
        path = case.path_parameters or {}
        if "reference" in path:
            known = self.incidents if "/incidents/" in case.operation.path else self.reports
            path["reference"] = self.pick("reference", path["reference"], known)
        if "code" in path:
            path["code"] = self.pick("code", path["code"], self.regions)
        if "signal_id" in path and self.signals:
            digest = zlib.crc32(repr(path["signal_id"]).encode("utf-8", "surrogatepass"))
            if digest % 2:
                path["signal_id"] = self.signals[(digest // 2) % len(self.signals)]
        if "disposition_id" in path and self.dispositions:
            digest = zlib.crc32(repr(path["disposition_id"]).encode("utf-8", "surrogatepass"))
            if digest % 2:
                path["disposition_id"] = self.dispositions[(digest // 2) % len(self.dispositions)]
        body = case.body
        if not isinstance(body, dict):
            return
        for name, known in (
            ("incident_reference", self.incidents),
            ("report_reference", self.reports),
            ("forum_code", self.forums),
            ("reporter_forum_code", self.own_forums),
        ):
            if name in body:
                body[name] = self.pick(name, body[name], known)
        if "region_code" in body:  # a report is accepted only in a place that exists: mostly one
            body["region_code"] = self.pick("region_code", body["region_code"], self.places, odds=8)
        for name, known in (("sources", self.incidents), ("reports", self.reports)):
            if isinstance(body.get(name), list):
                body[name] = [self.pick(name, item, known) for item in body[name]]


def _world(person: Person, paser: Region, desa_reporter: Person, analyst: Person) -> World:
    """Four reports: two in one incident, one with an informant in another, one still new; the
    verified ones routed to forums."""
    first = submit(desa_reporter).report
    second = submit(desa_reporter, title="Dua kelompok pemuda bentrok", alert_level="siaga").report
    third = submit(desa_reporter, informant_name="Pak Rahman", informant_contact="0812-0000-0000").report
    submit(desa_reporter, region_code=TANAH_GROGOT, title="Spanduk provokatif di pasar")
    incident = actions.verify_report(report=first, by=analyst)
    actions.verify_report(report=second, by=analyst, incident=incident)
    actions.verify_report(report=third, by=analyst)
    _row, raw = create_token(person=person, name="schemathesis", by=None)
    return World(
        token=raw,
        reports=list(Report.objects.order_by("pk").values_list("reference", flat=True)),
        incidents=list(Incident.objects.order_by("pk").values_list("reference", flat=True)),
        forums=list(Forum.objects.order_by("code").values_list("code", flat=True)),
        regions=[LONG_IKIS_VILLAGE, TANAH_GROGOT, paser.code, paser.code.replace(".", "")],
        places=[LONG_IKIS_VILLAGE, TANAH_GROGOT],
        own_forums=list(person.memberships.values_list("forum__code", flat=True)),
        # Verification routed the reports: dispositions to the Timdu PKS and copies to the TKD.
        dispositions=list(Disposition.objects.order_by("pk").values_list("pk", flat=True)),
        signals=_signals(),
    )


def _signals() -> list[int]:
    """An event in Long Ikis with a detection of Paser joined to it, and one in Tanah Grogot."""
    from datetime import timedelta

    from django.utils import timezone

    from waspada.detection.models import Signal

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    common = {"period_start": monday, "period_end": monday + timedelta(days=6), "observed": 6, "expected": 2}
    event = Signal.objects.create(
        region_id="64.01.06", isu="narkoba", detector="farrington", threshold=5, explanation="Uji.", **common
    )
    Signal.objects.create(
        region_id="64.01",
        isu="narkoba",
        detector="surge",
        threshold=4,
        explanation="Uji.",
        event=event,
        **common,
    )
    other = Signal.objects.create(
        region_id="64.01.04",
        isu="sara_antaretnis",
        detector="ears_c1",
        threshold=5,
        explanation="Uji.",
        **common,
    )
    return [event.pk, other.pk]


def _exercise(case: schemathesis.Case, world: World) -> None:
    world.ground(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)


@pytest.fixture
def as_desa_reporter(paser: Region, desa_reporter: Person, kesbangpol_analyst: Person) -> World:
    return _world(desa_reporter, paser, desa_reporter, kesbangpol_analyst)


@pytest.fixture
def as_kesbangpol_analyst(paser: Region, desa_reporter: Person, kesbangpol_analyst: Person) -> World:
    kesbangpol_analyst.is_informant_handler = True
    kesbangpol_analyst.save(update_fields=["is_informant_handler"])
    return _world(kesbangpol_analyst, paser, desa_reporter, kesbangpol_analyst)


# Each operation's requests run in real transactions, as in production (no ATOMIC_REQUESTS), so a
# database error in one request cannot poison the next one's.
pytestmark = pytest.mark.django_db(transaction=True)


@schema.parametrize()
@FUZZ
def test_as_the_village_reporter(case: schemathesis.Case, as_desa_reporter: World) -> None:
    _exercise(case, as_desa_reporter)


@schema.parametrize()
@FUZZ
def test_as_the_kesbangpol_analyst(case: schemathesis.Case, as_kesbangpol_analyst: World) -> None:
    _exercise(case, as_kesbangpol_analyst)


def _replay(world: World, method: str, path: str, **request: Any) -> schemathesis.Response:
    case = schema[path][method].Case(**request)
    return case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)


def _fields(response: schemathesis.Response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def test_filtering_reports_by_region_includes_the_regions_below(as_desa_reporter: World) -> None:
    """Was a 500: ``region_id__startswith`` is no lookup on a foreign key."""
    paser = _replay(as_desa_reporter, "GET", "/api/v1/reports/", query={"region": "64.01"})
    village = _replay(as_desa_reporter, "GET", "/api/v1/reports/", query={"region": LONG_IKIS_VILLAGE})
    assert paser.status_code == village.status_code == 200
    assert paser.json()["count"] == 4
    assert {item["region_code"] for item in village.json()["items"]} == {LONG_IKIS_VILLAGE}


def test_a_page_number_past_any_database_integer_is_refused(as_desa_reporter: World) -> None:
    """Was a 500: the page's offset overflowed the database's 64-bit integer."""
    response = _replay(as_desa_reporter, "GET", "/api/v1/incidents/", query={"page": 10**25})
    assert response.status_code == 422
    assert _fields(response) == {"page"}


@pytest.mark.parametrize("occurred_at", ["2026-11-04T00:57:10+19:47", "0001-01-01T00:00:00+14:00"])
def test_a_time_outside_any_real_time_zone_or_century_is_refused(
    as_desa_reporter: World, occurred_at: str
) -> None:
    """Were 500s: PostgreSQL refuses a UTC offset past 15:59, and year 1 at +14:00 is before year 1 in
    UTC for both databases."""
    body = {
        "title": "Warga menghadang truk",
        "what": "Jalan hauling ditutup.",
        "athg": "gangguan",
        "isu": "agraria_korporasi",
        "alert_level": "waspada",
        "region_code": LONG_IKIS_VILLAGE,
        "occurred_at": occurred_at,
    }
    response = _replay(as_desa_reporter, "POST", "/api/v1/reports/", body=body)
    assert response.status_code == 422
    assert _fields(response) == {"occurred_at"}


def test_a_nul_character_is_refused_wherever_it_comes(as_desa_reporter: World) -> None:
    """Were 500s on PostgreSQL, which can neither store nor compare text with a NUL."""
    reference = as_desa_reporter.reports[0]
    in_body = _replay(
        as_desa_reporter,
        "POST",
        "/api/v1/reports/{reference}/reject",
        path_parameters={"reference": reference},
        body={"reason": "palsu\x00"},
    )
    in_query = _replay(as_desa_reporter, "GET", "/api/v1/reports/", query={"status": "baru\x00"})
    in_path = _replay(
        as_desa_reporter, "GET", "/api/v1/reports/{reference}", path_parameters={"reference": "\x00"}
    )
    region = _replay(as_desa_reporter, "GET", "/api/v1/regions/{code}", path_parameters={"code": "64\x00"})
    assert (in_body.status_code, in_query.status_code) == (422, 422)
    assert (_fields(in_body), _fields(in_query)) == ({"reason"}, {"status"})
    assert in_path.status_code == region.status_code == 404


def test_a_body_that_is_not_json_is_a_422_in_indonesian(as_desa_reporter: World) -> None:
    """Was ninja's undeclared 400 with an English message."""
    response = _replay(
        as_desa_reporter,
        "POST",
        "/api/v1/reports/{reference}/reject",
        path_parameters={"reference": as_desa_reporter.reports[0]},
        body=b"\x00",
        media_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "code": "json_invalid", "message": "JSON tidak sah."}
    ]


def test_a_missing_token_is_a_declared_401(as_desa_reporter: World) -> None:
    case = schema["/api/v1/reports/"]["GET"].Case()
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 401
