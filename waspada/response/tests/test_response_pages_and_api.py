"""The inbox, the disposition page and its forms, the metrics page and the API, per persona."""

import pytest
from django.test import Client

from waspada.people.tokens import create_token
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db


def logged_in(person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PERSONA_PASSWORD)
    return client


def api(person) -> Client:
    _, token = create_token(person=person, name="uji", by=None)
    return Client(headers={"authorization": f"Bearer {token}"})


def test_the_fkub_officer_sees_the_disposition_in_the_inbox_and_acknowledges_it(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    client = logged_in(fkub_officer)
    inbox = client.get("/tindak-lanjut/").content.decode()
    assert report.reference in inbox and "Forum Kerukunan Umat Beragama" in inbox
    page = client.get(f"/tindak-lanjut/{fkub.pk}/").content.decode()
    assert "Terima disposisi" in page
    response = client.post(f"/tindak-lanjut/{fkub.pk}/aksi/", {"action": "terima"})
    assert response.status_code == 302
    fkub.refresh_from_db()
    assert fkub.status == "diterima"


def test_a_missing_reason_is_shown_next_to_the_form_in_indonesian(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    response = logged_in(fkub_officer).post(
        f"/tindak-lanjut/{fkub.pk}/aksi/", {"action": "jeda", "reason": ""}
    )
    assert response.status_code == 422
    assert "Alasan jeda wajib diisi" in response.content.decode()


def test_other_forums_neither_see_nor_act_on_the_disposition(
    desa_reporter, kesbangpol_analyst, bnk_officer, outsider
) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    for stranger in (bnk_officer, outsider):
        client = logged_in(stranger)
        assert client.get(f"/tindak-lanjut/{fkub.pk}/").status_code == 404
        assert client.post(f"/tindak-lanjut/{fkub.pk}/aksi/", {"action": "terima"}).status_code == 404
        assert fkub.report.reference not in client.get("/tindak-lanjut/").content.decode()
    fkub.refresh_from_db()
    assert fkub.status == "menunggu"


def test_the_api_drives_a_disposition_to_closure(desa_reporter, kesbangpol_analyst, bnk_officer) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    bnk = report.dispositions.get(forum__code="BNK-6401")
    client = api(bnk_officer)
    listed = client.get("/api/v1/dispositions/").json()
    assert [row["report_reference"] for row in listed["items"]] == [report.reference]
    assert client.post(f"/api/v1/dispositions/{bnk.pk}/terima").json()["status"] == "diterima"
    body = client.post(
        f"/api/v1/dispositions/{bnk.pk}/tindakan",
        {"text": "Patroli bersama polsek di dermaga."},
        content_type="application/json",
    ).json()
    assert body["status"] == "ditangani"
    refused = client.post(
        f"/api/v1/dispositions/{bnk.pk}/selesai",
        {"outcome": "beres", "text": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "outcome"
    closed = client.post(
        f"/api/v1/dispositions/{bnk.pk}/selesai",
        {"outcome": "tertangani", "text": "Dua pengedar diamankan polisi."},
        content_type="application/json",
    ).json()
    assert closed["status"] == "selesai"
    assert [e["kind"] for e in closed["timeline"]] == ["dibuat", "diterima", "tindakan", "selesai"]


def test_the_api_refuses_other_forums(desa_reporter, kesbangpol_analyst, bnk_officer) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = api(bnk_officer)
    assert client.get(f"/api/v1/dispositions/{fkub.pk}").status_code == 404
    assert client.post(f"/api/v1/dispositions/{fkub.pk}/terima").status_code == 404


def test_only_tkd_analysts_add_dispositions_through_the_api(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    body = {
        "report_reference": report.reference,
        "forum_code": "FPK-6401",
        "kind": "tembusan",
        "reason": "Ada unsur etnis.",
    }
    assert api(fkub_officer).post(
        "/api/v1/dispositions/", body, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
    made = api(kesbangpol_analyst).post("/api/v1/dispositions/", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["forum_code"] == "FPK-6401"
    assert Disposition.objects.filter(report=report, forum__code="FPK-6401").exists()


def test_metrics_report_medians_and_overdue_share_per_forum(
    desa_reporter, kesbangpol_analyst, bnk_officer
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from waspada.response import actions

    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    bnk = report.dispositions.get(forum__code="BNK-6401")
    created = timezone.now() - timedelta(hours=10)
    Disposition.objects.filter(pk=bnk.pk).update(created_at=created)
    actions.acknowledge(disposition=bnk, by=bnk_officer)
    Disposition.objects.filter(pk=bnk.pk).update(acknowledged_at=created + timedelta(hours=2))
    bnk.refresh_from_db()
    actions.close(disposition=bnk, outcome="tertangani", text="Selesai.", by=bnk_officer)
    Disposition.objects.filter(pk=bnk.pk).update(
        closed_at=created + timedelta(hours=8), paused_seconds=3 * 3600
    )

    body = api(kesbangpol_analyst).get("/api/v1/dispositions/metrik?days=30").json()
    row = next(r for r in body["by_forum"] if r["key"] == "BNK-6401")
    assert row["total"] == 1 and row["closed"] == 1 and row["overdue"] == 0
    assert row["median_ack_hours"] == 2.0
    assert row["median_close_hours"] == 5.0  # 8 hours minus 3 paused
    assert row["paused_hours"] == 3.0
    district = next(r for r in body["by_kecamatan"] if r["key"] == "64.01.06")
    assert district["label"] == "Long Ikis"
    page = logged_in(kesbangpol_analyst).get("/tindak-lanjut/metrik/").content.decode()
    assert "Badan Narkotika Kabupaten" in page and "Long Ikis" in page
