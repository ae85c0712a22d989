"""The on-demand form: bad input gets an Indonesian message on its field and stores nothing; a good
one stores the person's own copy, which nobody else can download."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.briefs.models import Brief
from waspada.briefs.tests.helpers import last_week

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "harian", "start": "2026-11-02"}, "kind", "Jenis laporan tidak dikenal"),
        ({"kind": "bulanan", "start": ""}, "start", "Isi tanggal awal periode."),
        ({"kind": "bulanan", "start": "2026-13-45"}, "start", "Tanggal tidak sah."),
        ({"kind": "mingguan", "start": "FUTURE"}, "start", "Periode tidak boleh di masa depan."),
        ({"kind": "mingguan", "start": "2026-11-10", "end": "FUTURE"}, "end", "tidak boleh di masa depan"),
        (
            {"kind": "mingguan", "start": "2026-11-10", "end": "2026-11-03"},
            "end",
            "Tanggal akhir tidak boleh sebelum tanggal awal.",
        ),
    ],
)
def test_bad_input_gets_an_indonesian_message_on_its_field(kesbangpol_analyst, data, field, message):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = {key: future if value == "FUTURE" else value for key, value in data.items()}
    response = _client(kesbangpol_analyst).post("/ringkasan/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Brief.objects.exists()


def test_a_good_request_stores_a_copy_only_its_recipient_downloads(
    kesbangpol_analyst, fkub_officer, outsider
):
    week = last_week()
    client = _client(kesbangpol_analyst)
    response = client.post("/ringkasan/", {"kind": "mingguan", "start": week.start.isoformat()})
    assert response.status_code == 302
    brief = Brief.objects.get()
    assert (brief.kind, brief.period_start, brief.period_end) == ("mingguan", week.start, week.end)
    assert brief.recipient == kesbangpol_analyst and not brief.scheduled
    entry = AuditEntry.objects.get(action="brief.created")
    assert entry.actor == kesbangpol_analyst and entry.changes["sha256"] == brief.checksum

    listing = client.get("/ringkasan/").content.decode()
    assert f"/ringkasan/{brief.pk}/unduh/" in listing
    download = client.get(f"/ringkasan/{brief.pk}/unduh/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")

    assert _client(fkub_officer).get(f"/ringkasan/{brief.pk}/unduh/").status_code == 404
    assert f"/ringkasan/{brief.pk}/unduh/" not in _client(fkub_officer).get("/ringkasan/").content.decode()
    assert _client(outsider).get("/ringkasan/").status_code == 403
    assert Client().get("/ringkasan/").status_code == 302  # to the login page
