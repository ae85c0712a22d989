"""A ``rahasia`` report and an informant's name never reach Synapse, SMTP or a webhook: searched
in everything the servers received (Synapse's own database, every mail, every request body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from waspada.chat.bot import MatrixBot
from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import Room, Webhook
from waspada.notify.tests.webhook_receiver import Receiver
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.testing.synapse import Synapse, running_synapse

pytestmark = pytest.mark.django_db


@pytest.fixture
def synapse(tmp_path: Path) -> Iterator[Synapse]:
    """A homeserver of this test's own, so that its database holds only what this test sent."""
    with running_synapse(tmp_path / "synapse") as server:
        yield server


INFORMANT = "Informan Qwertyuiop Rahasia"
INFORMANT_CONTACT = "0813-7777-4242"
SECRET_TITLE = "Gudang senjata rakitan Zxcvbnm di Long Ikis"
SECRET_WHAT = "Menurut sumber, senjata disimpan di gudang milik Pak Plokijuh."
OPEN_TITLE = "Bentrok terbuka di simpang hauling Mnbvcxz"
OPEN_INFORMANT = "Saksi Asdfghjkl Tersembunyi"


def test_secret_reports_and_informants_stay_inside_waspada(
    personas, matrix_bot, new_member, synapse, smtp_server
) -> None:
    receiver = Receiver()
    try:
        Webhook.objects.create(name="Sistem provinsi", url=receiver.url, secret="k" * 32, min_level="normal")
        bot = MatrixBot()
        bot.sync_once()
        analyst = new_member("rina")
        link_account(person=personas.kesbangpol_analyst, channel="matrix", address=analyst.user_id, by=None)
        bot.ensure_rooms()
        cross = Room.objects.get(forum__isnull=True).address
        bot.client.invite(cross, analyst.user_id)
        analyst.accept_invites()

        secret = submit(
            personas.desa_reporter,
            alert_level="awas",
            classification="rahasia",
            title=SECRET_TITLE,
            what=SECRET_WHAT,
            informant_name=INFORMANT,
            informant_contact=INFORMANT_CONTACT,
        ).report
        verify_report(report=secret, by=personas.kesbangpol_analyst)
        opened = submit(
            personas.desa_reporter, alert_level="awas", title=OPEN_TITLE, informant_name=OPEN_INFORMANT
        ).report

        def step() -> None:
            outbox.process_pending()

        # The open report does arrive everywhere: the searches below can find what was sent.
        analyst.wait_for(cross, OPEN_TITLE, step=step)
        step()
        mails = b"\n".join(message.as_bytes() for message in smtp_server.messages)
        hooks = b"\n".join(str(headers).encode() + body for headers, body in receiver.requests)
        matrix = synapse.database_dump()
        for received in (mails, hooks, matrix):
            assert OPEN_TITLE.encode() in received
            assert opened.reference.encode() in received
        # The analyst was nudged about the secret report without a word of it.
        assert b"Notifikasi baru" in mails

        for needle in (
            INFORMANT,
            INFORMANT_CONTACT,
            OPEN_INFORMANT,
            SECRET_TITLE,
            SECRET_WHAT,
            secret.reference,
        ):
            for name, received in (("SMTP", mails), ("webhook", hooks), ("Synapse", matrix)):
                assert needle.encode() not in received, f"{needle!r} reached {name}"
    finally:
        receiver.close()
