"""Events come from the actions, after commit only, and reach only people who may see the report."""

from __future__ import annotations

import pytest
from django.db import transaction

from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Delivery, Event, Notification
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.response.actions import acknowledge, add_action, close
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db


def _notified(event: Event) -> set[str]:
    fan_out(event.pk)
    return set(Notification.objects.filter(event=event).values_list("person__username", flat=True))


def test_a_new_report_queues_its_event_in_its_own_transaction(desa_reporter) -> None:
    from django_tasks_db.models import DBTaskResult

    report = submit(desa_reporter).report
    event = Event.objects.get(kind=Kind.REPORT_SUBMITTED, report=report)
    assert event.processed_at is None
    # The fan-out task sits beside the event: a worker sees it only once both are committed.
    queued = DBTaskResult.objects.filter(task_path="waspada.notify.tasks.process_event")
    assert [row.args_kwargs["args"] for row in queued] == [[event.pk]]


def test_a_rolled_back_report_leaves_no_event(desa_reporter) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        submit(desa_reporter, title="Tidak jadi")
        raise Boom
    assert not Event.objects.exists()
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()  # nor a task for a worker to find


def test_the_tkd_and_the_reporter_hear_of_a_new_report_and_other_forums_do_not(personas) -> None:
    report = submit(personas.desa_reporter, isu="agama").report
    event = Event.objects.get(kind=Kind.REPORT_SUBMITTED, report=report)
    told = _notified(event)
    assert "reporter.lombok" in told
    assert {"analis.kesbangpol", "admin.kesbangpol"} <= told
    assert not told & {"anggota.fkub", "anggota.bnk", "bupati", "warga.luar"}


def test_only_the_deciding_team_hears_of_a_new_report_not_the_province_or_the_neighbour(
    personas, province_analyst, ppu_analyst
) -> None:
    """The province's TKD reads Paser's reports in its roll-up but is not told of each one, and
    Penajam Paser Utara's TKD never hears of Paser's (forums/access.py: the deciding TKD)."""
    report = submit(personas.desa_reporter).report
    told = _notified(Event.objects.get(kind=Kind.REPORT_SUBMITTED, report=report))
    assert "analis.kesbangpol" in told
    assert not told & {"analis.kaltim", "analis.ppu"}


def test_a_rahasia_report_reaches_only_senior_tkd_roles_and_the_reporter(personas) -> None:
    from waspada.forums.actions import add_membership
    from waspada.forums.models import Forum

    junior = personas.outsider
    add_membership(person=junior, forum=Forum.objects.get(code="TKD-6401"), role="anggota", by=None)
    report = submit(personas.desa_reporter, classification="rahasia").report
    told = _notified(Event.objects.get(kind=Kind.REPORT_SUBMITTED, report=report))
    assert told == {"reporter.lombok", "analis.kesbangpol", "admin.kesbangpol", "ketua.tkd"}


def test_the_reporter_is_told_of_verification_a_shared_action_and_closure(personas) -> None:
    report = submit(personas.desa_reporter, isu="agama", alert_level="normal").report
    verify_report(report=report, by=personas.kesbangpol_analyst)
    disposition = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    acknowledge(disposition=disposition, by=personas.fkub_officer)
    internal = add_action(
        disposition=disposition, text="Catatan internal: hubungi Polsek", by=personas.fkub_officer
    )
    add_action(
        disposition=disposition,
        text="Mediasi dengan pengurus rumah ibadah",
        by=personas.fkub_officer,
        share_with_reporter=True,
    )
    not_shared = Event.objects.get(kind=Kind.DISPOSITION_ACTION, body=internal.text)
    assert "reporter.lombok" not in _notified(not_shared)
    assert "anggota.fkub" in _notified(not_shared)
    close(disposition=disposition, outcome="tertangani", text="Sepakat damai", by=personas.fkub_officer)
    kinds_to_reporter = set()
    for event in Event.objects.filter(report=report):
        if "reporter.lombok" in _notified(event):
            kinds_to_reporter.add(event.kind)
    assert kinds_to_reporter == {
        Kind.REPORT_SUBMITTED,
        Kind.REPORT_VERIFIED,
        Kind.DISPOSITION_ACTION,
        Kind.DISPOSITION_CLOSED,
    }
    created = Event.objects.get(kind=Kind.DISPOSITION_CREATED, disposition=disposition)
    assert "anggota.fkub" in _notified(created)
    # A normal-level report e-mails its reporter (closing the loop) but nobody else by default.
    emails = Delivery.objects.filter(event__report=report, channel="email")
    assert set(emails.values_list("person__username", flat=True)) == {"reporter.lombok"}


def test_emit_with_a_dedupe_key_records_one_event(personas) -> None:
    from waspada.forums.models import Forum
    from waspada.notify.events import emit

    tkd = Forum.objects.get(code="TKD-6401")
    first = emit(Kind.SIGNAL, level="siaga", title="Lonjakan laporan agraria", forums=[tkd], dedupe_key="s:1")
    again = emit(Kind.SIGNAL, level="siaga", title="Lonjakan laporan agraria", forums=[tkd], dedupe_key="s:1")
    assert first is not None and again is None
    assert "analis.kesbangpol" in _notified(first)
    assert "anggota.fkub" not in _notified(first)
