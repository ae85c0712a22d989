"""Every event kind the system emits, to every recipient it goes to, links to a page that
recipient can open: in the notification centre and in the e-mail or chat message."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.detection.models import Signal, SignalStatus
from waspada.detection.notices import announce_signal
from waspada.forums.actions import change_role
from waspada.forums.models import Membership, Role
from waspada.notify.actions import link_account
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification, Room
from waspada.notify.outbox import render
from waspada.notify.texts import link_for
from waspada.notify.whatsapp_groups import invite_members
from waspada.reports.actions import reject_report, verify_report
from waspada.reports.tests.factories import submit
from waspada.reports.verification import escalate_late_verifications
from waspada.response import actions
from waspada.response.models import Disposition
from waspada.response.tasks import deadline_near

pytestmark = pytest.mark.django_db

EVERY_KIND = {value for name, value in vars(Kind).items() if name.isupper()}


def _every_kind_happens(personas: Any, province_analyst: Any = None) -> None:
    """One report walks the whole loop, another is rejected; a signal and a brief are made; a
    Lapsit is submitted, returned and approved; Paser releases its Lapsit to the province twice,
    and the province sends its Lapsit to the Gubernur."""
    from waspada.briefs.actions import (
        approve_lapsit,
        create_situation_brief,
        draft_lapsit,
        edit_lapsit,
        release_situation,
        return_lapsit,
        send_province_brief,
        submit_lapsit,
    )
    from waspada.briefs.periods import calendar_period
    from waspada.regions.models import Region

    reporter, analyst, fkub = personas.desa_reporter, personas.kesbangpol_analyst, personas.fkub_officer
    report = submit(reporter, isu="agama", alert_level="waspada", informant_name="Pak Rahasia").report
    verify_report(report=report, by=analyst)
    disposition = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    actions.acknowledge(disposition=disposition, by=fkub)
    # The FKUB member chairs the forum for a day and assigns the disposition to herself.
    seat = Membership.objects.current().get(person=fkub, forum__code="FKUB-6401")
    change_role(membership=seat, role=Role.KETUA, by=None)
    actions.assign_disposition(disposition=disposition, member=fkub, by=fkub)
    actions.add_action(disposition=disposition, text="Catatan internal forum", by=fkub)
    actions.add_action(
        disposition=disposition, text="Dialog warga digelar", by=fkub, share_with_reporter=True
    )
    actions.close(disposition=disposition, outcome="tertangani", text="Sepakat damai", by=fkub)

    late = submit(reporter, isu="narkoba", alert_level="siaga", title="Peredaran sabu di pasar").report
    verify_report(report=late, by=analyst)
    bnk = Disposition.objects.get(report=late, forum__code="BNK-6401")
    Disposition.objects.filter(pk=bnk.pk).update(due_at=timezone.now() + timedelta(minutes=30))
    assert deadline_near() >= 1
    # Up the ladder twice: BNK → TKD → FKPD (the regent hears of it).
    assert actions.escalate_overdue(now=timezone.now() + timedelta(days=30)) >= 1
    assert actions.escalate_overdue(now=timezone.now() + timedelta(days=90)) >= 1

    submit(reporter, title="Laporan yang belum sempat diverifikasi")
    assert escalate_late_verifications(now=timezone.now() + timedelta(days=30)) == 1

    rejected = submit(reporter, title="Kabar burung dari grup WA").report
    reject_report(report=rejected, by=analyst, reason="Tidak ada sumber yang bisa diperiksa.")

    today = timezone.localdate()
    signal = Signal.objects.create(
        region_id="64.01.06",
        isu="agama",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation="Laporan ketegangan agama minggu ini 9, biasanya 2",
        status=SignalStatus.BARU,
    )
    announce_signal(signal)
    create_situation_brief(period=calendar_period("mingguan", today), recipient=analyst, by=analyst)
    # Last week's Lapsit: submitted, returned with a note, submitted again and approved.
    lapsit = draft_lapsit(period=calendar_period("mingguan", today - timedelta(days=7)), by=None)
    edit_lapsit(lapsit=lapsit, by=analyst, analisa="Kondusif.", prakiraan="Tetap.", saran="Pantau.")
    submit_lapsit(lapsit=lapsit, by=analyst)
    return_lapsit(lapsit=lapsit, by=personas.tkd_head, note="Sebutkan Kuaro.")
    submit_lapsit(lapsit=lapsit, by=analyst)
    approve_lapsit(lapsit=lapsit, by=personas.tkd_head)
    if province_analyst is not None:
        week = calendar_period("mingguan", today)
        paser = Region.objects.get(code="64.01")
        release_situation(regency=paser, period=week, assessment="Kondusif.", by=analyst)
        release_situation(regency=paser, period=week, assessment="Tetap kondusif.", by=analyst, replace=True)
        send_province_brief(province=paser.parent, period=week, by=province_analyst)
    # The WhatsApp group's invite link goes to a forum member whose number is linked.
    group = Room.objects.create(channel="whatsapp", address="Y2FwaV9ncm91cDpVamk", name="Grup uji")
    link_account(person=personas.fkub_officer, channel="whatsapp", address="6281234500003", by=None)
    assert invite_members(group, invite_link="https://chat.whatsapp.com/Uji") >= 1
    # Someone guesses the Bupati's password from five addresses: the Bupati is told.
    for n in range(5):
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            "/akun/masuk/", {"username": personas.regent.username, "password": "salah-tebak"}
        )
    for event_id in Event.objects.filter(processed_at__isnull=True).values_list("pk", flat=True):
        fan_out(event_id)


def test_every_event_kind_links_each_recipient_to_a_page_that_answers_200(
    personas, province_analyst, governor, settings
) -> None:
    settings.WASPADA_BASE_URL = "https://waspada.test"
    _every_kind_happens(personas, province_analyst)
    assert set(Event.objects.values_list("kind", flat=True)) == EVERY_KIND

    walked: set[tuple[str, str]] = set()
    for person in {n.person for n in Notification.objects.select_related("person")}:
        client = Client()
        client.force_login(person)
        notifications = Notification.objects.filter(person=person).select_related("event")
        for notification in notifications:
            event = notification.event
            path = link_for(event, person)
            assert path, (event.kind, person.username)
            answer = client.get(path)
            assert answer.status_code == 200, (event.kind, person.username, path, answer.status_code)
            # A page the browser shows, not a file it saves while the reader stays on /notifikasi/.
            assert "attachment" not in answer.get("Content-Disposition", ""), (event.kind, path)
            if event.classification != "rahasia":
                assert render(event, person).url == "https://waspada.test" + path
            walked.add((event.kind, person.username))
        # The centre shows exactly those links, one per notification.
        centre = client.get("/notifikasi/").content.decode()
        listed = re.findall(
            # the level badge is left out of the Lapsit's notices
            r'<li class="level-[a-z]+(?: unread)?">\s*(?:<span[^>]*>[^<]*</span>)?\s*<a href="([^"]+)"',
            centre,
        )
        assert len(listed) == min(notifications.count(), 30)
        # Each goes through /notifikasi/buka/<id>/: marked read, then the page the reader may open.
        for href in set(listed):
            opened = client.get(href, follow=True)
            assert opened.status_code == 200, (person.username, href)
            assert opened.redirect_chain and opened.redirect_chain[-1][0] in {
                link_for(n.event, person) for n in notifications
            }
        shown = Notification.objects.filter(person=person).order_by("-created_at", "-pk")[:30]
        assert all(n.read_at is not None for n in shown if link_for(n.event, person))

    reporter = personas.desa_reporter.username
    assert {kind for kind, who in walked if who == reporter} == {
        Kind.REPORT_SUBMITTED,
        Kind.REPORT_VERIFIED,
        Kind.REPORT_REJECTED,
        Kind.DISPOSITION_ACTION,
        Kind.DISPOSITION_CLOSED,
    }
    # Every kind reached somebody, and the forum, the TKD and the regent were among them.
    assert {kind for kind, _who in walked} == EVERY_KIND
    assert {"anggota.fkub", "analis.kesbangpol", personas.regent.username} <= {who for _k, who in walked}
    # The province's analyst is told of Paser's releases, the Gubernur receives the province Lapsit.
    assert {
        (Kind.BRIEF_RELEASED, province_analyst.username),
        (Kind.BRIEF_RE_RELEASED, province_analyst.username),
    } <= (walked)
    assert (Kind.BRIEF_PROVINCE, governor.username) in walked


def test_the_reporter_is_sent_to_her_report_not_to_the_forums_page(personas) -> None:
    _every_kind_happens(personas)
    reporter = personas.desa_reporter
    closed = Notification.objects.get(person=reporter, event__kind=Kind.DISPOSITION_CLOSED).event
    assert closed.url.startswith("/tindak-lanjut/")  # what the forum opens
    assert link_for(closed, reporter) == f"/laporan/{closed.report.reference}/"
    client = Client()
    client.force_login(reporter)
    assert client.get(closed.url).status_code == 404  # she may not open the forum's page…
    assert client.get(link_for(closed, reporter)).status_code == 200  # …so she is sent to her report
