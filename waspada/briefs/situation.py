"""What one person's situation report holds, read only through the scoped querysets.

``gather(person, period)`` collects, for the installation's home region:

- the reports received in the period (``reported_at``; rejected ones left out) that ``person``
  may see, by isu and by kecamatan, beside the same counts for the previous period;
- the weekly trend (reports per week and alert level, the 13 weeks up to the period's end);
- the status of each kecamatan at the end of the period (``situation/status.py``);
- notable incidents: those ``person`` may see that occurred in the period, highest level first;
- open and late dispositions now (``Disposition.objects.visible_to(...).late(now)``, the one
  meaning of late, and, so that no title
  slips through a disposition, only those of reports ``person`` may see);
- response metrics by forum for the dispositions made in the period (``response/metrics.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from waspada.briefs.periods import Period
from waspada.detection.models import Signal
from waspada.regions.models import Level, Region, within_q
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel, Classification, Isu
from waspada.response import metrics
from waspada.response.models import Disposition
from waspada.situation.status import RegionStatus, region_statuses

if TYPE_CHECKING:
    from waspada.people.models import Person

TREND_WEEKS = 13
NOTABLE_LIMIT = 12
OVERDUE_LIMIT = 25
SIGNAL_LIMIT = 20
ALERT_LIMIT = 20


@dataclass
class CountRow:
    key: str
    label: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass
class Week:
    start: date
    counts: dict[str, int]  # alert level -> reports

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class SituationData:
    person: Person
    home: Region
    period: Period
    previous: Period
    generated_at: datetime
    total: int = 0
    previous_total: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_isu: list[CountRow] = field(default_factory=list)
    by_kecamatan: list[CountRow] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    statuses: dict[str, RegionStatus] = field(default_factory=dict)
    notable: list[Incident] = field(default_factory=list)
    open_dispositions: int = 0
    overdue_dispositions: int = 0
    overdue_list: list[Disposition] = field(default_factory=list)
    open_by_forum: list[tuple[str, int, int]] = field(default_factory=list)  # name, open, overdue
    metrics_by_forum: list[metrics.Row] = field(default_factory=list)
    # detection signals of the period and the CAP alert messages sent in it, as the reader may see
    signals: list[Signal] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)
    # counted in the picture but not named to this reader (``gather(counted_by=...)``)
    withheld_notable: int = 0
    withheld_overdue: int = 0

    @property
    def kecamatan_statuses(self) -> list[RegionStatus]:
        return sorted((s for s in self.statuses.values() if s.level == Level.KECAMATAN), key=lambda s: s.code)


def home_region() -> Region:
    return Region.objects.get(code=settings.WASPADA_HOME_REGION)


def period_reports(
    person: Person, home: Region, start: datetime, end: datetime, *, without_rahasia: bool = False
) -> Any:
    """The reports received in [start, end) inside ``home`` that ``person`` may see, not rejected
    (and, ``without_rahasia``, not classified rahasia)."""
    rows = Report.objects.filter(
        within_q(home.code),
        reported_at__gte=start,
        reported_at__lt=end,
    ).exclude(status=ReportStatus.DITOLAK)
    if without_rahasia:
        rows = rows.exclude(classification=Classification.RAHASIA)
    # filters first, then visible_to: the visibility subquery starts from the period's rows
    return rows.visible_to(person)


def _split_counts(rows: Any, key: str, middle: datetime) -> dict[str, tuple[int, int]]:
    """Counts per ``key`` before and after ``middle`` in one query: {key: (previous, current)}."""
    out: dict[str, tuple[int, int]] = {}
    counted = (
        rows.order_by()
        .values_list(key)
        .annotate(n=Count("pk"), c=Count("pk", filter=Q(reported_at__gte=middle)))
    )
    for value, total, now_count in counted:
        out[value] = (total - now_count, now_count)
    return out


def gather(
    person: Person,
    period: Period,
    *,
    now: datetime | None = None,
    region: Region | None = None,
    without_rahasia: bool = False,
    counted_by: Person | None = None,
) -> SituationData:
    """``region`` (default the home region) is the area reported on; ``without_rahasia`` leaves
    every rahasia report and incident out (the content a regency releases to the province).

    ``counted_by``: the person whose view gives the figures (a Lapsit's: its approver, the ketua of
    the regency's TKD, so that every recipient reads the jurisdiction's one picture: counts,
    statuses, signals). What names a report or incident (the notable incidents, the late
    dispositions' titles) is still only what ``person`` may see; the rest is counted in
    ``withheld_notable`` and ``withheld_overdue``, not named. CAP alerts are ``person``'s own."""
    reader = person
    person = counted_by or person
    now = now or timezone.now()
    home = region or home_region()
    previous = period.previous()
    start, end = period.bounds()
    prev_start, _prev_end = previous.bounds()
    data = SituationData(person=reader, home=home, period=period, previous=previous, generated_at=now)

    both = period_reports(person, home, prev_start, end, without_rahasia=without_rahasia)
    kec_length = len(home.code) + 3  # "64.01" -> "64.01.06"
    by_isu = _split_counts(both, "isu", start)
    by_kec = _split_counts(both.annotate(kec=Substr("region_id", 1, kec_length)), "kec", start)
    data.previous_total = sum(p for p, _c in by_isu.values())
    data.total = sum(c for _p, c in by_isu.values())
    labels = dict(Isu.choices)
    data.by_isu = sorted(
        (CountRow(key, str(labels.get(key, key)), c, p) for key, (p, c) in by_isu.items()),
        key=lambda r: (-r.current, -r.previous, r.label),
    )
    kecamatan = dict(Region.objects.within(home).filter(level=Level.KECAMATAN).values_list("code", "name"))
    rows = [CountRow(code, name, *reversed(by_kec.get(code, (0, 0)))) for code, name in kecamatan.items()]
    # reports located at the regency itself, or outside any kecamatan loaded
    for code, (p, c) in by_kec.items():
        if code not in kecamatan:
            rows.append(CountRow(code, code, c, p))
    data.by_kecamatan = sorted(rows, key=lambda r: r.key)
    data.by_level = dict(
        both.filter(reported_at__gte=start).order_by().values_list("alert_level").annotate(n=Count("pk"))
    )

    # weekly trend, the weeks up to the period's end
    last_week = period.end - timedelta(days=period.end.weekday())
    first_week = last_week - timedelta(weeks=TREND_WEEKS - 1)
    zone = timezone.get_current_timezone()
    trend_start = datetime.combine(first_week, datetime.min.time(), tzinfo=zone)
    weekly = (
        period_reports(person, home, trend_start, end, without_rahasia=without_rahasia)
        .order_by()
        .annotate(week=TruncWeek("reported_at", tzinfo=zone))
        .values_list("week", "alert_level")
        .annotate(n=Count("pk"))
    )
    per_week: dict[date, dict[str, int]] = {}
    for week, level, n in weekly:
        day = week.date() if hasattr(week, "date") else week
        per_week.setdefault(day, {})[level] = n
    data.weeks = [
        Week(first_week + timedelta(weeks=i), per_week.get(first_week + timedelta(weeks=i), {}))
        for i in range(TREND_WEEKS)
    ]

    data.statuses = region_statuses(person, home, now=min(end, now))

    incidents = Incident.objects.all()
    if without_rahasia:
        # neither a rahasia incident nor one holding a rahasia report
        incidents = incidents.exclude(classification=Classification.RAHASIA).exclude(
            pk__in=Report.objects.filter(
                classification=Classification.RAHASIA, incident__isnull=False
            ).values("incident_id")
        )
    data.notable = list(
        incidents.visible_to(person)
        .filter(
            within_q(home.code),
            merged_into__isnull=True,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .select_related("region__parent")
        .order_by("-occurred_at", "-pk")[:500]
    )
    data.notable.sort(key=lambda i: (-ALERT_RANK[i.alert_level], -i.occurred_at.timestamp()))
    data.notable = [i for i in data.notable if ALERT_RANK[i.alert_level] >= 1][:NOTABLE_LIMIT]

    visible_reports = Report.objects.filter(within_q(home.code)).visible_to(person)
    if without_rahasia:
        visible_reports = visible_reports.exclude(classification=Classification.RAHASIA)
    dispositions = Disposition.objects.visible_to(person).filter(report__in=visible_reports.values("pk"))
    open_rows = dispositions.open()
    overdue = dispositions.late(now)
    data.open_dispositions = open_rows.count()
    data.overdue_dispositions = overdue.count()
    data.overdue_list = list(
        overdue.select_related("report", "forum").order_by("due_at", "pk")[:OVERDUE_LIMIT]
    )
    open_by = dict(open_rows.order_by().values_list("forum__name").annotate(n=Count("pk")))
    overdue_by = dict(overdue.order_by().values_list("forum__name").annotate(n=Count("pk")))
    data.open_by_forum = sorted(
        ((name, n, overdue_by.get(name, 0)) for name, n in open_by.items()),
        key=lambda r: (-r[2], -r[1], r[0]),
    )

    made_in_period = dispositions.filter(created_at__gte=start, created_at__lt=end)
    data.metrics_by_forum = metrics.compute(made_in_period, days=(now - start).days + 1).by_forum

    if reader.pk != person.pk:
        seen = set(
            Incident.objects.visible_to(reader)
            .filter(pk__in=[i.pk for i in data.notable])
            .values_list("pk", flat=True)
        )
        data.withheld_notable = sum(1 for i in data.notable if i.pk not in seen)
        data.notable = [i for i in data.notable if i.pk in seen]
        readable = set(
            Report.objects.visible_to(reader)
            .filter(pk__in=[d.report_id for d in data.overdue_list])
            .values_list("pk", flat=True)
        )
        data.withheld_overdue = sum(1 for d in data.overdue_list if d.report_id not in readable)
        data.overdue_list = [d for d in data.overdue_list if d.report_id in readable]

    if not without_rahasia:
        data.signals = list(
            Signal.objects.visible_to(person)
            .events()  # one per event (detection/grouping.py)
            .filter(within_q(home.code), period_end__gte=period.start, period_start__lte=period.end)
            .select_related("region")
            .order_by("-period_end", "region_id", "isu", "pk")[:SIGNAL_LIMIT]
        )
        data.alerts = list(
            _alerts()
            .objects.visible_to(person)
            .filter(within_q(home.code), sent__gte=start, sent__lt=end)
            .select_related("region")
            .order_by("-sent", "-pk")[:ALERT_LIMIT]
        )
    return data


def _alerts() -> Any:
    """The CAP alert model of the exchange app, a sibling of briefs in the layers (neither imports
    the other's modules): looked up through the app registry, read only through ``visible_to``."""
    from django.apps import apps

    return apps.get_model("exchange", "Alert")


def level_label(level: str) -> str:
    return str(AlertLevel(level).label)
