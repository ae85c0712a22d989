"""The command-room wall (``/situasi/layar/``): the assessed picture of one jurisdiction on one
1920x1080 screen, with no scrolling, refreshing itself.

Who opens it:

- a screen with a display token (``DisplayToken``): ``/situasi/layar/t/<token>/`` or
  ``/situasi/layar/?token=…`` once; the request's session is emptied (whoever was logged in on
  that browser is logged out) and becomes a display session that opens only the wall and its
  refresh (``DisplayOnlyMiddleware`` refuses every other URL, pages and API alike). The token is
  checked again on every refresh: a revoked token stops the next one.
- a logged-in member of a TKD or a Forkopimda, for their own jurisdiction (their picture areas,
  rule 13 of ``reports/visibility.py``), and a superuser, for the home region; anyone else 403.

What it shows is the assessed picture of the region (rule 13), computed with no person: every
report and incident inside the region whatever its classification, counted as the deciding TKD
counts them. A wall hangs in a room anyone can see, so an incident is named by its title only
when ``biasa``; otherwise by its isu, level and kecamatan. Alerts: a ``Public`` one by its
headline, any other by isu, level and region. Nothing on the wall links anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.audit.models import AuditEntry
from waspada.detection.models import Signal
from waspada.exchange.models import Alert, Scope
from waspada.forums.models import Forum, ForumKind
from waspada.lib.requests import person_of
from waspada.people.tokens import digest_of
from waspada.regions.models import Level, Region, within_q
from waspada.regions.names import code_within
from waspada.reports.models import Incident
from waspada.reports.taxonomy import AlertLevel, Classification, Isu
from waspada.reports.visibility import picture_areas
from waspada.response.models import Disposition
from waspada.security.sessions import not_activity
from waspada.situation import actions, charts, mapsvg
from waspada.situation.counts import dashboard_counts
from waspada.situation.filters import Filters
from waspada.situation.models import DisplayToken
from waspada.situation.status import region_statuses

SESSION_KEY = "waspada_display_token"
# The routes a display session may open; every other is refused (DisplayOnlyMiddleware).
WALL_ROUTES = frozenset({"situation:wall", "situation:wall_token", "situation:wall_part"})
DISPLAY_SESSION_DAYS = 30  # the screen stays open; revoking the token is what ends it
PERIOD_DAYS = 30
TREND_WEEKS = 12
ROWS = 7
FULL_REFRESH_POLLS = 60  # late dispositions become late with no write: redraw now and then


class DisplayOnlyMiddleware:
    """A display session opens the wall and its refresh, and nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in WALL_ROUTES:
                return HttpResponse(
                    _("Layar ini hanya menampilkan gambaran situasi."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


# -- who sees which region ---------------------------------------------------------------------


def _token_of(request: HttpRequest) -> DisplayToken | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return DisplayToken.objects.live().select_related("region").filter(pk=pk).first()


def _person_region(request: HttpRequest) -> Region | None:
    """A logged-in TKD or Forkopimda member's picture area (the one asked for by ``wilayah``, or
    the first), a superuser's home region; None for anyone else."""
    if not request.user.is_authenticated:
        return None
    person = person_of(request)
    if not person.is_active:
        return None
    asked = request.GET.get("wilayah", "")
    if person.is_superuser:
        code = asked or settings.WASPADA_HOME_REGION
        return Region.objects.filter(code=code, level__in=actions.WALL_LEVELS).first()
    areas = picture_areas(person)
    if not areas:
        return None
    code = asked if asked and any(code_within(asked, a) for a in areas) else areas[0]
    return Region.objects.filter(code=code, level__in=actions.WALL_LEVELS).first()


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"message": message}, status=403)


def _open_token(request: HttpRequest, raw: str) -> HttpResponse:
    token = DisplayToken.objects.live().filter(digest=digest_of(raw.strip())).first()
    if token is None:
        return _refused(request, _("Token layar tidak dikenal atau sudah dicabut."))
    logout(request)  # whoever was logged in on this browser: the screen is a display now
    request.session[SESSION_KEY] = token.pk
    request.session.set_expiry(timedelta(days=DISPLAY_SESSION_DAYS))
    actions.note_display_token_use(token=token, request=request)
    return redirect("situation:wall")


def _wall_region(request: HttpRequest) -> tuple[Region | None, Any, str]:
    """(region, person, refusal): the token's region for a display session (no person), else the
    logged-in person's own."""
    if request.session.get(SESSION_KEY) is not None:
        token = _token_of(request)
        if token is None:
            return None, None, _("Token layar ini sudah dicabut.")
        actions.note_display_token_use(token=token, request=request)
        return token.region, None, ""
    region = _person_region(request)
    if region is None:
        return None, None, _("Layar situasi hanya untuk anggota Tim Kewaspadaan Dini dan Forkopimda.")
    return region, person_of(request), ""


# -- the picture, with no person ------------------------------------------------------------------


@dataclass
class Named:
    """A row of the wall: a level, the words shown, and where and when."""

    level: str
    text: str
    place: str
    when: Any

    @property
    def level_label(self) -> str:
        return str(dict(AlertLevel.choices).get(self.level, self.level))


