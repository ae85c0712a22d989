"""The triage API: suggestions for a text (with probable incidents) and corrections as training data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.triage.models import Correction


def bearer(person: Person) -> dict[str, str]:
    _token, raw = create_token(person=person, name="uji", by=None)
    return {"authorization": f"Bearer {raw}"}


def post(client: Client, path: str, person: Person, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json", headers=bearer(person))


@pytest.mark.django_db
def test_suggest_returns_classes_place_route_and_the_words_behind_them(
    client: Client, desa_reporter: Person
) -> None:
    text = (
        "Bentrok warga dengan security perusahaan sawit di Ds. Lembok Kec. Long Ikis, 3 org luka kena parang"
    )
    answer = post(client, "/api/v1/triage/suggest", desa_reporter, {"text": text})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["is_early_warning"] is True
    assert body["isu"]["value"] == "agraria_korporasi"
    assert 0 < body["isu"]["confidence"] <= 1
    assert any(word.lower() in {"perusahaan", "sawit", "security"} for word in body["isu"]["words"])
    assert body["region_code"] == "64.01.06.2006"
    found = body["places"]["found"][0]
    assert text[found["span"][0] : found["span"][1]] == "Lembok"
    assert "TKD" in body["forums"]["value"] and "TIMDU_PKS" in body["forums"]["value"]
    assert body["gatra"] and body["urgency"]["value"] in {"segera", "tinggi", "sedang", "rendah"}


@pytest.mark.django_db
def test_suggest_names_the_incident_a_new_text_probably_belongs_to(
    client: Client, desa_reporter: Person, kesbangpol_analyst: Person
) -> None:
    report = submit(desa_reporter).report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    text = "Warga Desa Lombok masih menghadang truk hauling batu bara perusahaan, jalan ditutup"
    body = post(client, "/api/v1/triage/suggest", kesbangpol_analyst, {"text": text}).json()
    assert [d["reference"] for d in body["duplicates"]] == [incident.reference]
    assert body["duplicates"][0]["same_place"] == "desa"
    unrelated = post(
        client, "/api/v1/triage/suggest", kesbangpol_analyst, {"text": "Banjir di Desa Biu, Muara Samu"}
    ).json()
    assert unrelated["duplicates"] == []


@pytest.mark.django_db
def test_non_early_warning_text_gets_no_forum(client: Client, desa_reporter: Person) -> None:
    body = post(
        client, "/api/v1/triage/suggest", desa_reporter, {"text": "terima kasih pak, rapat besok jam 9"}
    ).json()
    assert body["is_early_warning"] is False
    assert body["forums"]["value"] == []


@pytest.mark.django_db
def test_empty_text_is_refused_in_indonesian(client: Client, desa_reporter: Person) -> None:
    answer = post(client, "/api/v1/triage/suggest", desa_reporter, {"text": ""})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "text"


@pytest.mark.django_db
def test_a_correction_is_stored_with_what_changed_and_audited(
    client: Client, kesbangpol_analyst: Person
) -> None:
    answer = post(
        client,
        "/api/v1/triage/corrections",
        kesbangpol_analyst,
        {
            "text": "Pilkades Tempakan memanas, pendukung bakar ban",
            "suggested": {"isu": "politik_pemilu", "level": "siaga"},
            "final": {"isu": "pemerintahan_desa", "level": "siaga"},
        },
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["changed"] == ["isu"]
    correction = Correction.objects.get()
    assert correction.final == {"isu": "pemerintahan_desa", "level": "siaga"}
    assert AuditEntry.objects.filter(action="triage.correction_recorded").count() == 1


@pytest.mark.django_db
def test_a_correction_with_an_unknown_isu_changes_nothing(client: Client, kesbangpol_analyst: Person) -> None:
    answer = post(
        client,
        "/api/v1/triage/corrections",
        kesbangpol_analyst,
        {"text": "teks", "final": {"isu": "tidak_ada"}},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "final.isu"
    assert "Pilihan tidak dikenal" in answer.json()["errors"][0]["message"]
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action="triage.correction_recorded").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "when", ["2623-05-29T13:37:27+20:56", "9999-12-31T23:59:59", "0001-01-01T00:00:00+00:00"]
)
def test_odd_but_valid_times_do_not_break_the_duplicate_search(
    client: Client, desa_reporter: Person, when: str
) -> None:
    answer = post(
        client, "/api/v1/triage/suggest", desa_reporter, {"text": "Banjir di Desa Biu", "occurred_at": when}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["duplicates"] == []
