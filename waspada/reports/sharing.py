"""Sharing an incident with the TKD of a neighbouring regency, and revoking it.

Nothing is shared by itself: the incident's page offers the neighbours ``reports/borders.py``
finds, and the deciding TKD's analyst chooses a TKD and writes why.

Who may: the senior roles (ketua, sekretaris, analis, pimpinan) of the **deciding TKD** of the
incident's region: the TKD whose jurisdiction covers the region most closely (Paser's TKD for
anything in Paser; the province's TKD only where no regency TKD covers the region), and
superusers. Everyone else gets ``PermissionError``, checked on the incident itself.

What the receiving TKD sees (``reports/visibility.py``, rule 6; docs/cross-border.md): the
incident's summary only, while the share is active: its reference, title, isu, alert level, the
kecamatan and regency it happened in, when it happened, and the sharer's reason. Not its
reports, their text, exact points, attachments, informants, dispositions or the desa. A
``rahasia`` incident cannot be shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.forums.access import access_of, forget_access
from waspada.forums.models import Forum, ForumKind
from waspada.regions.adjacency import regency_code
from waspada.regions.models import Level, Region
from waspada.regions.names import code_within
from waspada.reports.models import Incident, IncidentShare, Report
from waspada.reports.taxonomy import Classification

if TYPE_CHECKING:
    from waspada.people.models import Person

REASON_MAX = 2000


def deciding_tkd(region_code: str) -> Forum | None:
    """The TKD that shares an incident of ``region_code`` (``Forum.objects.deciding_tkds``)."""
    return next(iter(Forum.objects.deciding_tkds(region_code)), None)


def can_share(person: Person, incident: Incident) -> bool:
    """Whether ``person`` may share ``incident`` or revoke its shares: a senior of its deciding
    TKD (rule 6 of reports/visibility.py, ``Access.decides``)."""
    return access_of(person).decides(incident.region_id)


def receives_summary_only(person: Person, incident: Incident) -> bool:
    """Whether ``person`` sees ``incident``, if at all, only through a share with their TKD: no
    TKD seat of theirs covers its region and they see none of its reports. Such a person is shown
    the summary page (``reports/incident_shared.html``), never the incident's own page, and may
    change nothing of it (the object checks of ``reports/actions.py`` refuse them)."""
    return bool(summary_only_ids(person, [(incident.pk, incident.region_id)]))


def summary_only_ids(person: Person, incidents: Sequence[tuple[int, str]]) -> set[int]:
    """``receives_summary_only`` for many incidents at once, given as (pk, region code) pairs
    (a page, an export batch), in two queries."""
    access = access_of(person)
    if access.superuser or not incidents:
        return set()
    seats = [(seat.forum_id, seat.area) for seat in access.tkd_seats()]
    if not seats:
        return set()
    shared = set(
        IncidentShare.objects.active()
        .filter(
            incident_id__in=[pk for pk, _region in incidents], forum_id__in=[forum for forum, _c in seats]
        )
        .values_list("incident_id", flat=True)
    )
    candidates = {
        pk
        for pk, region in incidents
        if pk in shared and not any(code_within(region, code) for _f, code in seats)
    }
    if candidates:
        seen = Report.objects.visible_to(person).filter(incident_id__in=candidates)
        candidates -= set(seen.values_list("incident_id", flat=True))
    return candidates


def shared_place(incident: Incident) -> Region:
    """The place a receiving TKD is told: the incident's kecamatan (or the region itself when it
    is a kecamatan or above), never the desa."""
    region = incident.region
    while region.level > Level.KECAMATAN and region.parent is not None:
        region = region.parent
    return region


def _require_can_share(person: Person, incident: Incident) -> None:
    if not can_share(person, incident):
        raise PermissionError(
            _("Hanya analis dan pimpinan TKD yang memutuskan insiden ini yang dapat membagikannya.")
        )


def _check_receiver(incident: Incident, forum: Forum | None) -> Forum:
    if forum is None:
        raise ValidationError({"forum": [_("Pilih TKD penerima.")]})
    home = regency_code(incident.region_id)
    jurisdiction = Region.objects.filter(code=forum.jurisdiction_id).only("level").first()
    if (
        forum.kind != ForumKind.TKD
        or not forum.is_active
        or jurisdiction is None
        or jurisdiction.level != Level.KABUPATEN
        or forum.jurisdiction_id == home
    ):
        raise ValidationError({"forum": [_("Penerima harus TKD kabupaten/kota lain.")]})
    return forum


def share_incident(
    *, incident: Incident, forum: Forum | None, reason: str, by: Person, request: HttpRequest | None = None
) -> IncidentShare:
    """Share ``incident`` with another regency's TKD.

    Steps: check the right on the incident (PermissionError); check the input (ValidationError
    per field, nothing written): not merged, not ``rahasia``, a TKD of another regency, a reason,
    not already shared with it; then, in one transaction, write or reopen the share, record
    ``incident.shared`` and tell the receiving TKD's members.
    """
    _require_can_share(by, incident)
    if incident.merged_into_id is not None:
        raise ValidationError(
            {"incident": [_("Insiden ini sudah digabung ke insiden lain; bagikan insiden tujuan.")]}
        )
    if incident.classification == Classification.RAHASIA:
        raise ValidationError(
            {"incident": [_("Insiden rahasia tidak dapat dibagikan ke TKD kabupaten lain.")]}
        )
    receiver = _check_receiver(incident, forum)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Tuliskan alasan berbagi: apa yang perlu diketahui TKD tetangga.")]}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("Alasan terlalu panjang (paling banyak 2000 karakter).")]})
    now = timezone.now()
    with transaction.atomic():
        share = IncidentShare.objects.select_for_update().filter(incident=incident, forum=receiver).first()
        if share is not None and share.revoked_at is None:
            raise ValidationError({"forum": [_("Insiden ini sudah dibagikan ke TKD itu.")]})
        if share is None:
            share = IncidentShare(incident=incident, forum=receiver)
        share.reason = reason
        share.shared_by = by
        share.shared_at = now
        share.revoked_by = None
        share.revoked_at = None
        share.save()
        record(
            action="incident.shared",
            actor=by,
            obj=incident,
            changes={"forum": receiver.code, "reason": reason},
            request=request,
        )
        _tell_receiver(incident, receiver)
    forget_access()  # the shared incidents read earlier in this request are stale now
    return share


def revoke_incident_share(
    *, incident: Incident, forum: Forum | None, by: Person, request: HttpRequest | None = None
) -> IncidentShare:
    """Stop sharing ``incident`` with ``forum``: its members no longer see it. Audited."""
    _require_can_share(by, incident)
    with transaction.atomic():
        share = (
            IncidentShare.objects.select_for_update()
            .filter(incident=incident, forum=forum, revoked_at__isnull=True)
            .first()
        )
        if share is None or forum is None:
            raise ValidationError({"forum": [_("Insiden ini tidak sedang dibagikan ke TKD itu.")]})
        share.revoked_by = by
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_by", "revoked_at"])
        record(
            action="incident.share_revoked",
            actor=by,
            obj=incident,
            changes={"forum": forum.code},
            request=request,
        )
    forget_access()  # the shared incidents read earlier in this request are stale now
    return share


def _tell_receiver(incident: Incident, forum: Forum) -> None:
    """One notification to the receiving TKD's members, written in this transaction. It names the
    incident and the kecamatan only, like the page they may open."""
    from waspada.notify.events import emit

    place = shared_place(incident)
    with translation.override("id"):  # Event.title is stored in the source language
        title = _("Insiden dari kabupaten tetangga dibagikan: %(title)s (%(place)s)") % {
            "title": incident.title,
            "place": place.label,
        }
    emit(
        "incident.shared",
        level=incident.alert_level,
        title=title,
        forums=[forum],
        classification=incident.classification,
        url=reverse("reports:incident", args=[incident.reference]),
    )
