"""The filters shared by the dashboard's links, the lists, the map and saved searches.

One set of query-string names everywhere, so that any number on the dashboard is a link to the
list behind it, and a saved search is just the query string, checked again each time it is used:

    isu, athg, alert_level, status, region (a Kemendagri code: that region and everything below),
    forum (a forum code: reports filed through it or disposed to it), disposition (terbuka /
    terlambat: with an open / overdue disposition, to ``forum`` if given), since and until (dates,
    WITA, inclusive), q (words searched in the title and narrative).

Reports are filtered on when they were reported, incidents on when they occurred.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.forums.models import Forum
from waspada.lib.input import EARLIEST_DAY, LATEST_DAY
from waspada.regions.models import Region, within_q
from waspada.reports import search
from waspada.reports.models import ReportStatus
from waspada.reports.taxonomy import AlertLevel, Athg, Isu
from waspada.response.models import Disposition

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import IncidentQuerySet, ReportQuerySet

# The incident list's status filter: the value is the code, the label what the reader sees.
INCIDENT_STATUSES = (("aktif", gettext_lazy("Aktif")), ("digabung", gettext_lazy("Digabung")))
DISPOSITION_STATES = ("terbuka", "terlambat")
MAX_WORDS = search.MAX_WORDS


@dataclass
class Filters:
    isu: str = ""
    athg: str = ""
    alert_level: str = ""
    status: str = ""
    region: Region | None = None
    forum: Forum | None = None
    disposition: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, str], *, for_incidents: bool = False) -> Filters:
        """Read the filters; an unknown value is dropped with an Indonesian message naming the field."""

        def get(name: str) -> str:
            value = query.get(name) or ""
            return str(value).strip()[:200]

        found = cls()
        errors: dict[str, str] = {}
        statuses = [value for value, _label in INCIDENT_STATUSES] if for_incidents else ReportStatus.values
        for name, allowed in (
            ("isu", Isu.values),
            ("athg", Athg.values),
            ("alert_level", AlertLevel.values),
            ("status", statuses),
            ("disposition", DISPOSITION_STATES),
        ):
            value = get(name)
            if value and value not in allowed:
                errors[name] = _("Pilihan tidak dikenal untuk %(field)s: %(value)s.") % {
                    "field": name,
                    "value": value,
                }
            elif value:
                setattr(found, name, value)
        code = get("region")
        if code:
            found.region = Region.objects.filter(code=code).first()
            if found.region is None:
                errors["region"] = _("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code}
        forum_code = get("forum")
        if forum_code:
            found.forum = Forum.objects.filter(code=forum_code).first()
            if found.forum is None:
                errors["forum"] = _("Forum %(code)s tidak ditemukan.") % {"code": forum_code}
        for name in ("since", "until"):
            value = get(name)
            if value:
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    errors[name] = _("Tanggal %(field)s tidak valid (tulis TTTT-BB-HH): %(value)s.") % {
                        "field": name,
                        "value": value,
                    }
                    continue
                if not EARLIEST_DAY <= day <= LATEST_DAY:
                    # the pages' input layer refuses these first; the API and the exports come here
                    errors[name] = _(
                        "Tanggal pada isian “%(field)s” harus antara 1 Januari 1900 dan 31 Desember 2100."
                    ) % {"field": name}
                    continue
                setattr(found, name, day)
        if found.since and found.until and found.since > found.until:
            errors["until"] = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            found.until = None
        found.q = get("q")
        found.errors = errors
        return found

    def params(self, **overrides: Any) -> dict[str, str]:
        """The filters as query-string values; ``overrides`` replace some (None or "" drops one)."""
        values: dict[str, Any] = {
            "isu": self.isu,
            "athg": self.athg,
            "alert_level": self.alert_level,
            "status": self.status,
            "region": self.region.code if self.region else "",
            "forum": self.forum.code if self.forum else "",
            "disposition": self.disposition,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "q": self.q,
        }
        values.update(overrides)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def querystring(self, **overrides: Any) -> str:
        return urlencode(self.params(**overrides))

    def with_period(self, since: date | None, until: date | None) -> Filters:
        return replace(self, since=since, until=until)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) of the period as aware datetimes in the current (WITA) time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.since, time.min, tzinfo=zone) if self.since else None
        end = datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=zone) if self.until else None
        return start, end

    # -- applying -------------------------------------------------------------------------

    def _disposition_ids(self) -> QuerySet[Disposition, Any] | None:
        if not self.disposition:
            return None
        rows = Disposition.objects.open()
        if self.disposition == "terlambat":
            rows = Disposition.objects.late()
        if self.forum is not None:
            rows = rows.filter(forum=self.forum)
        return rows.values("report_id")

    def apply_reports(self, reports: ReportQuerySet, *, search: bool = True) -> ReportQuerySet:
        """Every filter; ``search=False`` leaves out the text search, for the caller to add after
        ``visible_to`` (inside the visibility subquery it led PostgreSQL to a very slow plan)."""
        for name in ("isu", "athg", "alert_level", "status"):
            if getattr(self, name):
                reports = reports.filter(**{name: getattr(self, name)})
        if self.region is not None:
            reports = reports.filter(within_q(self.region.code))
        disposed = self._disposition_ids()
        if disposed is not None:
            reports = reports.filter(pk__in=disposed)
        elif self.forum is not None:
            to_forum = Disposition.objects.filter(forum=self.forum).values("report_id")
            reports = reports.filter(Q(reporter_forum=self.forum) | Q(pk__in=to_forum))
        start, end = self.bounds()
        if start:
            reports = reports.filter(reported_at__gte=start)
        if end:
            reports = reports.filter(reported_at__lt=end)
        return search_text(reports, self.q) if search else reports

    def visible_reports(self, person: Person) -> ReportQuerySet:
        """Every filter but the text search, then ``visible_to`` told the region filtered to (the
        check is then written for that region alone: ``reports/visibility.py``); the caller adds
        the search after (``search_text``)."""
        from waspada.reports.models import Report

        within = self.region.code if self.region is not None else None
        return self.apply_reports(Report.objects.all(), search=False).visible_to(person, within=within)

    def apply_incidents(self, incidents: IncidentQuerySet) -> IncidentQuerySet:
        for name in ("isu", "alert_level"):
            if getattr(self, name):
                incidents = incidents.filter(**{name: getattr(self, name)})
        if self.athg:
            incidents = incidents.filter(pk__in=_report_incidents(athg=self.athg))
        if self.status == "aktif":
            incidents = incidents.filter(merged_into__isnull=True)
        elif self.status == "digabung":
            incidents = incidents.filter(merged_into__isnull=False)
        if self.region is not None:
            incidents = incidents.filter(within_q(self.region.code))
        disposed = self._disposition_ids()
        if disposed is not None:
            incidents = incidents.filter(pk__in=_report_incidents(pk__in=disposed))
        elif self.forum is not None:
            to_forum = Disposition.objects.filter(forum=self.forum).values("report_id")
            incidents = incidents.filter(
                pk__in=_report_incidents(Q(reporter_forum=self.forum) | Q(pk__in=to_forum))
            )
        start, end = self.bounds()
        if start:
            incidents = incidents.filter(occurred_at__gte=start)
        if end:
            incidents = incidents.filter(occurred_at__lt=end)
        return search_text(incidents, self.q)


def _report_incidents(*args: Any, **kwargs: Any) -> Any:
    from waspada.reports.models import Report

    return Report.objects.filter(*args, incident__isnull=False, **kwargs).values("incident_id")


def search_words(text: str) -> list[str]:
    return search.words(text)[:MAX_WORDS]


def search_text(queryset: Any, text: str) -> Any:
    """Rows (reports or incidents) matching every word of ``text``, forgiving of Indonesian
    affixes and of compounds written split or joined: ``reports/search.py`` says how, on
    PostgreSQL (full text over the ``search_terms`` column, GIN index) and on SQLite (LIKE)."""
    return search.search(queryset, text)