# The abbreviations a command room reads forums by (shown bold before the name); the kinds
# without a settled one show their name alone.
FORUM_ABBREVIATIONS: dict[str, str] = {
    ForumKind.FKPD: "Forkopimda",
    ForumKind.TKD: "TKD",
    ForumKind.FKDM: "FKDM",
    ForumKind.TIMDU_PKS: "Timdu PKS",
    ForumKind.FKUB: "FKUB",
    ForumKind.FPK: "FPK",
    ForumKind.TIMPORA: "Timpora",
    ForumKind.BNK: "BNK",
}


def forum_label(forum: Forum | None, code: str, region: Region) -> dict[str, str]:
    """A forum as the wall names it, whole (no ellipsis; a long name wraps): the abbreviation a
    command room reads it by ("FKUB"), with its place when that is not the wall's own region
    ("FKDM Kecamatan Long Ikis", "TKD Kabupaten Penajam Paser Utara" on the province's wall);
    a kind with no settled abbreviation by its name, the wall's own region left off. ``title``:
    the full name."""
    if forum is None:
        return {"name": code, "title": code}
    abbr = FORUM_ABBREVIATIONS.get(forum.kind, "")
    if abbr:
        place = "" if forum.jurisdiction_id == region.code else f" {forum.jurisdiction.label}"
        return {"name": f"{abbr}{place}", "title": forum.name}
    name = forum.name
    for suffix in (f" {region.label}", f" {region.name}"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name.removesuffix(suffix)
            break
    return {"name": name, "title": forum.name}


def _stamp() -> str:
    return str(AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)


def wall_picture(region: Region, person: Any = None) -> dict[str, Any]:
    """Everything the wall shows for ``region`` (rule 13, counted with no person). ``person``: a
    logged-in member looking at their own wall, who is shown by title only the ``biasa``
    incidents they may also open (as on their dashboard); a display token's screen, every
    ``biasa`` one."""
    today = timezone.localdate()
    filters = Filters(region=region).with_period(today - timedelta(days=PERIOD_DAYS - 1), today)
    first_week = today - timedelta(days=today.weekday() + 7 * (TREND_WEEKS - 1))
    counts = dashboard_counts(filters, filters.with_period(first_week, today), None)
    by_level = counts.by_level
    total = sum(by_level.values())

    columns = []
    for index in range(TREND_WEEKS):
        start = first_week + timedelta(weeks=index)
        week = counts.weekly.get(start, {})
        columns.append(
            charts.Column(
                label=start.strftime("%d/%m"),
                title=_("Minggu mulai %(day)s") % {"day": start.strftime("%d-%m-%Y")},
                href="#",
                parts=[(f"lv-{value}", week.get(value, 0)) for value in AlertLevel.values],
            )
        )

    statuses = region_statuses(None, region)
    names = {code: entry.name for code, entry in statuses.items()}
    names[region.code] = region.name
    shapes = [
        mapsvg.Shape(
            code=r.code,
            name=r.name,
            status=statuses[r.code].status if r.code in statuses else AlertLevel.NORMAL,
            geometry=r.boundary or {},
            href="#",
        )
        for r in Region.objects.within(region).filter(level=Level.KECAMATAN, boundary__isnull=False)
    ]
    svg = mapsvg.draw(
        shapes, [], [], label=_("Peta status wilayah %(name)s") % {"name": region.name}, labels=True
    )
    status_counts = {value: 0 for value in AlertLevel.values}
    for entry in statuses.values():
        if entry.level == Level.KECAMATAN:
            status_counts[entry.status] += 1

    def place(code: str) -> str:
        return names.get(code[:8]) or names.get(code) or code

    isus = dict(Isu.choices)
    levels = dict(AlertLevel.choices)
    signals = Signal.objects.open().filter(within_q(region.code))
    signal_rows = [
        Named(AlertLevel.WASPADA, str(isus.get(s.isu, s.isu)), place(s.region_id), s.period_end)
        for s in signals.order_by("-period_end", "-pk")[:ROWS]
    ]
    alerts = Alert.objects.current().filter(within_q(region.code))
    alert_rows = [
        Named(
            a.level,
            a.headline
            if a.scope == Scope.PUBLIC
            else _("Peringatan %(isu)s") % {"isu": isus.get(a.isu, a.isu)},
            place(a.region_id),
            a.expires_at,
        )
        for a in alerts.order_by("-sent", "-pk")[:ROWS]
    ]

    dispositions = Disposition.objects.filter(within_q(region.code, "report__region"))
    open_by = dict(dispositions.open().order_by().values_list("forum__code").annotate(n=Count("pk")))
    late_by = dict(dispositions.late().order_by().values_list("forum__code").annotate(n=Count("pk")))
    forums = {f.code: f for f in Forum.objects.filter(code__in=list(open_by)).select_related("jurisdiction")}
    forum_rows = [
        {**forum_label(forums.get(code), code, region), "open": open_by[code], "late": late_by.get(code, 0)}
        for code in sorted(open_by, key=lambda c: (-late_by.get(c, 0), -open_by[c], c))
    ][:ROWS]

    incidents = list(
        Incident.objects.filter(within_q(region.code), merged_into__isnull=True)
        .only("title", "isu", "alert_level", "classification", "region_id", "occurred_at")
        .order_by("-occurred_at", "-pk")[:ROWS]
    )
    titled = {i.pk for i in incidents if i.classification == Classification.BIASA}
    if person is not None and titled:
        titled &= set(Incident.objects.visible_to(person).filter(pk__in=titled).values_list("pk", flat=True))
    incident_rows = [
        Named(
            i.alert_level,
            i.title
            if i.pk in titled
            else _("Insiden %(isu)s, %(level)s")
            % {"isu": isus.get(i.isu, i.isu), "level": levels.get(i.alert_level, i.alert_level)},
            place(i.region_id),
            i.occurred_at,
        )
        for i in incidents
    ]
    return {
        "region": region,
        "total": total,
        "since": filters.since,
        "levels": [(value, label, by_level.get(value, 0)) for value, label in reversed(AlertLevel.choices)],
        "status_counts": [
            (value, label, status_counts[value]) for value, label in reversed(AlertLevel.choices)
        ],
        "svg": svg,
        "trend_chart": charts.column_chart(columns, label=_("Tren mingguan laporan")),
        "signal_count": signals.count(),
        "signal_rows": signal_rows,
        "alert_count": alerts.count(),
        "alert_rows": alert_rows,
        "forum_rows": forum_rows,
        "open_total": sum(open_by.values()),
        "late_total": sum(late_by.values()),
        "incident_rows": incident_rows,
        "updated_at": timezone.localtime(),
        "legend": AlertLevel.choices,
    }


# -- the views ------------------------------------------------------------------------------------


def wall(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("token", "")
    if raw:
        return _open_token(request, raw)
    if request.session.get(SESSION_KEY) is None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    region, person, refusal = _wall_region(request)
    if region is None:
        return _refused(request, refusal)
    context = {
        **wall_picture(region, person),
        "stamp": _stamp(),
        "part_url": reverse("situation:wall_part"),
        "poll_seconds": settings.WASPADA_LIVE_POLL_SECONDS,
        "full_every": FULL_REFRESH_POLLS,
        "query": request.GET.urlencode(),
    }
    response = render(request, "situation/wall.html", context)
    response["Cache-Control"] = "no-store"
    return response


def wall_token(request: HttpRequest, token: str) -> HttpResponse:
    return _open_token(request, token)


def wall_part(request: HttpRequest) -> HttpResponse:
    """The wall's refresh: 204 while the audit stamp is the one the screen has (``stamp``), else
    the wall's content to swap in, its new stamp in ``X-Wall-Stamp``. A poll is not activity."""
    not_activity(request)
    region, person, refusal = _wall_region(request)
    if region is None:
        return HttpResponse(refusal, status=403, content_type="text/plain; charset=utf-8")
    stamp = _stamp()
    if request.GET.get("stamp") == stamp:
        response = HttpResponse(status=204)
    else:
        response = render(request, "situation/wall_content.html", wall_picture(region, person))
    response["X-Wall-Stamp"] = stamp
    response["Cache-Control"] = "no-store"
    return response


# -- the display tokens' page (Kesbangpol administrators, superusers) --------------------------


def _managed_regions(person: Any) -> list[Region]:
    home = Region.objects.filter(code=settings.WASPADA_HOME_REGION).first()
    if home is None:
        return []
    rows = Region.objects.within(home).filter(level__in=actions.WALL_LEVELS).order_by("code")
    return [r for r in rows.only("code", "name", "level") if actions.manages_display_tokens(person, r.code)]


def tokens(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person = person_of(request)
    if not actions.manages_display_tokens(person):
        return _refused(request, _("Token layar hanya dibuat oleh admin Kesbangpol."))
    regions = _managed_regions(person)
    raw = ""
    if request.method == "POST":
        region = Region.objects.filter(code=request.POST.get("region", "")).first()
        try:
            _token, raw = actions.create_display_token(
                region=region, name=request.POST.get("name", ""), by=person, request=request
            )
            messages.success(
                request, _("Token layar dibuat. Salin sekarang: token ini tidak ditampilkan lagi.")
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionError as exc:
            return _refused(request, str(exc))
    codes = [r.code for r in regions]
    rows = DisplayToken.objects.filter(region_id__in=codes).select_related("region", "created_by")
    return render(
        request,
        "situation/wall_tokens.html",
        {
            "regions": regions,
            "rows": rows,
            "raw": raw,
            "raw_url": request.build_absolute_uri(reverse("situation:wall_token", args=[raw])) if raw else "",
        },
    )


@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("situation:wall_tokens"))
    person = person_of(request)
    if not actions.manages_display_tokens(person):
        return _refused(request, _("Token layar hanya dibuat oleh admin Kesbangpol."))
    token = get_object_or_404(DisplayToken, pk=pk)
    try:
        actions.revoke_display_token(token=token, by=person, request=request)
    except PermissionError as exc:
        return _refused(request, str(exc))
    messages.success(request, _("Token layar dicabut."))
    return redirect("situation:wall_tokens")
