"""The situation API: the live stamp and Kesbangpol's status overrides, for other programs.

Reading needs a forum seat (as the pages); setting and lifting need the TKD's senior roles; bad
input is a 422 naming the field in Indonesian, and nothing is written.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.people.tokens import create_token
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.models import StatusOverride
from waspada.situation.status import region_statuses
from waspada.situation.tests.helpers import LONG_IKIS

pytestmark = pytest.mark.django_db

OVERRIDES = "/api/v1/situation/penetapan-status"


def api(person: Any) -> Client:
    _row, token = create_token(person=person, name="uji", by=None)
    return Client(headers={"authorization": f"Bearer {token}"})


def _body(**overrides: Any) -> dict[str, Any]:
    expires = timezone.localtime() + timedelta(days=3)
    return {
        "region_code": LONG_IKIS,
        "status": "siaga",
        "reason": "Rapat TKD: potensi bentrok saat panen",
        "expires_at": expires.isoformat(),
        **overrides,
    }


def _fields(response: Any) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_the_stamp_moves_when_a_report_is_filed(desa_reporter: Any, fkub_officer: Any) -> None:
    client = api(fkub_officer)
    before = client.get("/api/v1/situation/langsung")
    submit(desa_reporter)
    after = client.get("/api/v1/situation/langsung")
    assert before.status_code == after.status_code == 200
    assert int(after.json()["stamp"]) > int(before.json()["stamp"])
    assert after.json()["poll_seconds"] > 0


def test_an_account_without_a_forum_gets_403_and_no_token_gets_401(outsider: Any) -> None:
    assert api(outsider).get("/api/v1/situation/langsung").status_code == 403
    assert api(outsider).get(OVERRIDES).status_code == 403
    assert Client().get("/api/v1/situation/langsung").status_code == 401


def test_the_analyst_sets_lists_and_lifts_an_override(kesbangpol_analyst: Any, fkub_officer: Any) -> None:
    analyst = api(kesbangpol_analyst)
    made = analyst.post(OVERRIDES, _body(), content_type="application/json")
    assert made.status_code == 201, made.content
    override = made.json()
    assert (override["region_code"], override["status"], override["lifted_at"]) == (LONG_IKIS, "siaga", None)
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS].status == "siaga"
    assert AuditEntry.objects.filter(action="region_status.set").count() == 1

    # everyone with a seat reads it, by region or below
    listed = api(fkub_officer).get(OVERRIDES, {"region": "64.01"})
    assert [row["id"] for row in listed.json()] == [override["id"]]
    assert api(fkub_officer).get(OVERRIDES, {"region": LONG_IKIS_VILLAGE}).json() == []

    lifted = analyst.post(
        f"{OVERRIDES}/{override['id']}/cabut",
        {"reason": "Sudah dimediasi camat"},
        content_type="application/json",
    )
    assert lifted.status_code == 200
    assert lifted.json()["lift_reason"] == "Sudah dimediasi camat" and lifted.json()["lifted_at"]
    assert AuditEntry.objects.filter(action="region_status.lifted").count() == 1
    assert analyst.get(OVERRIDES).json() == []
    # a lifted override cannot be lifted again
    again = analyst.post(
        f"{OVERRIDES}/{override['id']}/cabut", {"reason": "lagi"}, content_type="application/json"
    )
    assert again.status_code == 404


def test_only_the_tkd_senior_roles_set_or_lift(
    kesbangpol_analyst: Any, fkub_officer: Any, desa_reporter: Any
) -> None:
    for person in (fkub_officer, desa_reporter):
        refused = api(person).post(OVERRIDES, _body(), content_type="application/json")
        assert refused.status_code == 403
        assert "analis dan pimpinan" in refused.json()["detail"]
    made = api(kesbangpol_analyst).post(OVERRIDES, _body(), content_type="application/json").json()
    refused = api(fkub_officer).post(
        f"{OVERRIDES}/{made['id']}/cabut", {"reason": "bukan wewenang"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert StatusOverride.objects.in_force().count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Alasan wajib diisi."),
        ({"status": "gawat"}, "status", "Pilihan tidak dikenal: gawat."),
        ({"expires_at": "2020-01-01T00:00:00+08:00"}, "expires_at", "Batas berlaku harus di masa depan."),
        ({"expires_at": "2026-12-10T09:00:00"}, "expires_at", "Sertakan zona waktu"),
        ({"expires_at": "2026-12-10T09:00:00+19:47"}, "expires_at", "Batas berlaku tidak valid."),
        ({"expires_at": "besok"}, "expires_at", "Harus tanggal dan waktu"),
        ({"reason": None}, "reason", "Harus berupa teks."),
    ],
)
def test_bad_input_is_a_422_naming_the_field_in_indonesian(
    kesbangpol_analyst: Any, change: dict[str, Any], field: str, message: str
) -> None:
    response = api(kesbangpol_analyst).post(OVERRIDES, _body(**change), content_type="application/json")
    assert response.status_code == 422, response.content
    assert _fields(response)[field].startswith(message)
    assert not StatusOverride.objects.exists()
    assert not AuditEntry.objects.filter(action="region_status.set").exists()


def test_a_region_outside_the_home_regency_or_not_a_village_or_district_is_404(
    kesbangpol_analyst: Any,
) -> None:
    for code in ("64.01", "11.01.01", "99"):
        response = api(kesbangpol_analyst).post(
            OVERRIDES, _body(region_code=code), content_type="application/json"
        )
        assert response.status_code == 404, code
    assert not StatusOverride.objects.exists()
