"""The province's roll-up: one row per regency of the province, for the province's Kesbangpol.

Who may open it (``may_see_rollup``): a current seat in the province's TKD (Kesbangpol
provinsi) or the province's Forkopimda (the Gubernur's), and superusers. Nobody else: a
regency's people have their own dashboard.

What each row holds. The status, the report counts and the dispositions' counts are the
province's assessed picture (rule 13 of ``reports/visibility.py``): the same for every member of
the province's TKD and Forkopimda, whatever the classification of the reports counted; signals
are read through the scoped querysets (``visible_to``):

- the regency's **assessed status**: the worst status of its kecamatan and villages in
  ``status.region_statuses`` (the documented rule, Kesbangpol's overrides included), with how
  many of its regions are above normal;
- reports in the period by isu and by alert level (as the dashboard counts them: by the time
  they were reported);
- open and late dispositions on its reports (``Disposition.objects.late()``: the one meaning);
- detection signals in the period, with the province's own (a signal on the province region).

``withheld`` says, in words, how many reports of the picture the reader may not open, and that
signals are for the TKD's senior roles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from waspada.detection.models import Signal
from waspada.forums.models import Forum, ForumKind, ForumLevel, Membership
from waspada.regions.models import Level, Region, within_q
from waspada.reports.models import Report
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel, Classification
from waspada.reports.visibility import SENIOR_ROLES, sees_whole_picture, withheld_by_classification
from waspada.response.models import Disposition
from waspada.situation.filters import Filters
from waspada.situation.status import region_statuses

if TYPE_CHECKING:
    from waspada.people.models import Person

REGENCY_CODE = 5  # "64.09": the first five characters of every region code below a regency
SIGNALS_PER_REGENCY = 8
ROLLUP_FORUM_KINDS = (ForumKind.TKD, ForumKind.FKPD)


@dataclass
class RegencyRow:
    code: str
    name: str
    status: str = AlertLevel.NORMAL
    regions_above_normal: int = 0
    overrides: int = 0
    has_boundary: bool = False
    has_own_tkd: bool = False
    reports: int = 0
    by_isu: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    open_dispositions: int = 0
    late_dispositions: int = 0
    signals: list[Signal] = field(default_factory=list)
    signal_count: int = 0

    @property
    def rank(self) -> int:
        return ALERT_RANK[self.status]


@dataclass
class Rollup:
    province: Region
    since: date
    until: date
    rows: list[RegencyRow]
    province_signals: list[Signal]
    province_signal_count: int
    sees_signals: bool
    withheld: list[str]
    isus: list[str]  # the isu columns, those with at least one report
    totals: RegencyRow


def rollup_provinces(person: Person) -> list[str]:
    """The province codes whose roll-up ``person`` may open (superusers: the home region's)."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return []
    codes = sorted(
        set(
            Membership.objects.current()
            .filter(
                person_id=person.pk,
                forum__kind__in=ROLLUP_FORUM_KINDS,
                forum__level=ForumLevel.PROVINSI,
                forum__is_active=True,
            )
            .values_list("forum__jurisdiction_id", flat=True)
        )
    )
    if person.is_superuser:
        home = settings.WASPADA_HOME_REGION.split(".")[0]
        if home not in codes and Region.objects.filter(code=home, level=Level.PROVINSI).exists():
            codes.insert(0, home)
    return codes


def may_see_rollup(person: Person) -> bool:
    return bool(rollup_provinces(person))


def _withheld(person: Person, province: Region, closed: dict[str, int]) -> tuple[list[str], bool]:
    """What the reader may not open of the picture (rule 13: the numbers and statuses count it all
    the same), and whether they see signals."""
    if person.is_superuser:
        return [], True
    senior_tkd = Membership.objects.current().filter(
        person_id=person.pk,
        forum__kind=ForumKind.TKD,
        forum__jurisdiction_id=province.code,
        role__in=list(SENIOR_ROLES),
    )
    if senior_tkd.exists():
        return [], True
    notes = []
    total = sum(closed.values())
    if total:
        labels = dict(Classification.choices)
        parts = ", ".join(
            f"{str(labels[c]).lower()} {closed[c]}" for c in Classification.values if closed.get(c)
        )
        notes.append(
            _(
                "%(n)d laporan dalam gambaran ini tidak dapat Anda buka (%(parts)s). Angka dan status "
                "di halaman ini tetap menghitungnya: ini gambaran yang sama dengan yang dilihat "
                "Kesbangpol provinsi."
            )
            % {"n": total, "parts": parts}
        )
    notes.append(_("Sinyal deteksi dini hanya ditampilkan kepada jajaran senior TKD."))
    return notes, False


def build_rollup(person: Person, province: Region, filters: Filters) -> Rollup:
    """The roll-up of ``province`` for ``person`` over ``filters``' period (since/until set)."""
    assert filters.since is not None and filters.until is not None
    regencies = list(
        Region.objects.filter(parent=province, level=Level.KABUPATEN).order_by("code").only("code", "name")
    )
    rows = {r.code: RegencyRow(code=r.code, name=r.name) for r in regencies}
    with_boundary = set(
        Region.objects.filter(code__in=list(rows), boundary__isnull=False).values_list("code", flat=True)
    )
    with_tkd = set(
        Forum.objects.active()
        .filter(kind=ForumKind.TKD, jurisdiction_id__in=list(rows))
        .values_list("jurisdiction_id", flat=True)
    )
    for code, row in rows.items():
        row.has_boundary = code in with_boundary
        row.has_own_tkd = code in with_tkd

    # 1. the assessed status: the worst of the regency's regions (status.py's rule, overrides included)
    for entry in region_statuses(person, province).values():
        if entry.code[:REGENCY_CODE] not in rows:
            continue
        row = rows[entry.code[:REGENCY_CODE]]
        if entry.rank > row.rank:
            row.status = entry.status
        if entry.status != AlertLevel.NORMAL:
            row.regions_above_normal += 1
        if entry.override is not None:
            row.overrides += 1

    # 2. reports in the period, by isu and by level: the province's whole picture for its TKD and
    # Forkopimda (rule 13), what the reader may open otherwise
    period = Filters(since=filters.since, until=filters.until).apply_reports(
        Report.objects.filter(within_q(province.code)), search=False
    )
    whole = sees_whole_picture(person, province.code)
    counted = period if whole else period.visible_to(person, within=province.code)
    reports = counted.order_by().annotate(regency=Substr("region_id", 1, REGENCY_CODE))
    isus: set[str] = set()
    for code, isu, n in reports.values_list("regency", "isu").annotate(n=Count("pk")):
        if code in rows:
            rows[code].by_isu[isu] = n
            rows[code].reports += n
            isus.add(isu)
    for code, level, n in reports.values_list("regency", "alert_level").annotate(n=Count("pk")):
        if code in rows:
            rows[code].by_level[level] = n

    # 3. dispositions on the regency's reports: open, and late by the one meaning of late
    dispositions = Disposition.objects.filter(within_q(province.code, "report__region"))
    if not whole:
        dispositions = dispositions.visible_to(person)
    regency = Substr("report__region_id", 1, REGENCY_CODE)
    for code, n in dispositions.open().order_by().values_list(regency).annotate(n=Count("pk")):
        if code in rows:
            rows[code].open_dispositions = n
    for code, n in dispositions.late().order_by().values_list(regency).annotate(n=Count("pk")):
        if code in rows:
            rows[code].late_dispositions = n

    # 4. signals in the period, grouped by regency; the province's own apart
    withheld, sees_signals = _withheld(person, province, withheld_by_classification(period, person))
    signals = (
        Signal.objects.visible_to(person)
        .events()  # one per event: a detection that joined one is part of it (detection/grouping.py)
        .filter(within_q(province.code), period_end__gte=filters.since, period_start__lte=filters.until)
        .select_related("region")
        .order_by("-period_end", "-pk")
    )
    province_signals: list[Signal] = []
    province_signal_count = 0
    grouped: dict[str, list[Signal]] = defaultdict(list)
    for signal in signals:
        code = signal.region_id[:REGENCY_CODE] if len(signal.region_id) >= REGENCY_CODE else ""
        if code in rows:
            grouped[code].append(signal)
        else:
            province_signal_count += 1
            if len(province_signals) < SIGNALS_PER_REGENCY:
                province_signals.append(signal)
    for code, found in grouped.items():
        rows[code].signal_count = len(found)
        rows[code].signals = found[:SIGNALS_PER_REGENCY]

    ordered = sorted(rows.values(), key=lambda r: (-r.rank, -r.late_dispositions, -r.reports, r.code))
    totals = RegencyRow(code=province.code, name=province.name)
    for row in ordered:
        totals.reports += row.reports
        totals.open_dispositions += row.open_dispositions
        totals.late_dispositions += row.late_dispositions
        totals.signal_count += row.signal_count
        totals.regions_above_normal += row.regions_above_normal
        if row.rank > totals.rank:
            totals.status = row.status
        for isu, n in row.by_isu.items():
            totals.by_isu[isu] = totals.by_isu.get(isu, 0) + n
        for level, n in row.by_level.items():
            totals.by_level[level] = totals.by_level.get(level, 0) + n
    totals.signal_count += province_signal_count
    return Rollup(
        province=province,
        since=filters.since,
        until=filters.until,
        rows=ordered,
        province_signals=province_signals,
        province_signal_count=province_signal_count,
        sees_signals=sees_signals,
        withheld=withheld,
        isus=sorted(isus, key=lambda isu: (-totals.by_isu[isu], isu)),
        totals=totals,
    )
