"""History import: past verified incidents from a CSV count in the series, all or nothing, once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.detect import run_detection
from waspada.detection.history import HistoryError, import_history
from waspada.detection.models import CountBucket, HistoryCount, Signal
from waspada.detection.series import observed_from, rebuild_series, week_start, weekly_series
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 12, 7)  # a Monday
GOOD = (
    b"tanggal,kode_wilayah,isu,tingkat,jumlah\n"
    b"2026-11-04,64.01.06.2006,agraria_warga,waspada,2\n"
    b"2026-11-05,64.01.06,Agraria: antarwarga atau antardesa,awas,\n"
    b"2026-11-05,64.01.06,agraria_warga,awas,1\n"
    b"2026-10-01,64.01.02,narkoba,normal,1\n"
)


def test_a_file_counts_in_the_weekly_series_of_its_kecamatan_and_kabupaten(paser, kesbangpol_admin) -> None:
    result = import_history(GOOD, actor=kesbangpol_admin, source="riwayat.csv", today=TODAY)
    assert (result.rows, result.keys, result.created) == (5, 3, 3)
    # The two awas rows of 5 Nov are one key with 2 incidents; the week of 2 Nov holds 2 + 2.
    week = date(2026, 11, 2)
    long_ikis = weekly_series("64.01.06", "agraria_warga", week, 1)
    assert long_ikis == [4.0]
    assert weekly_series("64.01", "agraria_warga", week, 1) == [4.0]
    bucket = CountBucket.objects.get(region_id="64.01.06", isu="agraria_warga", period="minggu", start=week)
    assert bucket.weighted == 2 * 2 + 2 * 8  # waspada weighs 2, awas 8
    assert observed_from() <= date(2026, 9, 28)  # the week of the oldest row
    entry = AuditEntry.objects.get(action="detection.history_imported")
    assert entry.changes["incidents"] == 5 and entry.actor_id == kesbangpol_admin.pk


def test_importing_the_same_file_twice_stores_it_once(paser) -> None:
    import_history(GOOD, actor=None, today=TODAY)
    again = import_history(GOOD, actor=None, today=TODAY)
    assert (again.created, again.updated) == (0, 0)
    assert HistoryCount.objects.count() == 3
    assert weekly_series("64.01.06", "agraria_warga", date(2026, 11, 2), 1) == [4.0]
    # A rebuild from scratch gives the same buckets as the incremental import.
    before = set(CountBucket.objects.values_list("region_id", "isu", "period", "start", "count", "weighted"))
    rebuild_series()
    assert (
        set(CountBucket.objects.values_list("region_id", "isu", "period", "start", "count", "weighted"))
        == before
    )


def test_a_bad_row_refuses_the_file_with_a_reason_per_row_and_column(paser) -> None:
    bad = (
        "date;region;isu;level\n"
        "2026-11-04;64.01.06;agraria_warga;waspada\n"
        "2026-13-01;64.01.06;agraria_warga;waspada\n"
        "2026-11-04;99.99;agraria_warga;waspada\n"
        "2026-11-04;64.01.06;sengketa;merah\n"
        "2027-01-01;64.01.06;agraria_warga;normal\n"
    ).encode("utf-8-sig")
    with pytest.raises(HistoryError) as refused:
        import_history(bad, actor=None, today=TODAY)
    assert refused.value.errors == [
        "Baris 3, kolom tanggal: '2026-13-01' bukan tanggal (YYYY-MM-DD).",
        "Baris 4, kolom kode_wilayah: '99.99' bukan kode desa, kecamatan atau kabupaten yang dikenal.",
        "Baris 5, kolom isu: 'sengketa' bukan isu yang dikenal.",
        "Baris 5, kolom tingkat: 'merah' bukan normal, waspada, siaga atau awas.",
        "Baris 6, kolom tanggal: 2027-01-01 ada di masa depan.",
    ]
    assert not HistoryCount.objects.exists() and not CountBucket.objects.exists()
    with pytest.raises(HistoryError, match="kolom tingkat tidak ada"):
        import_history(b"tanggal,kode_wilayah,isu\n2026-11-04,64.01.06,narkoba\n", actor=None, today=TODAY)
    with pytest.raises(HistoryError, match="kolom jumlah: '0'"):
        import_history(
            b"tanggal,kode_wilayah,isu,tingkat,jumlah\n2026-11-04,64.01,narkoba,normal,0\n", actor=None
        )


def test_the_command_imports_a_file_and_refuses_a_bad_one(paser, tmp_path: Path, kesbangpol_admin) -> None:
    good = tmp_path / "riwayat.csv"
    good.write_bytes(GOOD)
    call_command("import_history", str(good), "--oleh", kesbangpol_admin.username)
    assert HistoryCount.objects.count() == 3
    bad = tmp_path / "salah.csv"
    bad.write_bytes(b"tanggal,kode_wilayah,isu,tingkat\nkemarin,64.01.06,narkoba,normal\n")
    with pytest.raises(CommandError, match="Baris 2, kolom tanggal"):
        call_command("import_history", str(bad))
    assert HistoryCount.objects.count() == 3


def test_a_new_installation_with_a_year_of_history_alarms_in_its_first_week(
    desa_reporter, kesbangpol_analyst
) -> None:
    today = timezone.localdate()
    this_week = week_start(today)
    # One land dispute every four weeks in Long Ikis for a year, imported; then four this week.
    rows = ["tanggal,kode_wilayah,isu,tingkat"]
    for weeks_back in range(4, 53, 4):
        rows.append(f"{(this_week - timedelta(weeks=weeks_back)).isoformat()},64.01.06,agraria_warga,waspada")
    import_history("\n".join(rows).encode(), actor=None)
    for i in range(4):
        report = submit(
            desa_reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan {i}",
            occurred_at=timezone.now() - timedelta(minutes=30 + i),
        ).report
        verify_report(report=report, by=kesbangpol_analyst)
    run_detection(today)
    detectors = set(Signal.objects.filter(region_id="64.01.06").values_list("detector", flat=True))
    assert {"ears_c1", "borrowed"} <= detectors


def test_kesbangpols_administrator_imports_on_the_page_within_his_regency_only(
    kaltim, kesbangpol_admin, kesbangpol_analyst
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    def upload(person, content: bytes):
        client = Client()
        client.force_login(person)
        return client.post("/deteksi/riwayat/", {"berkas": SimpleUploadedFile("riwayat.csv", content)})

    assert upload(kesbangpol_analyst, GOOD).status_code == 403
    outside = (
        b"tanggal,kode_wilayah,isu,tingkat\n"
        b"2026-11-04,64.01.06,narkoba,normal\n"
        b"2026-11-04,64.09.01,narkoba,normal\n"
    )
    refused = upload(kesbangpol_admin, outside)
    assert refused.status_code == 400
    assert "Baris 3, kolom kode_wilayah: &#x27;64.09.01&#x27; di luar wilayah Tim Kewaspadaan Dini Anda." in (
        refused.content.decode()
    )
    assert not HistoryCount.objects.exists()
    done = upload(kesbangpol_admin, GOOD)
    assert done.status_code == 302 and HistoryCount.objects.count() == 3
    entry = AuditEntry.objects.get(action="detection.history_imported")
    assert entry.actor_id == kesbangpol_admin.pk and entry.channel == "web"
