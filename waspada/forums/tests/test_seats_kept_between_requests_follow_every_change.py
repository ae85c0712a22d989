"""A person's seats, the installation's TKD areas and the short id lists the rules read are kept
between requests under the audit stamp (``forums/access.py``). A kept answer must never outlive
a change: a seat added, ended or its role changed, a report or an incident shared or a share
revoked counts from the very next request.

Each change is made twice over: by the action (its audit entry moves the stamp, which is what
another server process sees) with this process's own change counter put back as if the write
had happened in another process, and by a plain ORM write with no audit entry at all (the
counter alone). Requests are real pages through the middleware, or ``access_cached`` blocks,
which is what the middleware opens for each request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from waspada.forums import access as access_module
from waspada.forums.access import access_cached, access_of
from waspada.forums.actions import add_membership, change_role, end_membership
from waspada.forums.models import Forum, Membership, Role
from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.reports.actions import share_report, verify_report
from waspada.reports.models import Incident, Report
from waspada.reports.sharing import revoke_incident_share, share_incident
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def as_if_in_another_process(change: Callable[[], Any]) -> Any:
    """Make ``change`` and put this process's change counter back: only the audit stamp, which
    every process reads from the database, can then tell a kept answer is stale."""
    before = access_module._generation
    result = change()
    access_module._generation = before
    return result


def _seats(person: Person) -> tuple[tuple[str, str], ...]:
    with access_cached():  # one request
        return tuple((seat.kind, seat.role) for seat in access_of(person).seats)


def _status(person: Person, path: str) -> int:
    client = Client()
    client.force_login(person)
    return client.get(path).status_code


@pytest.fixture
def newcomer(paser: Region) -> Person:
    return Person.objects.create_user(username="baru.tkd", password="x" * 16, full_name="Orang Baru")


def test_a_kept_answer_is_used_until_something_changes(kesbangpol_analyst: Person) -> None:
    """Otherwise the other tests prove nothing: the second request reads no seats."""
    _seats(kesbangpol_analyst)
    with CaptureQueriesContext(connection) as captured, access_cached():
        assert access_of(kesbangpol_analyst).is_tkd_senior
    assert not [q for q in captured.captured_queries if "forums_membership" in q["sql"]]


def test_a_seat_added_changed_and_ended_counts_from_the_next_request(
    newcomer: Person, kesbangpol_admin: Person
) -> None:
    tkd = Forum.objects.get(code="TKD-6401")
    assert _status(newcomer, "/situasi/") == 403
    assert _seats(newcomer) == ()
    seat = as_if_in_another_process(
        lambda: add_membership(person=newcomer, forum=tkd, role=Role.ANGGOTA, by=kesbangpol_admin)
    )
    assert _seats(newcomer) == (("TKD", "anggota"),)
    assert _status(newcomer, "/situasi/") == 200
    assert _status(newcomer, "/situasi/") == 200  # kept now
    as_if_in_another_process(lambda: change_role(membership=seat, role=Role.ANALIS, by=kesbangpol_admin))
    assert _seats(newcomer) == (("TKD", "analis"),)
    as_if_in_another_process(lambda: end_membership(membership=seat, by=kesbangpol_admin))
    assert _seats(newcomer) == ()
    assert _status(newcomer, "/situasi/") == 403


def test_a_seat_written_without_an_action_still_counts_at_once(newcomer: Person) -> None:
    """No audit entry, so the stamp does not move: the change counter of this process does."""
    assert _status(newcomer, "/situasi/") == 403
    seat = Membership.objects.create(
        person=newcomer, forum=Forum.objects.get(code="TKD-6401"), role="anggota"
    )
    assert _status(newcomer, "/situasi/") == 200
    Membership.objects.filter(pk=seat.pk).delete()
    assert _status(newcomer, "/situasi/") == 403


def test_a_retired_forum_stops_counting_from_the_next_request(
    fkub_officer: Person, kesbangpol_admin: Person
) -> None:
    from waspada.forums.actions import retire_forum

    assert _status(fkub_officer, "/situasi/") == 200
    forum = Forum.objects.get(code="FKUB-6401")
    as_if_in_another_process(lambda: retire_forum(forum=forum, by=kesbangpol_admin))
    assert _status(fkub_officer, "/situasi/") == 403


def test_a_report_shared_with_a_forum_is_seen_by_its_members_at_the_next_request(
    desa_reporter: Person, kesbangpol_analyst: Person, fkub_officer: Person
) -> None:
    report = submit(desa_reporter, classification="biasa").report
    path = f"/laporan/{report.reference}/"
    assert _status(fkub_officer, path) == 404
    assert _status(fkub_officer, path) == 404  # the empty shared list is kept now
    forum = Forum.objects.get(code="FKUB-6401")
    as_if_in_another_process(lambda: share_report(report=report, forum=forum, by=kesbangpol_analyst))
    assert _status(fkub_officer, path) == 200
    with access_cached():
        assert Report.objects.visible_to(fkub_officer).filter(pk=report.pk).exists()
    # and taken back without an action: the counter of this process
    report.shared_with.remove(forum)
    assert _status(fkub_officer, path) == 404


def test_an_incident_shared_and_revoked_counts_from_the_next_request(
    desa_reporter: Person, kesbangpol_analyst: Person, ppu_analyst: Person, kaltim: Region
) -> None:
    report = submit(desa_reporter, region_code="64.01.08.2008", classification="biasa").report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    path = f"/laporan/insiden/{incident.reference}/"
    ppu_tkd = Forum.objects.get(kind="TKD", jurisdiction_id="64.09")
    assert _status(ppu_analyst, path) == 404
    assert _status(ppu_analyst, path) == 404  # kept now
    as_if_in_another_process(
        lambda: share_incident(
            incident=incident, forum=ppu_tkd, reason="Warga kedua kabupaten terlibat.", by=kesbangpol_analyst
        )
    )
    assert _status(ppu_analyst, path) == 200
    with access_cached():
        assert Incident.objects.visible_to(ppu_analyst).filter(pk=incident.pk).exists()
    as_if_in_another_process(
        lambda: revoke_incident_share(incident=incident, forum=ppu_tkd, by=kesbangpol_analyst)
    )
    assert _status(ppu_analyst, path) == 404
    with access_cached():
        assert not Incident.objects.visible_to(ppu_analyst).filter(pk=incident.pk).exists()


def test_a_deactivated_or_promoted_account_is_never_answered_from_the_kept_seats(
    kesbangpol_analyst: Person,
) -> None:
    """The person's own flags come from the request's user, not from the kept answer."""
    _seats(kesbangpol_analyst)
    Person.objects.filter(pk=kesbangpol_analyst.pk).update(is_superuser=True)  # no signal, no audit
    kesbangpol_analyst.refresh_from_db()
    with access_cached():
        assert access_of(kesbangpol_analyst).superuser
    Person.objects.filter(pk=kesbangpol_analyst.pk).update(is_superuser=False, is_active=False)
    kesbangpol_analyst.refresh_from_db()
    with access_cached():
        assert not access_of(kesbangpol_analyst).active
