"""Who sees signals (the TKD's senior roles) and how they are reviewed (audited, once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.actions import RaiseStatus, review_signal
from waspada.detection.models import Signal, SignalStatus
from waspada.situation.actions import set_status_override
from waspada.situation.models import StatusOverride


@pytest.fixture
def signal(paser) -> Signal:
    today = timezone.localdate()
    return Signal.objects.create(
        region_id="64.01.06",
        isu="narkoba",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        p_value=0.001,
        recurrence_days=7000,
        explanation="Laporan narkoba di Kec. Long Ikis minggu ini 9, biasanya 2; …",
    )


def test_only_the_tkd_senior_roles_see_signals(signal, personas) -> None:
    assert list(Signal.objects.visible_to(personas.kesbangpol_analyst)) == [signal]
    for person in (
        personas.desa_reporter,
        personas.kecamatan_fkdm_chair,
        personas.fkub_officer,
        personas.outsider,
    ):
        assert not Signal.objects.visible_to(person).exists(), person


def test_an_analyst_confirms_a_signal_and_the_trail_records_it(signal, kesbangpol_analyst) -> None:
    review_signal(signal=signal, by=kesbangpol_analyst, decision="konfirmasi")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DIKONFIRMASI and signal.reviewed_by == kesbangpol_analyst
    assert AuditEntry.objects.filter(action="signal.confirmed", object_id=str(signal.pk)).exists()
    with pytest.raises(ValidationError) as error:
        review_signal(signal=signal, by=kesbangpol_analyst, decision="abaikan", reason="x")
    assert "sudah ditinjau" in str(error.value)


def test_dismissing_needs_a_reason_and_leaves_nothing_changed_without_one(signal, kesbangpol_analyst) -> None:
    with pytest.raises(ValidationError) as error:
        review_signal(signal=signal, by=kesbangpol_analyst, decision="abaikan", reason="  ")
    assert error.value.message_dict == {"reason": ["Alasan wajib diisi untuk mengabaikan sinyal."]}
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU
    assert not AuditEntry.objects.filter(object_type="detection.signal").exists()
    review_signal(
        signal=signal, by=kesbangpol_analyst, decision="abaikan", reason="Laporan ganda satu kejadian"
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DIABAIKAN and signal.review_reason == "Laporan ganda satu kejadian"


def test_a_reporter_cannot_review(signal, desa_reporter) -> None:
    with pytest.raises(PermissionError):
        review_signal(signal=signal, by=desa_reporter, decision="konfirmasi")


def test_signal_pages_for_the_analyst_and_not_for_others(
    client, signal, kesbangpol_analyst, desa_reporter
) -> None:
    client.force_login(kesbangpol_analyst)
    page = client.get("/deteksi/")
    assert page.status_code == 200 and "Kec. Long Ikis minggu ini 9" in page.content.decode()
    detail = client.get(f"/deteksi/{signal.pk}/")
    assert "Konfirmasi sinyal" in detail.content.decode()
    bad = client.post(f"/deteksi/{signal.pk}/tinjau/", {"decision": "abaikan", "reason": ""})
    assert bad.status_code == 400 and "Alasan wajib diisi" in bad.content.decode()
    client.force_login(desa_reporter)
    assert client.get(f"/deteksi/{signal.pk}/").status_code == 404
    assert "Kec. Long Ikis" not in client.get("/deteksi/").content.decode()
    assert client.post(f"/deteksi/{signal.pk}/tinjau/", {"decision": "konfirmasi"}).status_code == 404


def _raise_post(**overrides: str) -> dict[str, str]:
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "decision": "konfirmasi",
        "reason": "Dicek ke camat: benar",
        "raise_status": "1",
        "status_level": "siaga",
        "status_reason": "Lonjakan laporan narkoba terkonfirmasi",
        "status_expires_at": expires,
    }
    data.update(overrides)
    return data


def test_confirming_can_raise_the_region_status_and_the_status_page_shows_it(
    client, signal, kesbangpol_analyst
) -> None:
    client.force_login(kesbangpol_analyst)
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()
    assert "Naikkan status" in page
    # The reason is prefilled with the signal's sentence.
    assert 'name="status_reason"' in page and "Laporan narkoba di Kec. Long Ikis minggu ini 9" in page

    response = client.post(f"/deteksi/{signal.pk}/tinjau/", _raise_post())

    assert response.status_code == 302 and response["Location"] == "/situasi/wilayah/64.01.06/"
    signal.refresh_from_db()
    assert signal.status == SignalStatus.DIKONFIRMASI
    override = StatusOverride.objects.get(region_id="64.01.06", lifted_at__isnull=True)
    assert override.status == "siaga" and override.set_by == kesbangpol_analyst
    status_page = client.get("/situasi/wilayah/64.01.06/").content.decode()
    assert "level-siaga" in status_page and "ditetapkan Kesbangpol" in status_page
    confirmed = AuditEntry.objects.get(action="signal.confirmed", object_id=str(signal.pk))
    assert confirmed.changes["region_status"] == {"override": override.pk, "status": "siaga"}
    assert AuditEntry.objects.filter(action="region_status.set", object_id=str(override.pk)).exists()


def test_raising_needs_an_expiry_and_a_level_not_below_the_current_one_or_nothing_changes(
    client, signal, kesbangpol_analyst
) -> None:
    client.force_login(kesbangpol_analyst)
    no_expiry = client.post(f"/deteksi/{signal.pk}/tinjau/", _raise_post(status_expires_at=""))
    assert no_expiry.status_code == 400 and "Batas berlaku wajib diisi." in no_expiry.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU and not StatusOverride.objects.exists()
    assert not AuditEntry.objects.filter(object_type="detection.signal").exists()

    set_status_override(
        region=signal.region,
        status="siaga",
        reason="Sudah siaga",
        expires_at=timezone.now() + timedelta(days=1),
        by=kesbangpol_analyst,
    )
    lower = client.post(f"/deteksi/{signal.pk}/tinjau/", _raise_post(status_level="waspada"))
    assert lower.status_code == 400
    assert "tidak boleh lebih rendah dari status sekarang (Siaga)" in lower.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU
    assert list(StatusOverride.objects.values_list("status", flat=True)) == ["siaga"]


def test_without_the_senior_tkd_role_no_one_confirms_and_raises(
    client, signal, kecamatan_fkdm_chair, regent
) -> None:
    for person in (kecamatan_fkdm_chair, regent):
        client.force_login(person)
        assert client.post(f"/deteksi/{signal.pk}/tinjau/", _raise_post()).status_code == 404
        with pytest.raises(PermissionError):
            review_signal(
                signal=signal,
                by=person,
                decision="konfirmasi",
                raise_status=RaiseStatus("awas", "x", timezone.now() + timedelta(days=1)),
            )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU and not StatusOverride.objects.exists()


def test_a_confirmed_signal_offers_an_alert_and_lists_the_alerts_made_from_it(
    client, signal, kesbangpol_analyst
) -> None:
    from waspada.exchange.actions import AlertInput, issue_alert
    from waspada.exchange.tests.helpers import published

    client.force_login(kesbangpol_analyst)
    assert 'id="issue-alert"' not in client.get(f"/deteksi/{signal.pk}/").content.decode()
    review_signal(signal=signal, by=kesbangpol_analyst, decision="konfirmasi")
    signal.refresh_from_db()
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()
    assert f'href="/pertukaran/peringatan/baru/?signal={signal.pk}"' in page
    assert "Belum ada peringatan dari sinyal ini." in page
    alert = published(  # the second key: Paser's ketua TKD approves the Public alert
        issue_alert(
            by=kesbangpol_analyst,
            region=signal.region,
            isu=signal.isu,
            data=AlertInput(
                headline="Waspada peredaran narkoba di Long Ikis",
                description=signal.explanation,
                level="siaga",
                expires_at=timezone.now() + timedelta(days=3),
            ),
            signal=signal,
        )
    )
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()
    assert f"/pertukaran/peringatan/{alert.identifier}/" in page
    assert "Waspada peredaran narkoba di Long Ikis" in page
