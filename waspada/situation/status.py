"""Region status (normal / waspada / siaga / awas) for each kecamatan and desa: the rule.

docs/situation.md states the same rule for people; keep the two in step.

1. Only incidents count (each verified report belongs to one, so a story told by ten reports
   counts once), not merged into another, with at least one verified report, that occurred in
   the last ``WINDOW_DAYS`` days (14).
2. An incident counts at its own alert level for its first ``FULL_DAYS`` days (7), then one
   level lower (awas → siaga, siaga → waspada, waspada → normal) until it leaves the window.
3. A region's status is the highest level counted among the incidents inside it (a kecamatan
   holds its own incidents and those of its villages).
4. ``CLUSTER`` (3) or more incidents counted at waspada or higher raise the status to at least
   siaga: many smaller troubles in one place are a pattern. Counts alone never make ``awas``:
   that takes an incident a person judged ``awas``.
5. A status Kesbangpol set by hand (with a reason and an expiry) replaces the computed one until
   it expires or is lifted.

Whose incidents count (rule 13 of ``reports/visibility.py``): for a member of a TKD or a
Forkopimda, every incident of their seats' areas, whatever its classification, so the Bupati's
map shows the colours the analyst's shows (a colour is a count, not a reading: the incidents
behind it still open only for those who may open them); for anyone else, the incidents they may
open (``Incident.objects.visible_to``), and the page says so. The statuses set by hand are seen
by everyone who may open the situation pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.regions.models import Level, Region, within_q
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel
from waspada.reports.visibility import picture_incidents

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.situation.models import StatusOverride

LEVELS_BY_RANK = {rank: level for level, rank in ALERT_RANK.items()}


def window_days() -> int:
    return int(getattr(settings, "WASPADA_STATUS_WINDOW_DAYS", 14))


def full_days() -> int:
    return int(getattr(settings, "WASPADA_STATUS_FULL_DAYS", 7))


def cluster_size() -> int:
    return int(getattr(settings, "WASPADA_STATUS_CLUSTER", 3))


@dataclass
class RegionStatus:
    code: str
    name: str
    level: int  # Level.KECAMATAN or Level.DESA
    computed: str = AlertLevel.NORMAL
    incidents: int = 0  # incidents counted inside the window
    alerting: int = 0  # of which counted at waspada or higher
    override: StatusOverride | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.override.status if self.override is not None else self.computed

    @property
    def rank(self) -> int:
        return ALERT_RANK[self.status]


def counted_level(level: str, occurred_at: datetime, now: datetime) -> str:
    """Rule 2: the level an incident counts at, given its age."""
    if now - occurred_at <= timedelta(days=full_days()):
        return level
    return LEVELS_BY_RANK[max(ALERT_RANK[level] - 1, 0)]


def status_from_levels(levels: Iterable[str]) -> tuple[str, int, list[str]]:
    """Rules 3 and 4 over the counted levels of a region's incidents: (status, alerting, reasons)."""
    levels = list(levels)
    if not levels:
        return AlertLevel.NORMAL, 0, []
    highest = max(levels, key=lambda level: ALERT_RANK[level])
    alerting = sum(1 for level in levels if ALERT_RANK[level] >= ALERT_RANK[AlertLevel.WASPADA])
    reasons = [
        _("%(n)d insiden dalam %(days)d hari terakhir; tertinggi: %(level)s.")
        % {"n": len(levels), "days": window_days(), "level": AlertLevel(highest).label}
    ]
    status = highest
    if alerting >= cluster_size() and ALERT_RANK[status] < ALERT_RANK[AlertLevel.SIAGA]:
        status = AlertLevel.SIAGA
        reasons.append(
            _("%(n)d insiden berstatus waspada atau lebih tinggi: paling sedikit siaga.") % {"n": alerting}
        )
    return status, alerting, reasons


def counted_incidents(person: Person | None, root: Region, now: datetime) -> list[tuple[str, str]]:
    """Rule 1: (region code, counted level) of each incident of ``person``'s picture inside ``root``
    (``person`` None: every incident inside ``root``, the assessed picture with no person)."""
    verified = Report.objects.filter(incident=OuterRef("pk"), status=ReportStatus.TERVERIFIKASI)
    incidents = (
        Incident.objects.filter(within_q(root.code))
        if person is None
        else picture_incidents(Incident.objects.all(), person, within=root.code)  # filters to ``root`` too
    )
    rows = (
        incidents.filter(
            merged_into__isnull=True,
            occurred_at__gte=now - timedelta(days=window_days()),
            occurred_at__lte=now,
        )
        .filter(Exists(verified))
        .values_list("region_id", "alert_level", "occurred_at")
    )
    return [(code, counted_level(level, occurred_at, now)) for code, level, occurred_at in rows]


def region_statuses(
    person: Person | None, root: Region | None = None, *, now: datetime | None = None
) -> dict[str, RegionStatus]:
    """The status of every kecamatan and desa inside ``root`` (the installation's home region);
    ``person`` None: from every incident inside ``root`` (the command-room wall)."""
    from waspada.situation.models import StatusOverride

    now = now or timezone.now()
    root = root or Region.objects.get(code=settings.WASPADA_HOME_REGION)
    statuses = {
        code: RegionStatus(code=code, name=name, level=level)
        for code, name, level in Region.objects.within(root)
        .filter(level__in=(Level.KECAMATAN, Level.DESA))
        .values_list("code", "name", "level")
    }
    levels: dict[str, list[str]] = defaultdict(list)
    for code, level in counted_incidents(person, root, now):
        parts = code.split(".")
        # the incident's own region and each kecamatan/desa above it (codes are dotted prefixes)
        for depth in range(3, len(parts) + 1):
            levels[".".join(parts[:depth])].append(level)
    for code, region_levels in levels.items():
        if code in statuses:
            entry = statuses[code]
            entry.computed, entry.alerting, entry.reasons = status_from_levels(region_levels)
            entry.incidents = len(region_levels)
    for override in StatusOverride.objects.in_force(now).filter(region_id__in=list(statuses)):
        entry = statuses[override.region_id]
        entry.override = override
        entry.reasons.append(
            _("Ditetapkan Kesbangpol sampai %(until)s: %(reason)s")
            % {
                "until": timezone.localtime(override.expires_at).strftime("%d-%m-%Y %H:%M"),
                "reason": override.reason,
            }
        )
    return statuses
