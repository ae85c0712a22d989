"""Linking a WhatsApp number from the notification settings page: the member types her number,
Waspada sends a six-digit code to it (the authentication template: she may never have written to
us), she enters it, the number is linked. A wrong code is counted and audited, five spend it; a
code expires; a number linked to someone else gets no code; codes are not sent more than once a
minute."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.notify.actions import link_account
from waspada.notify.models import ChatAccount, LinkCode

pytestmark = pytest.mark.django_db

SITI = "6281234500001"
PAGE = "/notifikasi/pengaturan/"


def _code_sent_to(whatsapp, number: str) -> str:
    (message,) = [m for m in whatsapp.sent if m["to"] == number]
    assert message["type"] == "template" and message["template"]["name"] == "waspada_kode"
    return re.search(r"\*(\d{6})\*", message["shown"])[1]  # type: ignore[index]


def _errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_code_sent_to_her_number_and_entered_in_the_app_links_it(personas, whatsapp, client) -> None:
    client.force_login(personas.desa_reporter)
    answer = client.post(PAGE, {"action": "wa-kirim", "number": "0812-3450-0001"}, follow=True)
    assert "Kode 6 angka dikirim" in answer.content.decode()
    code = _code_sent_to(whatsapp, SITI)
    assert not ChatAccount.objects.filter(address=SITI).exists()

    wrong = "000000" if code != "000000" else "111111"
    answer = client.post(PAGE, {"action": "wa-konfirmasi", "code": wrong}, follow=True)
    assert "Kode WhatsApp: Kode salah. Sisa 4 kali percobaan." in answer.content.decode()
    answer = client.post(PAGE, {"action": "wa-konfirmasi", "code": code}, follow=True)
    assert f"Nomor WhatsApp {SITI} tertaut" in answer.content.decode()
    account = ChatAccount.objects.get(address=SITI)
    assert account.person == personas.desa_reporter and account.channel == "whatsapp"
    actions = list(AuditEntry.objects.filter(actor=personas.desa_reporter).values_list("action", flat=True))
    assert {"notify.whatsapp_code_sent", "notify.whatsapp_code_wrong", "notify.account_linked"} <= set(
        actions
    )
    # Used once: entering it again links nothing more and says so.
    answer = client.post(PAGE, {"action": "wa-konfirmasi", "code": code}, follow=True)
    assert "Tidak ada kode yang menunggu" in answer.content.decode()


def test_five_wrong_codes_spend_it_even_for_the_right_one_after(personas, whatsapp, client) -> None:
    client.force_login(personas.desa_reporter)
    client.post(PAGE, {"action": "wa-kirim", "number": SITI})
    code = _code_sent_to(whatsapp, SITI)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(PAGE, {"action": "wa-konfirmasi", "code": wrong})
    answer = client.post(PAGE, {"action": "wa-konfirmasi", "code": code}, follow=True)
    assert "Tidak ada kode yang menunggu" in answer.content.decode()
    assert not ChatAccount.objects.filter(address=SITI).exists()


def test_an_expired_code_links_nothing(personas, whatsapp, client) -> None:
    client.force_login(personas.desa_reporter)
    client.post(PAGE, {"action": "wa-kirim", "number": SITI})
    code = _code_sent_to(whatsapp, SITI)
    LinkCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = client.post(PAGE, {"action": "wa-konfirmasi", "code": code}, follow=True)
    assert "kedaluwarsa" in answer.content.decode()
    assert not ChatAccount.objects.filter(address=SITI).exists()


def test_a_number_linked_to_someone_else_gets_no_code(personas, whatsapp, client) -> None:
    link_account(person=personas.fkub_officer, channel="whatsapp", address=SITI, by=None)
    client.force_login(personas.desa_reporter)
    answer = client.post(PAGE, {"action": "wa-kirim", "number": SITI}, follow=True)
    assert "Nomor WhatsApp: Nomor WhatsApp ini sudah tertaut ke orang lain." in answer.content.decode()
    assert whatsapp.sent == [] and not LinkCode.objects.exists()


def test_codes_are_not_sent_twice_a_minute_and_a_bad_number_is_named(personas, whatsapp, client) -> None:
    client.force_login(personas.desa_reporter)
    client.post(PAGE, {"action": "wa-kirim", "number": SITI})
    answer = client.post(PAGE, {"action": "wa-kirim", "number": SITI}, follow=True)
    assert "tunggu satu menit" in answer.content.decode()
    assert len(whatsapp.sent) == 1
    answer = client.post(PAGE, {"action": "wa-kirim", "number": "nomor saya"}, follow=True)
    assert "Nomor WhatsApp: Nomor WhatsApp harus berupa angka" in answer.content.decode()


def test_a_refused_send_leaves_no_code_behind(personas, whatsapp, client, settings, caplog) -> None:
    settings.WASPADA_WHATSAPP_CODE_TEMPLATE = '{"name": "tidak_disetujui", "languages": ["id"]}'
    client.force_login(personas.desa_reporter)
    answer = client.post(PAGE, {"action": "wa-kirim", "number": SITI}, follow=True)
    assert "Kode tidak dapat dikirim ke WhatsApp saat ini" in answer.content.decode()
    # the platform's reason is for the administrator's log, not for the member
    assert "132001" not in answer.content.decode()
    assert any("132001" in record.getMessage() for record in caplog.records)
    assert not LinkCode.objects.exists()
