"""The evidence behind a signal: its weekly series with the expected value and threshold of each
week, drawn as a chart on the server, and a scan cluster's villages drawn on the map.

The series is the event's own region and isu, the last ``CHART_WEEKS`` weeks up to the signal's
week, observed from the installation's first day (``series.observed_from``, as the run does).
Each week's expected value and threshold are those the headline detector (``grouping.py``) gives
when that week is taken as the current one, from the weeks before it only; a week is marked when
that detector alarms on it (and it holds at least ``engine.MIN_OBSERVED`` reports, as for every
signal). Detectors that need more history than a week has give no line for it.

The death rule (``deaths.py``) counts no weekly series: one report stating a death is a signal.
Its chart (``death_series``) is what the rule looks at: the reports of the region and isu that
state at least one death and are not rejected, per week, verified or not, against the rule's
threshold of one; there is no expected value to draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from waspada.detection import engine
from waspada.detection.detectors import ears, rules
from waspada.detection.detectors.cusum import nb_cusum
from waspada.detection.detectors.farrington import farrington_flexible
from waspada.detection.detectors.farrington2w import farrington_two_weeks
from waspada.detection.detectors.result import Detection
from waspada.detection.models import CountBucket, Period, SeriesKind, Signal
from waspada.detection.series import local_day, observed_from, week_start
from waspada.regions.models import Region
from waspada.reports.taxonomy import AlertLevel
from waspada.situation import mapsvg

CHART_WEEKS = 26
HISTORY_WEEKS = 52 * 5 + 4


@dataclass(frozen=True)
class Week:
    start: date
    count: float
    expected: float | None
    threshold: float | None
    alarm: bool
    in_signal: bool


def _judge(detector: str, y: np.ndarray) -> Detection | None:
    try:
        if detector == "ears_c1":
            return ears.c1(y)
        if detector == "ears_c2":
            return ears.c2(y)
        if detector == "ears_c3":
            return ears.c3(y)
        if detector == "surge":
            return rules.surge(y)
        if detector == "change_level":
            return rules.change_level(y)[1] if y.size >= 56 else None
        if detector == "farrington":
            return farrington_flexible(y)
        if detector == "farrington2w":
            return farrington_two_weeks(y)
        if detector == "nb_cusum":
            return nb_cusum(y, kappa=engine.CUSUM_KAPPA, h=engine.CUSUM_H, run_weeks=engine.CUSUM_RUN_WEEKS)
    except ValueError:
        return None  # too little history for this detector yet
    return None


def chart_detector(signal: Signal) -> str:
    """The detector whose expected value and threshold the chart draws: the headline's when it
    is a weekly count detector or the death rule, else EARS C2 (the scan counts days)."""
    head = signal.headline
    if head.detector == "kematian":
        return "kematian"
    weekly = {
        "ears_c1",
        "ears_c2",
        "ears_c3",
        "surge",
        "change_level",
        "farrington",
        "farrington2w",
        "nb_cusum",
    }
    if head.detector in weekly and head.series == SeriesKind.JUMLAH:
        return head.detector
    return "ears_c2"


def death_series(signal: Signal, weeks: int = CHART_WEEKS) -> list[Week]:
    """The death rule's evidence: reports of the signal's region and isu stating a death, not
    rejected, per week (oldest first, ending with the signal's week), the threshold one."""
    from waspada.reports.models import Report, ReportStatus

    current = week_start(signal.period_end)
    first = current - timedelta(weeks=weeks - 1)
    counts: dict[date, int] = {}
    for occurred in (
        Report.objects.filter(
            region_id=signal.region_id,
            isu=signal.isu,
            casualties_dead__gte=1,
            occurred_at__date__gte=first - timedelta(days=1),
        )
        .exclude(status=ReportStatus.DITOLAK)
        .values_list("occurred_at", flat=True)
    ):
        week = week_start(local_day(occurred))
        if first <= week <= current:
            counts[week] = counts.get(week, 0) + 1
    signal_first = week_start(signal.period_start)
    out: list[Week] = []
    for i in range(weeks):
        day = first + timedelta(weeks=i)
        n = counts.get(day, 0)
        out.append(
            Week(
                start=day,
                count=float(n),
                expected=None,
                threshold=1.0,
                alarm=n >= 1,
                in_signal=signal_first <= day <= current,
            )
        )
    return out


def weekly_series(signal: Signal, weeks: int = CHART_WEEKS) -> list[Week]:
    """The event's weekly counts, oldest first, ending with the week of its end (for the death
    rule, ``death_series``)."""
    if signal.headline.detector == "kematian":
        return death_series(signal, weeks)
    current = week_start(signal.period_end)
    first = current - timedelta(weeks=HISTORY_WEEKS - 1)
    start = observed_from()
    if start is not None:
        first = max(first, week_start(start))
    rows = dict(
        CountBucket.objects.filter(
            region_id=signal.region_id,
            isu=signal.isu,
            period=Period.MINGGU,
            start__gte=first,
            start__lte=current,
        ).values_list("start", "count")
    )
    if start is None and rows:
        first = min(rows)
    n = (current - first).days // 7 + 1
    y = np.array([float(rows.get(first + timedelta(weeks=i), 0)) for i in range(n)])
    detector = chart_detector(signal)
    signal_first = week_start(signal.period_start)
    out: list[Week] = []
    for i in range(n - weeks, n):  # weeks before the first observed one: none counted, no baseline
        found = _judge(detector, y[: i + 1]) if i + 1 >= 15 else None
        day = first + timedelta(weeks=i)
        out.append(
            Week(
                start=day,
                count=y[i] if i >= 0 else 0.0,
                expected=None if found is None else round(float(found.expected), 3),
                threshold=None if found is None else round(float(found.threshold), 3),
                alarm=bool(found is not None and found.alarm and found.observed >= engine.MIN_OBSERVED),
                in_signal=signal_first <= day <= current,
            )
        )
    return out


def chart(series: list[Week], *, label: str) -> SafeString:
    """Columns for the counts (an alarm week in red, the signal's weeks outlined), a dashed line
    for the expected value and a solid one for the threshold; numbers as text and <title>."""
    width, height, top, bottom, left = 640, 200, 16, 30, 28
    plot = height - top - bottom
    values = (
        [w.count for w in series] + [w.threshold or 0 for w in series] + [w.expected or 0 for w in series]
    )
    peak = max(values, default=0) or 1
    step = (width - left) / max(len(series), 1)
    bar = max(step * 0.7, 3)

    def y_of(value: float) -> float:
        return round(top + plot * (1 - value / peak), 1)

    parts = [
        format_html(
            '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="#9aa5b1" stroke-width="1"/>'
            '<text x="{tx}" y="{ty}" font-size="10" fill="#52606d" text-anchor="end">{peak}</text>'
            '<text x="{tx}" y="{by}" font-size="10" fill="#52606d" text-anchor="end">0</text>',
            l=left,
            r=width,
            y=top + plot,
            tx=left - 4,
            ty=top + 8,
            by=top + plot,
            peak=f"{peak:g}",
        )
    ]
    for i, week in enumerate(series):
        x = left + i * step + (step - bar) / 2
        h = plot * week.count / peak
        fill = "#c62828" if week.alarm else "#3b5b8c"
        title = _("Minggu %(day)s: %(n)s laporan") % {
            "day": week.start.strftime("%d-%m-%Y"),
            "n": f"{week.count:g}",
        }
        if week.expected is not None:
            title += _(", biasanya %(e)s, ambang %(t)s") % {
                "e": number_format(week.expected, 2),
                "t": number_format(week.threshold or 0.0, 2),
            }
        elif week.threshold is not None:
            title += _(", ambang %(t)s") % {"t": f"{week.threshold:g}"}
        if week.alarm:
            title += _(" (alarm)")
        parts.append(
            format_html(
                '<g class="week{cls}" data-week="{day}"><title>{title}</title>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"{outline}/>{count}{label}</g>',
                cls=" alarm" if week.alarm else "",
                day=week.start.isoformat(),
                title=title,
                x=round(x, 1),
                y=round(top + plot - h, 1),
                w=round(bar, 1),
                h=round(h, 1),
                fill=fill,
                outline=mark_safe(' stroke="#1f2933" stroke-width="2"') if week.in_signal else "",
                count=format_html(
                    '<text x="{cx}" y="{cy}" font-size="10" text-anchor="middle" fill="#1f2933">{n}</text>',
                    cx=round(x + bar / 2, 1),
                    cy=round(top + plot - h - 3, 1),
                    n=f"{week.count:g}",
                )
                if week.count
                else "",
                label=format_html(
                    '<text x="{cx}" y="{ly}" font-size="9" text-anchor="middle" fill="#52606d">{d}</text>',
                    cx=round(x + bar / 2, 1),
                    ly=height - bottom + 12,
                    d=week.start.strftime("%d/%m"),
                )
                if i % 2 == (len(series) - 1) % 2
                else "",
            )
        )

    def line(attr: str, colour: str, dash: str, css: str) -> None:
        points = [
            f"{round(left + i * step + step / 2, 1)},{y_of(getattr(w, attr))}"
            for i, w in enumerate(series)
            if getattr(w, attr) is not None
        ]
        if len(points) >= 2:
            parts.append(
                format_html(
                    '<polyline class="{css}" points="{p}" fill="none" stroke="{c}" stroke-width="2"{d}/>',
                    css=css,
                    p=" ".join(points),
                    c=colour,
                    d=mark_safe(f' stroke-dasharray="{dash}"') if dash else "",  # noqa: S308 - constant
                )
            )

    line("expected", "#2e7d32", "5 3", "expected")
    line("threshold", "#e8710a", "", "threshold")
    return format_html(
        '<svg class="chart signal-chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">{body}</svg>',
        w=width,
        h=height,
        label=label,
        body=mark_safe("".join(parts)),  # noqa: S308 - each part built by format_html
    )


def cluster_villages(signal: Signal) -> list[Region]:
    """The villages of the event's scan cluster(s), from every scan detection in it."""
    codes: list[str] = []
    for detection in signal.detections():
        if detection.detector == "scan":
            codes += [c for c in (detection.details or {}).get("villages", []) if c not in codes]
    if not codes:
        return []
    found = Region.objects.in_bulk(codes)
    return [found[c] for c in codes if c in found]


def cluster_map(signal: Signal, villages: list[Region]) -> SafeString:
    """The cluster's villages coloured on the map of their kecamatan, each village's centroid
    marked; empty when no boundary is known."""
    if not villages:
        return SafeString("")
    inside = {v.code for v in villages}
    kecamatan = {v.code.rsplit(".", 1)[0] for v in villages}
    around = Region.objects.filter(parent_id__in=kecamatan, boundary__isnull=False)
    shapes = [
        mapsvg.Shape(
            code=r.code,
            name=r.name,
            status=AlertLevel.AWAS if r.code in inside else AlertLevel.NORMAL,
            geometry=r.boundary or {},
            href=reverse("situation:region", args=[r.code]),
        )
        for r in around
    ]
    outlines = [
        mapsvg.Shape(code=r.code, name=r.name, status="", geometry=r.boundary or {}, href="")
        for r in Region.objects.filter(code__in=kecamatan, boundary__isnull=False)
    ]
    markers = [
        mapsvg.Marker(
            lon=v.longitude,
            lat=v.latitude,
            level=AlertLevel.AWAS,
            title=v.name,
            href=reverse("situation:region", args=[v.code]),
            region_code=v.code,
        )
        for v in villages
        if v.latitude is not None and v.longitude is not None
    ]
    return mapsvg.draw(
        shapes, outlines, markers, label=_("Desa klaster sinyal %(name)s") % {"name": signal.region.name}
    )
