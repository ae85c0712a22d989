"""The Telegram bot, against a local stand-in of the Bot API: the same commands as on Matrix."""

from __future__ import annotations

import pytest

from waspada.chat import telegram_bot
from waspada.notify.actions import create_link_code
from waspada.notify.models import ChatAccount, CommandLog
from waspada.reports.models import Report
from waspada.testing.telegram import running_fake_telegram

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(settings):
    with running_fake_telegram() as api:
        settings.WASPADA_TELEGRAM_API_URL = api.url
        settings.WASPADA_TELEGRAM_BOT_TOKEN = api.token
        yield api


def test_a_member_links_by_code_and_files_a_report_by_slash_command(personas, telegram) -> None:
    telegram.user_says(777, "/status SKD-6401-2026-000001")
    telegram_bot.poll_once(timeout=0)
    assert "belum ditautkan" in telegram.sent[-1]["text"]
    assert CommandLog.objects.get(channel="telegram", command="status").outcome == "ditolak"

    code = create_link_code(person=personas.desa_reporter)
    telegram.user_says(777, f"/tautkan {code}")
    telegram.user_says(777, f"/tautkan {code}")  # a code works once
    telegram_bot.poll_once(timeout=0)
    assert "tertaut ke Siti Rahmawati" in telegram.sent[-2]["text"]
    assert "sudah dipakai" in telegram.sent[-1]["text"]
    assert ChatAccount.objects.get(channel="telegram").person == personas.desa_reporter

    telegram.user_says(
        777,
        "/lapor\njudul: Antrean BBM mengular di SPBU Long Ikis\n"
        "apa: Solar habis sejak pagi, sopir truk protes.\n"
        "lokasi: 64.01.06\nisu: infrastruktur_logistik\ntingkat: waspada",
    )
    telegram_bot.poll_once(timeout=0)
    reply = telegram.sent[-1]["text"]
    assert "Laporan diterima dengan nomor" in reply
    report = Report.objects.get(title="Antrean BBM mengular di SPBU Long Ikis")
    assert report.reference in reply and report.reporter == personas.desa_reporter

    # Read again (the offset was not saved, say): nothing is filed twice, nothing answered twice.
    before = len(telegram.sent)
    telegram_bot.BotState.objects.filter(channel="telegram").update(cursor="0")
    telegram_bot.poll_once(timeout=0)
    assert len(telegram.sent) == before
    assert Report.objects.filter(title__startswith="Antrean BBM").count() == 1


def test_a_bad_level_is_answered_with_the_field_and_the_choices(personas, telegram) -> None:
    from waspada.notify.actions import link_account

    link_account(person=personas.desa_reporter, channel="telegram", address="778", by=None)
    telegram.user_says(
        778, "/lapor\njudul: Uji\napa: Uji coba\nlokasi: 64.01.06\nisu: agama\ntingkat: darurat"
    )
    telegram_bot.poll_once(timeout=0)
    reply = telegram.sent[-1]["text"]
    assert "tingkat" in reply and "awas" in reply
    assert not Report.objects.exists()


def test_a_report_in_plain_words_is_filed_with_its_place_and_isu_found(personas, telegram) -> None:
    from waspada.notify.actions import link_account

    link_account(person=personas.desa_reporter, channel="telegram", address="779", by=None)
    telegram.user_says(
        779,
        "/lapor Warga Desa Lombok Kec. Long Ikis bentrok dengan perusahaan sawit soal lahan plasma, "
        "dua orang luka",
    )
    telegram.user_says(779, "/lapor Selamat pagi bapak ibu, jangan lupa rapat RT nanti malam")
    telegram_bot.poll_once(timeout=0)

    filed, refused = telegram.sent[-2]["text"], telegram.sent[-1]["text"]
    report = Report.objects.get()
    assert report.reference in filed
    assert report.region_id == "64.01.06.2006"  # Lombok, in Long Ikis
    assert report.isu == "agraria_korporasi"
    assert report.what.startswith("Warga Desa Lombok") and report.reporter == personas.desa_reporter
    assert "isu agraria_korporasi" in filed and "lokasi 64.01.06.2006" in filed
    # A greeting is not early-warning material: nothing filed, the template offered.
    assert "tidak tampak sebagai laporan" in refused and "judul:" in refused
