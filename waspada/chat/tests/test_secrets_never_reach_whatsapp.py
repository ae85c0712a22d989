"""A ``rahasia`` report and an informant's name never reach WhatsApp: searched in every request
body the Cloud API stand-in received (texts inside the window, templates outside it, replies to
commands, posts into the cross-forum WhatsApp group), for readers in Indonesian and in English."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import ChatAccount, Room
from waspada.notify.whatsapp_groups import ensure_groups
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

INFORMANT = "Informan Qwertyuiop Rahasia"
INFORMANT_CONTACT = "0813-7777-4242"
SECRET_TITLE = "Gudang senjata rakitan Zxcvbnm di Long Ikis"
SECRET_WHAT = "Menurut sumber, senjata disimpan di gudang milik Pak Plokijuh."
OPEN_TITLE = "Bentrok terbuka di simpang hauling Mnbvcxz"
OPEN_INFORMANT = "Saksi Asdfghjkl Tersembunyi"
OPEN_CONTACT = "0821-5555-9090"

ANALYST = "6281234500002"  # inside her window: texts
OFFICER = "6281234500003"  # never wrote: templates
REPORTER = "6281234500001"


def test_secret_reports_and_informants_never_reach_whatsapp(personas, whatsapp) -> None:
    personas.fkub_officer.language = "en"
    personas.fkub_officer.save(update_fields=["language"])
    link_account(person=personas.kesbangpol_analyst, channel="whatsapp", address=ANALYST, by=None)
    link_account(person=personas.fkub_officer, channel="whatsapp", address=OFFICER, by=None)
    link_account(person=personas.desa_reporter, channel="whatsapp", address=REPORTER, by=None)
    ChatAccount.objects.filter(address__in=(ANALYST, REPORTER)).update(last_inbound_at=timezone.now())
    whatsapp.last_inbound.update({ANALYST: 1e12, REPORTER: 1e12})
    # The cross-forum group, with the analyst in it: it is posted what she may see.
    ensure_groups()
    whatsapp.flush_statuses()
    group = Room.objects.get(channel="whatsapp", forum__isnull=True).address
    whatsapp.user_joins_group(ANALYST, whatsapp.groups[group].invite_link)

    secret = submit(
        personas.desa_reporter,
        alert_level="awas",
        isu="agama",
        classification="rahasia",
        title=SECRET_TITLE,
        what=SECRET_WHAT,
        informant_name=INFORMANT,
        informant_contact=INFORMANT_CONTACT,
    ).report
    verify_report(report=secret, by=personas.kesbangpol_analyst)
    opened = submit(
        personas.desa_reporter,
        alert_level="awas",
        isu="agama",
        title=OPEN_TITLE,
        informant_name=OPEN_INFORMANT,
        informant_contact=OPEN_CONTACT,
    ).report
    outbox.process_pending()
    # The people who may see them ask about both by WhatsApp.
    for number in (ANALYST, REPORTER, OFFICER):
        whatsapp.user_says(number, f"status {secret.reference}")
        whatsapp.user_says(number, f"status {opened.reference}")
    outbox.process_pending()
    whatsapp.flush_statuses()

    received = b"\n".join(whatsapp.received)
    # The open report does arrive, as text and as template: the search below can find what was sent.
    assert OPEN_TITLE.encode() in received and opened.reference.encode() in received
    assert {m["type"] for m in whatsapp.sent} >= {"text", "template"}
    assert any(opened.reference in text for text in whatsapp.texts_in_group(group))
    assert b"notifikasi baru" in received.lower() or b"new notification" in received.lower()
    assert b"Laporan rahasia tidak ditampilkan" in received  # the status asked of it, refused
    for needle in (
        INFORMANT,
        INFORMANT_CONTACT,
        OPEN_INFORMANT,
        OPEN_CONTACT,
        SECRET_TITLE,
        SECRET_WHAT,
    ):
        assert needle.encode() not in received, (needle, _where(received, needle.encode()))
    # No notice names the secret report; only a reply echoing the number someone typed may.
    notices = [m["shown"] for m in whatsapp.sent if m.get("biz_opaque_callback_data")]
    assert notices and not [n for n in notices if secret.reference in n]


def _where(received: bytes, needle: bytes) -> list[bytes]:
    return [line[:400] for line in received.split(b"\n/v21.0") if needle in line]
