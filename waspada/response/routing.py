"""Which forums a report goes to, and which forum is the next step up the ladder.

The rules are ``RoutingRule`` rows (defaults from docs/domain.md, editable by Kesbangpol in the
admin). Every report reaches the TKD: if no rule names it, it gets a "tembusan".
"""

from __future__ import annotations

from django.db.models import Q

from waspada.forums.models import Forum, ForumKind, ForumLevel
from waspada.regions.models import Level, Region
from waspada.reports.models import Report
from waspada.reports.taxonomy import AlertLevel
from waspada.response.models import DispositionKind, RegionScope, RoutingRule

LEVEL_ORDER = [AlertLevel.NORMAL, AlertLevel.WASPADA, AlertLevel.SIAGA, AlertLevel.AWAS]


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(AlertLevel(level))


def matching_rules(report: Report) -> list[RoutingRule]:
    rank = level_rank(report.alert_level)
    scope = RegionScope.DESA if report.region.level == Level.DESA else RegionScope.KECAMATAN
    rules = RoutingRule.objects.filter(is_active=True).filter(Q(isu=report.isu) | Q(isu=""))
    rules = rules.filter(region_scope__in=[RegionScope.SEMUA, scope])
    return [rule for rule in rules if level_rank(rule.min_alert_level) <= rank]


def forum_for(kind: str, region: Region) -> Forum | None:
    """The active forum of ``kind`` whose jurisdiction most closely contains ``region``."""
    ancestors = [region.code]
    code = region.code
    while "." in code:
        code = code.rsplit(".", 1)[0]
        ancestors.append(code)
    forums = Forum.objects.active().filter(kind=kind, jurisdiction_id__in=ancestors)
    return max(forums, key=lambda forum: len(forum.jurisdiction_id), default=None)


def plan(report: Report) -> dict[Forum, str]:
    """forum → kind for ``report``: action wins over a copy; the TKD always receives it."""
    wanted: dict[Forum, str] = {}
    for rule in matching_rules(report):
        for kind in rule.act_kinds:
            forum = forum_for(kind, report.region)
            if forum is not None:
                wanted[forum] = DispositionKind.TINDAKAN
        for kind in rule.info_kinds:
            forum = forum_for(kind, report.region)
            if forum is not None:
                wanted.setdefault(forum, DispositionKind.TEMBUSAN)
    tkd = forum_for(ForumKind.TKD, report.region)
    if tkd is not None:
        wanted.setdefault(tkd, DispositionKind.TEMBUSAN)
    return wanted


def next_forum(forum: Forum, region: Region, *, needs_province: bool = False) -> Forum | None:
    """One step up: desa → kecamatan → TKD → FKPD; None above the FKPD.

    With ``needs_province`` (the report's incident is marked as needing the province), a regency's
    FKPD is followed by the province's TKD, which is then the top: None above it. (Without the
    mark a province TKD that stands in for a regency without its own TKD climbs to the FKPD.)
    """
    if forum.kind == ForumKind.FKPD:
        if needs_province and forum.level == ForumLevel.KABUPATEN:
            return province_tkd(region)
        return None
    if forum.kind == ForumKind.TKD:
        if forum.level == ForumLevel.PROVINSI and needs_province:
            return None  # reached from the regency's FKPD: the province's TKD is the top
        return forum_for(ForumKind.FKPD, region)
    if forum.level == ForumLevel.DESA:
        district = region if region.level == Level.KECAMATAN else region.parent
        if district is not None:
            for kind in (forum.kind, ForumKind.FKDM):
                candidate = Forum.objects.active().filter(kind=kind, jurisdiction=district).first()
                if candidate is not None:
                    return candidate
    return forum_for(ForumKind.TKD, region)


def province_tkd(region: Region) -> Forum | None:
    """The active TKD of the province ``region`` lies in (TKD-64 for anything in 64…)."""
    province = region.code.split(".")[0]
    return Forum.objects.active().filter(kind=ForumKind.TKD, jurisdiction_id=province).first()


def needs_province(report: Report) -> bool:
    """Whether ``report``'s incident is marked as needing the province (the ladder goes on up)."""
    return bool(report.incident_id and report.incident and report.incident.needs_province)


def top_of_ladder_key(forum: Forum) -> str:
    """The timeline text for an escalation with nowhere left to go from ``forum``."""
    if forum.kind == ForumKind.TKD and forum.level == ForumLevel.PROVINSI:
        return "top_of_ladder_province"
    return "top_of_ladder"
