"""A missed deadline escalates one step: desa → kecamatan → TKD → FKPD, each step once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.forums.models import Forum
from waspada.reports.tests.factories import submit
from waspada.response import actions
from waspada.response.models import Disposition, Escalation
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def later(**delta: float):
    return timezone.now() + timedelta(**delta)


def test_nothing_escalates_before_the_deadline(desa_reporter, kesbangpol_analyst) -> None:
    verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    assert actions.escalate_overdue(now=later(hours=23)) == 0


def test_a_missed_siaga_deadline_escalates_fkub_to_the_tkd_once(desa_reporter, kesbangpol_analyst) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="waspada")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    tkd = report.dispositions.get(forum__code="TKD-6401")
    assert tkd.kind == "tembusan"

    assert actions.escalate_overdue(now=later(days=30)) >= 1
    tkd.refresh_from_db()
    # The TKD already had a copy: it now must act, with its own deadline.
    assert tkd.kind == "tindakan" and tkd.escalated_from_id == fkub.pk and tkd.due_at is not None
    assert Escalation.objects.get(disposition=fkub).to_disposition == tkd
    assert fkub.timeline.filter(kind="eskalasi").count() == 1
    # Sweeping again at the same moment changes nothing for the FKUB.
    actions.escalate_overdue(now=later(days=30))
    assert Escalation.objects.filter(disposition=fkub).count() == 1


def test_the_ladder_climbs_from_the_village_forum_to_forkopimda(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, isu="pemerintahan_desa", alert_level="waspada").report
    village = actions.add_disposition(
        report=report,
        forum=Forum.objects.get(code="FKDM-6401062006"),
        kind="tindakan",
        reason="Pantau musyawarah desa.",
        by=kesbangpol_analyst,
    )
    path = ["FKDM-6401062006"]
    current = village
    for step in range(3):
        assert actions.escalate_overdue(now=later(days=60 * (step + 1))) >= 1
        current = Escalation.objects.get(disposition=current).to_disposition
        path.append(current.forum.code)
    assert path == ["FKDM-6401062006", "FKDM-640106", "TKD-6401", "FKPD-6401"]
    # Above Forkopimda there is nowhere to go: recorded once, nothing new made.
    count = Disposition.objects.count()
    actions.escalate_overdue(now=later(days=400))
    top = Escalation.objects.get(disposition=current)
    assert top.to_disposition is None and "puncak" in top.note
    assert Disposition.objects.count() == count


def test_a_paused_disposition_does_not_escalate(desa_reporter, kesbangpol_analyst, fkub_officer) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    actions.acknowledge(disposition=fkub, by=fkub_officer)
    actions.pause(disposition=fkub, reason="Menunggu Timdu", by=fkub_officer)
    actions.escalate_overdue(now=later(days=30))
    assert not Escalation.objects.filter(disposition=fkub).exists()


def test_an_acknowledged_disposition_escalates_only_after_its_closing_deadline(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga").dispositions.get(
        forum__code="FKUB-6401"
    )
    fkub = actions.acknowledge(disposition=fkub, by=fkub_officer)
    actions.escalate_overdue(now=later(hours=25))  # past the 24-hour acknowledge deadline
    assert not Escalation.objects.filter(disposition=fkub).exists()
    actions.escalate_overdue(now=fkub.due_at + timedelta(minutes=1))
    assert Escalation.objects.filter(disposition=fkub).exists()
