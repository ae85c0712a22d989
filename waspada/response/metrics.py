"""Response metrics, per forum and per kecamatan, fair to forums that had to wait.

For the "perlu tindakan" dispositions made in the period, within what the viewer may see:

- time to acknowledge: median hours from disposition to acknowledgement;
- time to close: median hours from disposition to closure, minus the time the clock was paused
  (the paused time is shown separately, so a forum waiting on another is not blamed for it);
- late: how many are late now, by the one meaning of late (``models.late_q``: open and escalated,
  or open past a running deadline), and its share;
- escalated: how many were escalated for lateness, closed ones included (the history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.utils import timezone

from waspada.response.models import DispositionKind, DispositionStatus


@dataclass
class Row:
    key: str
    label: str
    total: int = 0
    open: int = 0
    closed: int = 0
    overdue: int = 0
    escalated: int = 0
    ack_hours: list[float] = field(default_factory=list)
    close_hours: list[float] = field(default_factory=list)
    paused_hours: float = 0.0

    @property
    def median_ack_hours(self) -> float | None:
        return round(median(self.ack_hours), 1) if self.ack_hours else None

    @property
    def median_close_hours(self) -> float | None:
        return round(median(self.close_hours), 1) if self.close_hours else None

    @property
    def overdue_share(self) -> float | None:
        return round(self.overdue / self.total, 3) if self.total else None

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "total": self.total,
            "open": self.open,
            "closed": self.closed,
            "overdue": self.overdue,
            "overdue_share": self.overdue_share,
            "escalated": self.escalated,
            "median_ack_hours": self.median_ack_hours,
            "median_close_hours": self.median_close_hours,
            "paused_hours": round(self.paused_hours, 1),
        }


@dataclass
class Metrics:
    days: int
    by_forum: list[Row]
    by_kecamatan: list[Row]


def _hours(delta: timedelta) -> float:
    return max(delta.total_seconds(), 0) / 3600


def compute(dispositions: object, days: int = 90, now: datetime | None = None) -> Metrics:
    """``dispositions``: a queryset already scoped to the viewer (``visible_to``)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = (
        dispositions.filter(kind=DispositionKind.TINDAKAN, created_at__gte=since)  # type: ignore[attr-defined]
        .exclude(status=DispositionStatus.DITARIK)
        .select_related("forum", "report__region__parent", "escalation")
    )
    forums: dict[str, Row] = {}
    districts: dict[str, Row] = {}
    for d in rows:
        region = d.report.region
        district = region if region.level == 3 else region.parent
        targets = [
            forums.setdefault(d.forum.code, Row(key=d.forum.code, label=d.forum.name)),
            districts.setdefault(district.code, Row(key=district.code, label=district.name)),
        ]
        escalated = hasattr(d, "escalation")
        late_now = d.is_late_at(now)
        paused = d.paused_duration()
        for row in targets:
            row.total += 1
            row.open += int(d.is_open)
            row.closed += int(d.status == DispositionStatus.SELESAI)
            row.overdue += int(late_now)
            row.escalated += int(escalated)
            row.paused_hours += _hours(paused)
            if d.acknowledged_at:
                row.ack_hours.append(_hours(d.acknowledged_at - d.created_at))
            if d.closed_at and d.status == DispositionStatus.SELESAI:
                row.close_hours.append(_hours(d.closed_at - d.created_at - paused))
    return Metrics(
        days=days,
        by_forum=sorted(forums.values(), key=lambda r: r.key),
        by_kecamatan=sorted(districts.values(), key=lambda r: r.key),
    )
