"""The notification centre lists a person's own notifications; preferences are saved per channel."""

from __future__ import annotations

import pytest

from waspada.notify import outbox
from waspada.notify.models import LinkCode, Notification, Preference
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_the_centre_shows_my_notifications_and_marks_them_read(personas, client) -> None:
    report = submit(personas.desa_reporter, alert_level="siaga", title="Jembatan putus di Long Ikis").report
    outbox.process_pending()
    client.force_login(personas.kesbangpol_analyst)
    page = client.get("/notifikasi/").content.decode()
    assert report.reference in page and "Jembatan putus di Long Ikis" in page
    assert "belum dibaca" in page
    assert client.post("/notifikasi/baca/").status_code == 302
    assert not Notification.objects.unread().filter(person=personas.kesbangpol_analyst).exists()
    # The reporter's own notification is untouched; the FKUB officer has none of it.
    assert Notification.objects.unread().filter(person=personas.desa_reporter).exists()
    client.force_login(personas.fkub_officer)
    assert "Jembatan putus" not in client.get("/notifikasi/").content.decode()


def test_preferences_are_saved_and_a_half_quiet_window_is_refused(personas, client) -> None:
    client.force_login(personas.fkub_officer)
    form = {
        "email-enabled": "on",
        "email-min_level": "awas",
        "email-quiet_start": "22:00",
        "email-quiet_end": "06:00",
        "matrix-min_level": "siaga",
        "telegram-enabled": "on",
        "telegram-min_level": "waspada",
    }
    assert client.post("/notifikasi/pengaturan/", form).status_code == 302
    email = Preference.objects.get(person=personas.fkub_officer, channel="email")
    assert email.min_level == "awas" and email.quiet_start.hour == 22 and email.enabled
    assert not Preference.objects.get(person=personas.fkub_officer, channel="matrix").enabled
    bad = {**form, "telegram-quiet_start": "23:00"}
    page = client.post("/notifikasi/pengaturan/", bad, follow=True).content.decode()
    assert "jam tenang" in page.lower()


def test_a_one_time_link_code_is_shown_once_and_stored_only_as_a_digest(personas, client) -> None:
    client.force_login(personas.fkub_officer)
    page = client.post("/notifikasi/pengaturan/", {"action": "kode"}).content.decode()
    assert "!tautkan" in page
    link = LinkCode.objects.get(person=personas.fkub_officer)
    code = page.split("!tautkan ", 1)[1].split("<", 1)[0].strip()
    assert code not in link.digest and len(link.digest) == 64


def test_an_admin_links_a_members_matrix_id_and_a_bad_id_is_refused_by_field(personas, client) -> None:
    from waspada.audit.models import AuditEntry
    from waspada.notify.models import ChatAccount

    client.force_login(personas.kesbangpol_admin)
    form = {"username": "anggota.fkub", "channel": "matrix", "address": "@ketut:matrix.paserkab.go.id"}
    assert client.post("/notifikasi/tautan/", form).status_code == 302
    account = ChatAccount.objects.get(person=personas.fkub_officer)
    assert account.address == "@ketut:matrix.paserkab.go.id"
    assert AuditEntry.objects.filter(action="notify.account_linked", actor=personas.kesbangpol_admin).exists()
    page = client.post("/notifikasi/tautan/", {**form, "address": "ketut"}, follow=True).content.decode()
    assert "address: ID Matrix harus berbentuk @nama:server." in page
    client.force_login(personas.fkub_officer)
    assert client.post("/notifikasi/tautan/", form).status_code == 403


def test_opening_a_notification_marks_it_read_and_nobody_opens_anothers(personas) -> None:
    from django.test import Client

    from waspada.notify.fanout import fan_out
    from waspada.notify.models import Event

    report = submit(personas.desa_reporter, title="Jembatan gantung putus").report
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)
    mine = Notification.objects.get(person=personas.desa_reporter)
    assert mine.read_at is None

    outsider = Client()
    outsider.force_login(personas.fkub_officer)
    assert outsider.get(f"/notifikasi/buka/{mine.pk}/").status_code == 404
    assert outsider.get("/notifikasi/buka/123456789012345678/").status_code == 404
    assert outsider.get("/notifikasi/buka/1234567890123456789012345678/").status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None

    client = Client()
    client.force_login(personas.desa_reporter)
    answer = client.get(f"/notifikasi/buka/{mine.pk}/")
    assert answer.status_code == 302 and answer["Location"] == f"/laporan/{report.reference}/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_settings_page_lists_every_chat_account_a_member_can_link(personas, client) -> None:
    from waspada.notify.actions import link_account

    link_account(person=personas.fkub_officer, channel="whatsapp", address="0812-3450-0003", by=None)
    link_account(person=personas.fkub_officer, channel="sms", address="+62 812 3450 0004", by=None)
    client.force_login(personas.fkub_officer)
    page = client.get("/notifikasi/pengaturan/").content.decode()
    section = page.split("Akun obrolan", 1)[1].split("</ul>", 1)[0]
    assert "Matrix:" in section and "Telegram:" in section
    assert "WhatsApp: <strong>6281234500003</strong>" in section
    assert "SMS: <strong>6281234500004</strong>" in section
    # Each has its preferences too, SMS from siaga up unless the member says otherwise.
    assert 'name="sms-min_level"' in page and 'name="whatsapp-min_level"' in page
    form = {"sms-enabled": "on", "sms-min_level": "normal"}
    assert client.post("/notifikasi/pengaturan/", form).status_code == 302
    assert Preference.objects.get(person=personas.fkub_officer, channel="sms").min_level == "normal"
    # The code made here is also written the way it is sent from WhatsApp or SMS.
    page = client.post("/notifikasi/pengaturan/", {"action": "kode"}).content.decode()
    code = page.split("!tautkan ", 1)[1].split("<", 1)[0].strip()
    assert f"TAUTKAN {code}" in page
    # An administrator can link a WhatsApp or SMS number on the links page.
    client.force_login(personas.kesbangpol_admin)
    links = client.get("/notifikasi/tautan/").content.decode()
    assert '<option value="whatsapp">' in links and '<option value="sms">' in links
    form = {"username": "analis.kesbangpol", "channel": "sms", "address": "0812 3450 0002"}
    assert client.post("/notifikasi/tautan/", form).status_code == 302
    page = client.post("/notifikasi/tautan/", {**form, "address": "nomor saya"}, follow=True).content.decode()
    assert "address: Nomor SMS harus berupa angka" in page


def test_a_lapsit_notice_has_no_level_badge_while_a_report_keeps_its_own(personas, client) -> None:
    import re

    from waspada.briefs.actions import draft_lapsit, edit_lapsit, submit_lapsit
    from waspada.briefs.tests.helpers import last_week, load_boundaries

    load_boundaries()
    submit(personas.desa_reporter, alert_level="siaga", title="Jembatan putus di Long Ikis")
    lapsit = draft_lapsit(period=last_week(), by=None)
    edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="a", prakiraan="b", saran="c")
    submit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst)
    outbox.process_pending()
    client.force_login(personas.tkd_head)
    page = client.get("/notifikasi/").content.decode()
    items = re.findall(r"<li class=\"level-[a-z]+(?: unread)?\">(.*?)</li>", page, re.S)
    lapsit_item = next(item for item in items if "menunggu persetujuan Anda" in item)
    report_item = next(item for item in items if "Jembatan putus" in item)
    assert "badge" not in lapsit_item and ">Normal<" not in lapsit_item
    assert '<span class="badge level-siaga">Siaga</span>' in report_item
