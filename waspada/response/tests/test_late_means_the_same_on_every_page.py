"""One meaning of "late": home, inbox, situation dashboard, response metrics, the situation brief
and the API count the same dispositions, and an escalated one stays late for its forum."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.briefs.periods import BriefKind, calendar_period
from waspada.briefs.situation import gather
from waspada.response import actions, metrics
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, bnk_officer: Any) -> dict[str, int]:
    """On time, late, escalated, paused past its deadline, closed past its deadline."""
    analyst = kesbangpol_analyst

    def disposition(isu: str, forum: str) -> Disposition:
        return verified(desa_reporter, analyst, isu=isu).dispositions.get(forum__code=forum)

    on_time = actions.acknowledge(disposition=disposition("agama", "FKUB-6401"), by=fkub_officer)
    late = disposition("narkoba", "BNK-6401")
    escalated = disposition("orang_asing", "TIMPORA-6401")
    paused = actions.acknowledge(disposition=disposition("politik_pemilu", "POLITIK-6401"), by=analyst)
    actions.pause(disposition=paused, reason="Menunggu Bawaslu", by=analyst)
    closed = actions.acknowledge(disposition=disposition("sara_etnis", "FPK-6401"), by=analyst)
    actions.close(disposition=closed, outcome="tertangani", text="Damai", by=analyst)

    now = timezone.now()
    # Everything else routing made is on time; then the five get their deadlines.
    Disposition.objects.update(due_at=now + timedelta(days=3))
    past = now - timedelta(hours=2)
    Disposition.objects.filter(pk__in=[late.pk, escalated.pk, paused.pk, closed.pk]).update(due_at=past)
    assert actions.escalate(escalated.pk) is not None  # the next forum gets a fresh deadline
    return {
        "on_time": on_time.pk,
        "late": late.pk,
        "escalated": escalated.pk,
        "paused": paused.pk,
        "closed": closed.pk,
    }


def test_every_surface_counts_the_late_and_the_escalated_and_nothing_else(
    five: dict[str, int], kesbangpol_analyst: Any
) -> None:
    expected = {five["late"], five["escalated"]}
    assert set(Disposition.objects.late().values_list("pk", flat=True)) == expected
    assert {d.pk for d in Disposition.objects.all() if d.is_late} == expected
    by_forum = {"BNK-6401": 1, "TIMPORA-6401": 1}

    client = Client()
    client.force_login(kesbangpol_analyst)
    assert client.get("/").context["overdue_dispositions"] == 2

    inbox = client.get("/tindak-lanjut/?status=terbuka").content.decode()
    assert inbox.count('<span class="badge overdue">') == 2
    assert inbox.count("Dieskalasi") == 1  # the late forum's inbox says why it is still late

    rows = client.get("/situasi/").context["forum_rows"]
    assert {row["code"]: row["overdue"] for row in rows if row["overdue"]} == by_forum

    listed = client.get("/situasi/laporan/?disposition=terlambat").content.decode()
    late_refs = Disposition.objects.filter(pk__in=expected).values_list("report__reference", flat=True)
    other_refs = Disposition.objects.exclude(pk__in=expected).values_list("report__reference", flat=True)
    assert all(ref in listed for ref in late_refs)
    assert not any(ref in listed for ref in set(other_refs) - set(late_refs))

    result = metrics.compute(Disposition.objects.visible_to(kesbangpol_analyst))
    assert {row.key: row.overdue for row in result.by_forum if row.overdue} == by_forum
    assert sum(row.escalated for row in result.by_forum) == 1

    brief = gather(kesbangpol_analyst, calendar_period(BriefKind.MINGGUAN, timezone.localdate()))
    assert brief.overdue_dispositions == 2
    assert {d.pk for d in brief.overdue_list} == expected

    api = client.get("/api/v1/dispositions/?overdue=true").json()
    assert api["count"] == 2 and {row["id"] for row in api["items"]} == expected
    assert client.get(f"/api/v1/dispositions/{five['escalated']}").json()["overdue"] is True
    not_late = client.get("/api/v1/dispositions/?overdue=false").json()
    assert not {row["id"] for row in not_late["items"]} & expected


def test_the_escalated_forum_still_sees_its_disposition_as_late(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert actions.escalate_overdue() == 1
    client = Client()
    client.force_login(fkub_officer)
    assert client.get("/").context["overdue_dispositions"] == 1
    page = client.get(f"/tindak-lanjut/{fkub.pk}/").content.decode()
    assert '<span class="badge overdue">Terlambat</span>' in page
    # Acknowledged late and its clock then paused, it is still late: it was escalated.
    actions.acknowledge(disposition=fkub, by=fkub_officer)
    actions.pause(disposition=fkub, reason="Menunggu Timdu PKS", by=fkub_officer)
    assert client.get("/").context["overdue_dispositions"] == 1
    actions.close(disposition=fkub, outcome="tertangani", text="Damai", by=fkub_officer)
    assert client.get("/").context["overdue_dispositions"] == 0
