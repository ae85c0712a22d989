"""The reports rollup (reports/rollups.py) equals a direct GROUP BY of the reports, bucket for
bucket, after a seeded run of random changes through the real actions: filing (with every isu,
level, classification and place, at times either side of midnight WITA), verifying with
corrections of isu, level and place, rejecting, verifying again, merging and splitting incidents."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from waspada.regions.models import Region
from waspada.reports.actions import (
    Reclassification,
    merge_incidents,
    reject_report,
    split_incident,
    verify_report,
)
from waspada.reports.models import Incident, Report, ReportRollup, ReportStatus
from waspada.reports.rollups import differences, direct_counts, rollup_counts
from waspada.reports.taxonomy import AlertLevel, Classification, Isu
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

STEPS = 120


def _moment(rng: random.Random) -> datetime:
    """A time in the last 40 days, often within minutes of midnight WITA (16:00 UTC)."""
    today = datetime.now(UTC).replace(hour=16, minute=0, second=0, microsecond=0) - timedelta(days=1)
    day = today - timedelta(days=rng.randrange(40))
    if rng.random() < 0.5:
        return day + timedelta(minutes=rng.choice([-3, -1, 0, 1, 2]))
    return day + timedelta(minutes=rng.randrange(24 * 60))


def _run(rng: random.Random, reporters: list, analyst) -> dict[str, int]:
    places = list(
        Region.objects.filter(code__startswith="64.01.", level__in=[3, 4])
        .order_by("code")
        .values_list("code", flat=True)
    )
    done: dict[str, int] = {}
    for _step in range(STEPS):
        reports = list(Report.objects.order_by("pk"))
        baru = [r for r in reports if r.status in (ReportStatus.BARU, ReportStatus.DITOLAK)]
        incidents = list(Incident.objects.filter(merged_into__isnull=True).order_by("pk"))
        choice = rng.random()
        if choice < 0.4 or not reports:
            when = _moment(rng)
            submit(
                rng.choice(reporters),
                isu=rng.choice(Isu.values),
                alert_level=rng.choice([AlertLevel.NORMAL, AlertLevel.WASPADA, AlertLevel.SIAGA]),
                classification=rng.choice(Classification.values),
                region_code=rng.choice(places),
                reported_at=when,
                occurred_at=when - timedelta(hours=1),
            )
            kind = "submit"
        elif choice < 0.7 and baru:
            corrections = Reclassification(
                isu=rng.choice([None, *Isu.values]),
                alert_level=rng.choice([None, AlertLevel.NORMAL, AlertLevel.WASPADA, AlertLevel.SIAGA]),
                region_code=rng.choice([None, *places]),
            )
            into = rng.choice([None, *incidents]) if incidents else None
            verify_report(report=rng.choice(baru), by=analyst, incident=into, corrections=corrections)
            kind = "verify"
        elif choice < 0.82:
            reject_report(report=rng.choice(reports), by=analyst, reason="Tidak terbukti")
            kind = "reject"
        elif choice < 0.92 and len(incidents) >= 2:
            target, source = rng.sample(incidents, 2)
            merge_incidents(target=target, sources=[source], by=analyst, reason="Kejadian yang sama")
            kind = "merge"
        else:
            splittable = [i for i in incidents if i.reports.count() >= 2]
            if not splittable:
                continue
            incident = rng.choice(splittable)
            split_incident(incident=incident, reports=list(incident.reports.order_by("pk"))[:1], by=analyst)
            kind = "split"
        done[kind] = done.get(kind, 0) + 1
    return done


def test_the_rollup_equals_a_direct_count_after_random_changes_through_the_actions(
    desa_reporter, kecamatan_fkdm_chair, kesbangpol_analyst
) -> None:
    done = _run(random.Random(25), [desa_reporter, kecamatan_fkdm_chair], kesbangpol_analyst)
    assert {"submit", "verify", "reject", "merge", "split"} <= done.keys(), done  # every kind ran
    direct = direct_counts()
    assert sum(direct.values()) == Report.objects.count() > 30
    assert len({bucket[0] for bucket in direct}) > 10  # many days, not one bucket
    assert rollup_counts() == direct
    assert differences() == {}


def test_a_day_is_the_local_day_of_the_report(desa_reporter) -> None:
    """23:30 UTC is 07:30 the next morning in WITA: the report counts on the WITA day."""
    when = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    submit(desa_reporter, reported_at=when, occurred_at=when - timedelta(hours=1))
    assert [day.isoformat() for day, *_rest in rollup_counts()] == ["2026-03-10"]
    assert rollup_counts() == direct_counts()


def test_rebuild_and_check_find_and_mend_a_drifted_rollup(desa_reporter, kesbangpol_analyst) -> None:
    verify_report(report=submit(desa_reporter).report, by=kesbangpol_analyst)
    submit(desa_reporter, alert_level="siaga")
    call_command("rebuild_rollups", "--check")  # equal: exits 0
    ReportRollup.objects.filter(alert_level="siaga").update(n=F("n") + 2)  # a drift by hand
    with pytest.raises(CommandError) as refused:
        call_command("rebuild_rollups", "--check")
    assert refused.value.returncode == 1
    assert len(differences()) == 1
    call_command("rebuild_rollups")
    assert differences() == {}
    assert not ReportRollup.objects.filter(n=0).exists()
