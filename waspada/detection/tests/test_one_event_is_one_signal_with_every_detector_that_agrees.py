"""One event, one signal: the detectors that agree on a kecamatan's week and on its kabupaten join
one signal, told once, reviewed once, listed by priority, reviewed in bulk only where allowed,
and read through the API with its weekly series."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection import grouping
from waspada.detection.actions import review_signal, review_signals
from waspada.detection.detect import run_detection
from waspada.detection.models import Signal, SignalStatus
from waspada.detection.series import rebuild_series
from waspada.detection.testing import history
from waspada.notify.events import Kind
from waspada.notify.models import Event
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.reports.tests.jurisdictions import api

STEADY = [2, 1, 3, 2, 2, 1, 2, 3, 2, 2] * 9  # 90 weeks, mean 2


def _outbreak_in_long_ikis(desa_reporter, analyst) -> None:
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=STEADY,
        current=timezone.localdate(),
    )
    rebuild_series()
    for i in range(9):
        report = submit(
            desa_reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan {i}",
            alert_level="siaga",
            occurred_at=timezone.now() - timedelta(minutes=30 + i),
        ).report
        verify_report(report=report, by=analyst)


def _signal(region: str, detector: str = "farrington", *, isu: str = "narkoba", **extra) -> Signal:
    today = timezone.localdate()
    values = {
        "observed": 6,
        "expected": 2,
        "threshold": 5,
        "explanation": f"Laporan di {region} minggu ini 6, biasanya 2.",
        **extra,
    }
    return Signal.objects.create(
        region_id=region,
        isu=isu,
        period_start=today - timedelta(days=today.weekday()),
        period_end=today - timedelta(days=today.weekday()) + timedelta(days=6),
        detector=detector,
        **values,
    )


@pytest.mark.django_db(transaction=True)
def test_an_outbreak_is_one_signal_naming_every_detector_and_told_once(desa_reporter, kesbangpol_analyst):
    _outbreak_in_long_ikis(desa_reporter, kesbangpol_analyst)
    result = run_detection(timezone.localdate())

    events = Signal.objects.events().filter(isu="agraria_warga")
    assert result.created == events.count() == 1
    event = events.get()
    assert event.region_id == "64.01.06"  # named after the kecamatan, the smallest region alarming
    detections = event.detections()
    assert len(detections) == result.joined + 1 >= 4
    assert {d.region_id for d in detections} == {"64.01.06", "64.01"}  # its kabupaten joined it
    assert detections[0].detector == "farrington"  # the figures shown (grouping.PREFERENCE)
    assert event.level_rank == 2  # siaga reports behind it
    assert event.excess == pytest.approx(detections[0].observed - detections[0].expected, abs=1e-3)
    assert Event.objects.filter(kind=Kind.SIGNAL).count() == 1
    assert AuditEntry.objects.filter(action="signal.joined").count() == result.joined

    again = run_detection(timezone.localdate())
    assert (again.created, again.joined) == (0, 0)
    assert Signal.objects.events().count() == 1 and Event.objects.filter(kind=Kind.SIGNAL).count() == 1


def test_confirming_the_event_confirms_every_detector_and_audits_each(paser, kesbangpol_analyst):
    event = _signal("64.01.06")
    c1 = _signal("64.01.06", "ears_c1", event=event)
    kabupaten = _signal("64.01", "surge", event=event)

    review_signal(signal=c1, by=kesbangpol_analyst, decision="konfirmasi")  # through a member: its event

    for signal in (event, c1, kabupaten):
        signal.refresh_from_db()
        assert signal.status == SignalStatus.DIKONFIRMASI and signal.reviewed_by == kesbangpol_analyst
        assert AuditEntry.objects.filter(action="signal.confirmed", object_id=str(signal.pk)).count() == 1


def test_a_bulk_review_with_one_signal_outside_the_jurisdiction_changes_nothing(
    paser, kaltim, kesbangpol_analyst, province_analyst
):
    long_ikis = _signal("64.01.06")
    ppu = _signal("64.09.01")
    with pytest.raises(PermissionError):
        review_signals(pks=[long_ikis.pk, ppu.pk], by=kesbangpol_analyst, decision="abaikan", reason="Ganda")
    # The province's analyst sees Long Ikis's signal but does not decide for Paser.
    with pytest.raises(PermissionError):
        review_signals(pks=[long_ikis.pk], by=province_analyst, decision="konfirmasi")
    long_ikis.refresh_from_db()
    assert long_ikis.status == SignalStatus.BARU
    assert not AuditEntry.objects.filter(action__startswith="signal.").exists()


def test_the_list_puts_the_gravest_first_and_confirms_the_ticked_ones_with_one_reason(
    paser, kesbangpol_analyst
):
    mild = _signal("64.01.06", isu="narkoba", level_rank=1, excess=9)
    grave = _signal("64.01.04", isu="sara_antaretnis", level_rank=3, excess=2)
    _signal("64.01.06", "ears_c2", isu="narkoba", event=mild)
    client = Client()
    client.force_login(kesbangpol_analyst)

    page = client.get("/deteksi/").content.decode()
    assert page.index(f'data-signal="{grave.pk}"') < page.index(f'data-signal="{mild.pk}"')
    assert page.count("data-signal=") == 2  # the joined EARS C2 is in its event's row
    assert "EARS C2" in page
    assert f'data-signal="{grave.pk}"' not in client.get("/deteksi/?isu=narkoba").content.decode()
    assert f'data-signal="{grave.pk}"' not in client.get("/deteksi/?region=64.01.06").content.decode()

    answer = client.post(
        "/deteksi/tinjau/",
        {"signal": [mild.pk, grave.pk], "decision": "abaikan", "reason": "Sudah ditangani Polres"},
    )
    assert answer.status_code == 302
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.DIABAIKAN}
    assert set(Signal.objects.values_list("review_reason", flat=True)) == {"Sudah ditangani Polres"}
    assert AuditEntry.objects.filter(action="signal.dismissed").count() == 3


def test_a_bulk_review_without_a_reason_to_dismiss_is_refused_by_name(paser, kesbangpol_analyst):
    signal = _signal("64.01.06")
    client = Client()
    client.force_login(kesbangpol_analyst)
    answer = client.post("/deteksi/tinjau/", {"signal": [signal.pk], "decision": "abaikan"}, follow=True)
    assert "Alasan wajib diisi untuk mengabaikan sinyal." in answer.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU


def test_the_signal_page_draws_its_series_and_lists_its_detectors(desa_reporter, kesbangpol_analyst):
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="narkoba",
        weekly=[1, 0, 2] * 10,
        current=timezone.localdate(),
    )
    rebuild_series()
    event = _signal("64.01.06", "ears_c2")
    member = _signal("64.01", "surge", event=event)
    client = Client()
    client.force_login(kesbangpol_analyst)
    assert client.get(f"/deteksi/{member.pk}/").url == f"/deteksi/{event.pk}/"
    page = client.get(f"/deteksi/{event.pk}/").content.decode()
    assert 'class="chart signal-chart"' in page
    assert page.count('class="week') == 26
    assert 'class="expected"' in page and 'class="threshold"' in page
    assert 'data-detector="ears_c2"' in page and 'data-detector="surge"' in page


def test_the_api_lists_details_and_reviews_signals_in_the_jurisdiction_only(
    paser, kaltim, kesbangpol_analyst, ppu_analyst
):
    event = _signal("64.01.06", level_rank=2, excess=4)
    _signal("64.01", "surge", event=event)
    client = api(kesbangpol_analyst)

    listed = client.get("/api/v1/signals/?status=baru").json()
    assert listed["count"] == 1
    assert [d["detector"] for d in listed["items"][0]["detections"]] == ["farrington", "surge"]
    detail = client.get(f"/api/v1/signals/{event.pk}").json()
    assert len(detail["series"]) == 26 and detail["headline_detector"] == "farrington"
    wrong = client.post(
        f"/api/v1/signals/{event.pk}/review", {"decision": "abaikan"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "reason"
    assert client.get("/api/v1/signals/?isu=bukan_isu").status_code == 422

    outsider = api(ppu_analyst)
    assert outsider.get(f"/api/v1/signals/{event.pk}").status_code == 404
    refused = outsider.post(
        f"/api/v1/signals/{event.pk}/review", {"decision": "konfirmasi"}, content_type="application/json"
    )
    assert refused.status_code == 404

    done = client.post(
        f"/api/v1/signals/{event.pk}/review", {"decision": "konfirmasi"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "dikonfirmasi"
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.DIKONFIRMASI}


def test_two_kecamatan_outbreaks_stay_two_events_when_their_kabupaten_alarms_too() -> None:
    week = (date(2026, 11, 30), date(2026, 12, 6))
    found = [
        grouping.Found("64.01.06", "narkoba", *week, "farrington"),
        grouping.Found("64.01.04", "narkoba", *week, "ears_c1"),
        grouping.Found("64.01.06", "narkoba", *week, "ears_c2"),
        grouping.Found("64.01", "narkoba", *week, "surge"),
        grouping.Found("64.01.06.2006", "narkoba", date(2026, 12, 4), week[1], "scan"),
        grouping.Found("64.01.06", "sara_antaretnis", *week, "surge"),
        grouping.Found("64.01.06", "narkoba", date(2026, 11, 23), date(2026, 11, 29), "surge"),
    ]
    assert grouping.group(found) == [[0, 2, 3, 4], [1], [5], [6]]


def test_a_scan_cluster_in_the_event_is_drawn_on_the_map_with_its_villages(paser, kesbangpol_analyst) -> None:
    from waspada.regions.importers import load_paser_boundaries

    load_paser_boundaries()
    event = _signal("64.01.06")
    _signal(
        "64.01.06.2006",
        "scan",
        event=event,
        period="hari",
        details={"villages": ["64.01.06.2006", "64.01.06.2013"], "radius_km": 2.1},
    )
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get(f"/deteksi/{event.pk}/").content.decode()
    assert page.count("<li>Desa Lombok</li>") == 1
    villages = page[
        page.index('id="cluster-villages"') : page.index("</ul>", page.index('id="cluster-villages"'))
    ]
    assert villages.count("<li>") == 2 and "Desa Long Gelang" in villages
    cluster_map = page[page.index('id="cluster-map"') : page.index('id="cluster-villages"')]
    assert cluster_map.count("st-awas") == 2  # the two cluster villages, on the map of Long Ikis
    assert cluster_map.count("st-normal") >= 5  # among the kecamatan's other villages
