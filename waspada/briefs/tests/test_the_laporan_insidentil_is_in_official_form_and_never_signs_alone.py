"""The laporan insidentil in the same official form as the Lapsit (tata naskah dinas): under the kop
the Nomor, Sifat, Lampiran and Hal and Kepada Yth.; numbered sections; a Penutup, the signature
block and the tembusan, which stay on one page with the last steps of the follow-up, however long
the timeline grows: the signature never stands alone on a page."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.briefs.tests.helpers import load_boundaries, pdf_text
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.response.actions import acknowledge, add_action
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db

SIGNER = "Kepala Badan Kesatuan Bangsa dan Politik"
CLOSING = "Demikian laporan insidentil ini disampaikan"


def _pages(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [
        " ".join(page.split())
        for page in pdf_text(response.content, layout=False).split("\f")
        if page.strip()
    ]


def test_the_head_carries_nomor_sifat_lampiran_hal_and_the_addressee(personas, settings):
    settings.WASPADA_LAPSIT_KEPADA = "Bupati Paser"
    load_boundaries()
    report = submit(
        personas.desa_reporter, isu="agama", alert_level="siaga", title="Penolakan renovasi gereja"
    ).report
    incident = verify_report(report=report, by=personas.kesbangpol_analyst)
    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    for url, reference in (
        (f"/ringkasan/laporan/{report.reference}.pdf", report.reference),
        (f"/ringkasan/insiden/{incident.reference}.pdf", incident.reference),
    ):
        pages = _pages(client, url)
        first = pages[0]
        assert f"Nomor : {reference}" in first
        assert "Sifat : Biasa" in first and "Lampiran : -" in first
        assert "Hal : Laporan Insidentil: Penolakan renovasi gereja" in first
        assert "Kepada Yth. Bupati Paser" in first
        assert "I. Uraian kejadian (5W1H)" in first
        whole = " ".join(pages)
        assert "III. Disposisi dan tindak lanjut" in whole and "IV. PENUTUP" in whole
        assert "Tembusan:" in whole


def test_the_signature_keeps_with_the_closing_and_the_last_step_however_long_the_timeline(personas):
    load_boundaries()
    report = submit(
        personas.desa_reporter, isu="agama", alert_level="siaga", title="Penolakan renovasi gereja"
    ).report
    verify_report(report=report, by=personas.kesbangpol_analyst)
    fkub = Disposition.objects.get(report=report, forum__kind="FKUB")
    acknowledge(disposition=fkub, by=personas.fkub_officer)
    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    url = f"/ringkasan/laporan/{report.reference}.pdf"
    page_counts = set()
    # one more step at a time: the signature's place moves down the page and over the page foot
    for n in range(1, 25):
        last = f"Langkah ke-{n}: pertemuan lanjutan dengan tokoh agama dan warga di balai desa"
        add_action(disposition=fkub, text=last, by=personas.fkub_officer)
        pages = _pages(client, url)
        page_counts.add(len(pages))
        signed = [page for page in pages if SIGNER in page]
        assert len(signed) == 1, n
        assert CLOSING in signed[0], n
        # the signature is never alone on its page: the timeline's last rows precede the closing
        # there, and the newest step (the timeline runs in time order) is among them
        before = signed[0].split("IV. PENUTUP")[0]
        assert last in before, (n, len(pages))
    assert len(page_counts) >= 2  # the timeline did run over a page foot
