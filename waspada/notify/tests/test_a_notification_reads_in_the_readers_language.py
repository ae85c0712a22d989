"""The same notification, and the same system-written timeline entry, read in Indonesian and in
English; rows from before keep the Indonesian text they were stored with."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from waspada.notify.events import Kind, emit
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.notify.outbox import render
from waspada.response import actions
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def _reader(person, language: str) -> Client:
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _closed_for(personas) -> Disposition:
    report = verified(personas.desa_reporter, personas.kesbangpol_analyst, isu="agama")
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    actions.acknowledge(disposition=fkub, by=personas.fkub_officer)
    actions.close(disposition=fkub, outcome="tertangani", text="Sepakat damai", by=personas.fkub_officer)
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)
    return fkub


def test_the_reporter_reads_the_same_closure_notice_in_indonesian_and_in_english(personas) -> None:
    _closed_for(personas)
    reporter = personas.desa_reporter
    assert Notification.objects.filter(person=reporter, event__kind=Kind.DISPOSITION_CLOSED).exists()

    indonesian = _reader(reporter, "id").get("/notifikasi/").content.decode()
    english = _reader(reporter, "en").get("/notifikasi/").content.decode()
    assert "Disposisi selesai SKD-6401-" in indonesian and "Tertangani" in indonesian
    assert "Referral completed SKD-6401-" in english and "Resolved" in english
    assert "Disposisi selesai" not in english and "Referral completed" not in indonesian


def test_e_mail_and_chat_are_written_in_the_recipients_language_at_send_time(personas, settings) -> None:
    _closed_for(personas)
    reporter = personas.desa_reporter
    event = Event.objects.get(kind=Kind.DISPOSITION_CLOSED)
    # Until she chooses a language, the site's language is hers.
    assert render(event, reporter).subject.startswith("[Waspada] Disposisi selesai")
    settings.LANGUAGE_CODE = "en"
    message = render(event, reporter)
    assert message.subject.startswith("[Waspada] Referral completed") and "Resolved" in message.text
    assert event.title.startswith("Disposisi selesai")  # stored in Indonesian, as the fallback


def test_switching_the_site_to_english_makes_her_mail_english(personas) -> None:
    from waspada.audit.models import AuditEntry

    _closed_for(personas)
    reporter = personas.desa_reporter
    event = Event.objects.get(kind=Kind.DISPOSITION_CLOSED)
    assert render(event, reporter).subject.startswith("[Waspada] Disposisi selesai")

    client = Client()
    client.force_login(reporter)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    reporter.refresh_from_db()
    assert reporter.language == "en"
    assert render(event, reporter).subject.startswith("[Waspada] Referral completed")
    change = AuditEntry.objects.filter(action="person.updated").latest("pk")
    assert change.changes == {"language": ["", "en"]}
    assert "English" in client.get("/akun/profil/").content.decode()

    # An unknown language changes nothing; a visitor who is not signed in still switches.
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    reporter.refresh_from_db()
    assert reporter.language == "en"
    assert Client().post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_a_notification_stored_before_the_change_still_reads_as_it_was_written(personas) -> None:
    analyst = personas.kesbangpol_analyst
    emit(Kind.BRIEF_READY, level="normal", title="Pemberitahuan lama tanpa parameter", persons=[analyst])
    fan_out(Event.objects.get(title="Pemberitahuan lama tanpa parameter").pk)
    english = _reader(analyst, "en").get("/notifikasi/").content.decode()
    assert "Pemberitahuan lama tanpa parameter" in english


def test_a_system_timeline_entry_reads_in_the_readers_language(personas) -> None:
    report = verified(personas.desa_reporter, personas.kesbangpol_analyst, isu="agama")
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    entry = fkub.timeline.get(kind="dibuat")
    assert entry.message == "auto_routed" and entry.text == "Disposisi otomatis menurut aturan."
    officer = personas.fkub_officer
    page = f"/tindak-lanjut/{fkub.pk}/"
    assert "Disposisi otomatis menurut aturan." in _reader(officer, "id").get(page).content.decode()
    english = _reader(officer, "en").get(page).content.decode()
    assert "Automatic referral by rule." in english
    assert "Disposisi otomatis menurut aturan." not in english
    # The API speaks the reader's language too.
    api = _reader(officer, "en").get(f"/api/v1/dispositions/{fkub.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200
    assert api.json()["timeline"][0]["text"] == "Automatic referral by rule."


def test_a_brief_ready_notice_reads_in_each_readers_language(personas) -> None:
    from datetime import date

    from waspada.briefs.actions import create_situation_brief
    from waspada.briefs.periods import calendar_period

    analyst = personas.kesbangpol_analyst
    create_situation_brief(
        period=calendar_period("bulanan", date(2026, 11, 5)), recipient=analyst, by=analyst
    )
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)
    indonesian = _reader(analyst, "id").get("/notifikasi/").content.decode()
    english = _reader(analyst, "en").get("/notifikasi/").content.decode()
    assert "Laporan situasi bulanan 1 Nov 2026 - 30 Nov 2026 siap" in indonesian
    assert "Salinan Anda berisi apa yang boleh Anda lihat." in indonesian
    assert "monthly situation report for 1 Nov 2026 - 30 Nov 2026 is ready" in english
    assert "Laporan situasi" not in english and "Salinan Anda" not in english
