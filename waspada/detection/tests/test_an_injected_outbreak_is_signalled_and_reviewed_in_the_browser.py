"""Demo data plus a synthetic outbreak: the TKD is notified, the analyst reads why, confirms the
signal and raises the kecamatan's status; the status page shows it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from waspada.detection.models import Signal, SignalStatus
from waspada.detection.testing import history
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.reports.actions import verify_report
from waspada.reports.samples import ensure_sample_reports
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.models import StatusOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_is_told_of_an_injected_outbreak_confirms_it_and_raises_the_kecamatan(
    phone: Any, live_server: Any, personas: Any
) -> None:
    today = timezone.localdate()
    # Demo-like background: the demo's sample reports, and two years of ordinary weekly reports
    # in three kecamatan and two isu.
    ensure_sample_reports(personas.all())
    for code, isu, pattern in (
        (LONG_IKIS_VILLAGE, "agraria_warga", [2, 1, 3, 2, 2, 1, 2, 3, 2, 2]),
        ("64.01.04.1001", "kriminalitas", [3, 4, 2, 3, 5, 3, 4, 2, 3, 3]),
        ("64.01.01.2009", "agraria_korporasi", [1, 0, 1, 2, 0, 1, 1, 0, 1, 1]),
    ):
        history(
            reporter=personas.desa_reporter, region_code=code, isu=isu, weekly=pattern * 10, current=today
        )
    call_command("detect", bangun_ulang=True)
    before = set(Signal.objects.values_list("pk", flat=True))

    # The outbreak: nine land-dispute reports in Long Ikis this week, verified by the analyst.
    for i in range(9):
        report = submit(
            personas.desa_reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan kebun warga {i + 1}",
            occurred_at=timezone.now() - timedelta(minutes=20 + i),
        ).report
        verify_report(report=report, by=personas.kesbangpol_analyst)
    call_command("detect")

    farrington = Signal.objects.exclude(pk__in=before).get(region_id="64.01.06", detector="farrington")
    signal = farrington.event or farrington  # one signal for the event; it shows Farrington's figures
    assert signal.headline == farrington
    sentence = farrington.explanation
    assert sentence.startswith(
        "Laporan sengketa lahan antarwarga di Kec. Long Ikis minggu ini 9, biasanya 2;"
    )

    # The TKD is told: the worker fans the signal's event out to the TKD's senior roles only.
    event = Event.objects.get(kind=Kind.SIGNAL, dedupe_key=f"signal:{signal.pk}")
    fan_out(event.pk)
    told = set(Notification.objects.filter(event=event).values_list("person__username", flat=True))
    assert personas.kesbangpol_analyst.username in told
    assert personas.desa_reporter.username not in told

    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    phone.goto(f"{live_server.url}/notifikasi/")
    phone.get_by_role("link", name=event.title).first.click()
    assert phone.locator("#explanation").inner_text() == sentence
    assert phone.get_by_text("Sengketa lahan kebun warga 9").count() == 1
    phone.goto(f"{live_server.url}/deteksi/")
    phone.get_by_role("link", name=sentence).click()
    assert phone.locator("#explanation").inner_text() == sentence

    # Dismissing without a reason is refused, in Indonesian, and changes nothing.
    phone.get_by_role("button", name="Abaikan sinyal").click()
    assert "Alasan wajib diisi untuk mengabaikan sinyal." in phone.get_by_role("alert").inner_text()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU

    # Confirm and raise Kec. Long Ikis to siaga: the reason comes prefilled with the sentence,
    # the expiry with three days ahead.
    phone.get_by_label("Alasan atau catatan (wajib bila diabaikan)").fill(
        "Dicek ke camat: sengketa kebun meluas"
    )
    assert phone.get_by_label("Alasan penetapan status").input_value() == sentence
    phone.get_by_label("Naikkan status", exact=False).first.check()
    phone.get_by_label("Status baru (tidak lebih rendah dari sekarang)").select_option("siaga")
    phone.get_by_role("button", name="Konfirmasi sinyal").click()
    phone.wait_for_url(f"{live_server.url}/situasi/wilayah/64.01.06/")
    assert "level-siaga" in (phone.locator("main .badge").first.get_attribute("class") or "")
    assert "ditetapkan Kesbangpol" in phone.locator("main").inner_text()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DIKONFIRMASI
    assert signal.reviewed_by == personas.kesbangpol_analyst
    override = StatusOverride.objects.get(region_id="64.01.06", lifted_at__isnull=True)
    assert (override.status, override.reason) == ("siaga", sentence)
    phone.goto(f"{live_server.url}/deteksi/{signal.pk}/")
    assert phone.locator("#status").inner_text() == "Dikonfirmasi"

    # The reporter does not see signals at all.
    reporter = Client()
    reporter.force_login(personas.desa_reporter)
    assert reporter.get(f"/deteksi/{signal.pk}/").status_code == 404
