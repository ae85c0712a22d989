"""A ``rahasia`` report and an informant's name never reach an SMS gateway: searched in every
request body the SMS Gateway for Android stand-in and the aggregator stand-in received (notices,
replies to STATUS, to LAPOR and to unlinked numbers), for readers in Indonesian and in English."""

from __future__ import annotations

import pytest

from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import Delivery, Preference
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
NEEDLES = (INFORMANT, INFORMANT_CONTACT, OPEN_INFORMANT, OPEN_CONTACT, SECRET_TITLE, SECRET_WHAT)

ANALYST = "6281234500002"
OFFICER = "6281234500003"
REPORTER = "6281234500001"
STRANGER = "6289999900000"


def _both_reports(personas) -> tuple:
    personas.fkub_officer.language = "en"
    personas.fkub_officer.save(update_fields=["language"])
    for person, number in (
        (personas.kesbangpol_analyst, ANALYST),
        (personas.fkub_officer, OFFICER),
        (personas.desa_reporter, REPORTER),
    ):
        link_account(person=person, channel="sms", address=number, by=None)
        Preference.objects.create(person=person, channel="sms", min_level="normal")
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
    return secret, opened


def _assert_clean(received: bytes) -> None:
    for needle in NEEDLES:
        assert needle.encode() not in received, needle


def test_secret_reports_and_informants_never_reach_the_android_gateway(personas, sms) -> None:
    secret, opened = _both_reports(personas)
    for number in (ANALYST, REPORTER, OFFICER, STRANGER):
        sms.user_texts("+" + number, f"STATUS {secret.reference}")
        sms.user_texts("+" + number, f"STATUS {opened.reference}")
    outbox.process_pending()
    sms.flush_statuses()
    received = b"\n".join(sms.received)
    # The open report does arrive, so the search below can find what was sent.
    assert OPEN_TITLE.encode() in received and opened.reference.encode() in received
    assert b"notifikasi baru" in received.lower() or b"new notification" in received.lower()
    assert b"Laporan rahasia tidak ditampilkan" in received
    _assert_clean(received)
    # No notice names the secret report; only a reply echoing the number someone typed may.
    keys = {d.idempotency_key.hex for d in Delivery.objects.filter(channel="sms")}
    notices = [m["text"] for m in sms.sent if m["id"].rsplit("-", 1)[0] in keys]
    assert notices and not [n for n in notices if secret.reference in n]


def test_secret_reports_and_informants_never_reach_the_aggregator(personas, aggregator) -> None:
    secret, _opened = _both_reports(personas)
    for number in (ANALYST, REPORTER, STRANGER):
        aggregator.user_texts(number, f"STATUS {secret.reference}")
    received = b"\n".join(aggregator.received)
    assert OPEN_TITLE.replace(" ", "+").encode() in received  # form-encoded
    _assert_clean(received)
    for needle in NEEDLES:
        assert needle.replace(" ", "+").encode() not in received, needle
