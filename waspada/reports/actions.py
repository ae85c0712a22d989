"""Every write to reports and incidents. Pages, the API, the chat bot and the CLI call these.

Each action validates, writes inside one transaction and records its audit entry in that same
transaction, so an entry never exists without its change and a rolled-back change leaves none.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.forums.access import forget_access
from waspada.forums.models import Forum, Membership
from waspada.lib import crypto
from waspada.lib.uploads import UploadRejected, clean_upload, store_clean_file
from waspada.notify.events import Kind, report_event
from waspada.regions.models import Level, Region
from waspada.regions.places import candidates_sentence, resolve_place
from waspada.reports.models import (
    Attachment,
    IdempotencyRecord,
    Incident,
    Informant,
    ReferenceSequence,
    Report,
    ReportStatus,
)
from waspada.reports.taxonomy import (
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
    highest_level,
)
from waspada.reports.verification import verification_deadline
from waspada.reports.visibility import REVEAL, can_reveal_informant, can_triage, may, may_decide_region

if TYPE_CHECKING:
    from waspada.people.models import Person

TEXT_LIMITS = {
    "title": 200,
    "what": 5000,
    "who": 2000,
    "cause": 2000,
    "where_detail": 1000,
    "latest_condition": 3000,
    "interim_handling": 3000,
    "source_description": 300,
    "informant_name": 200,
    "informant_contact": 200,
}
MAX_ATTACHMENTS = 5
CLOCK_SKEW = timedelta(minutes=10)
# Times outside these bounds are typing mistakes, and PostgreSQL refuses a UTC offset over 15:59.
EARLIEST_TIME = datetime(1900, 1, 1, tzinfo=UTC)
# A report is filed in this system's time: its reference carries the year it was reported in, so a
# number read as a timestamp (``1968``) or a typed 1900 must not become ``SKD-6401-1968-…``.
EARLIEST_REPORTED = datetime(2000, 1, 1, tzinfo=UTC)
MAX_UTC_OFFSET = timedelta(hours=14)


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used before for a different submission."""


# The casualty counts a report may carry (None: not known), and the largest count accepted.
CASUALTY_FIELDS = ("casualties_dead", "casualties_injured", "casualties_displaced")
MAX_COUNT = 10_000_000


@dataclass
class ReportInput:
    """What a reporter submits, from whichever surface. Times are aware datetimes."""

    title: str
    what: str
    athg: str
    isu: str
    alert_level: str
    region_code: str
    occurred_at: datetime
    jenis: str = Jenis.INSIDENTIL
    gatra: list[str] = field(default_factory=list)
    who: str = ""
    cause: str = ""
    where_detail: str = ""
    latest_condition: str = ""
    interim_handling: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reported_at: datetime | None = None
    source_description: str = ""
    source_reliability: str = SourceReliability.F
    info_credibility: str = InfoCredibility.C6
    # None: not known (never the same as 0). Non-negative whole numbers when given.
    casualties_dead: int | None = None
    casualties_injured: int | None = None
    casualties_displaced: int | None = None
    people_affected: int = 0
    classification: str = Classification.BIASA
    reporter_forum_code: str | None = None
    informant_name: str = ""
    informant_contact: str = ""
    informant_secret: bool = True

    def fingerprint(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class SubmitResult:
    report: Report
    created: bool


@functools.cache
def _values_of(choices: Any) -> frozenset[Any]:
    """A choices enum's values, made once: ``.values`` builds a new list on every call, eight
    times per report filed."""
    return frozenset(choices.values)


def _choice_error(errors: dict[str, list[str]], name: str, value: str, choices: type[Any]) -> None:
    if value not in _values_of(cast(Hashable, choices)):
        errors.setdefault(name, []).append(_("Pilihan tidak dikenal: %(value)s.") % {"value": value})


def _count_errors(errors: dict[str, list[str]], counts: Mapping[str, Any]) -> None:
    """A count is a whole number from 0 to ``MAX_COUNT``; a casualty count may be None (not known)."""
    for name, value in counts.items():
        if value is None and name in CASUALTY_FIELDS:
            continue  # not known
        if not isinstance(value, int) or isinstance(value, bool):
            errors.setdefault(name, []).append(_("Harus bilangan bulat, bukan %(value)s.") % {"value": value})
        elif value < 0:
            errors.setdefault(name, []).append(
                _("Tidak boleh negatif: %(value)s. Kosongkan bila belum diketahui.") % {"value": value}
            )
        elif value > MAX_COUNT:
            errors.setdefault(name, []).append(
                _("Terlalu besar: %(value)s, paling besar 10.000.000.") % {"value": value}
            )


def validate_report_input(data: ReportInput, *, reporter: Person) -> tuple[Region, Forum | None]:
    """Check every field and return the resolved region and forum; raise ValidationError per field."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "what"):
        if not str(getattr(data, name)).strip():
            errors.setdefault(name, []).append(_("Wajib diisi."))
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name)
        if len(value) > limit:
            errors.setdefault(name, []).append(
                _("Terlalu panjang: %(length)d karakter, maksimal %(limit)d.")
                % {"length": len(value), "limit": limit}
            )
        if "\x00" in value:
            errors.setdefault(name, []).append(_("Mengandung karakter yang tidak sah."))
    _choice_error(errors, "jenis", data.jenis, Jenis)
    _choice_error(errors, "athg", data.athg, Athg)
    _choice_error(errors, "isu", data.isu, Isu)
    _choice_error(errors, "alert_level", data.alert_level, AlertLevel)
    _choice_error(errors, "source_reliability", data.source_reliability, SourceReliability)
    _choice_error(errors, "info_credibility", data.info_credibility, InfoCredibility)
    _choice_error(errors, "classification", data.classification, Classification)
    if len(data.gatra) > len(Gatra.values) or len(set(data.gatra)) != len(data.gatra):
        errors.setdefault("gatra", []).append(_("Gatra ganda atau terlalu banyak."))
    for gatra in data.gatra:
        _choice_error(errors, "gatra", gatra, Gatra)
    _count_errors(errors, {name: getattr(data, name) for name in (*CASUALTY_FIELDS, "people_affected")})
    if (data.latitude is None) != (data.longitude is None):
        errors.setdefault("latitude", []).append(
            _("Lintang dan bujur harus diisi keduanya atau tidak sama sekali.")
        )
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        errors.setdefault("latitude", []).append(_("Lintang harus antara -90 dan 90."))
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        errors.setdefault("longitude", []).append(_("Bujur harus antara -180 dan 180."))
    now = timezone.now()
    if data.occurred_at > now + CLOCK_SKEW:
        errors.setdefault("occurred_at", []).append(_("Waktu kejadian tidak boleh di masa depan."))
    if data.reported_at is not None and data.reported_at > now + CLOCK_SKEW:
        errors.setdefault("reported_at", []).append(_("Waktu lapor tidak boleh di masa depan."))
    for name in ("occurred_at", "reported_at"):
        when = getattr(data, name)
        if when is None:
            continue
        offset = when.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            errors.setdefault(name, []).append(_("Zona waktu tidak sah: paling jauh 14 jam dari UTC."))
        elif when < EARLIEST_TIME:
            errors.setdefault(name, []).append(_("Waktu tidak boleh sebelum tahun 1900."))
        elif name == "reported_at" and when < EARLIEST_REPORTED:
            errors.setdefault(name, []).append(_("Waktu lapor tidak boleh sebelum tahun 2000."))

    # The boundary (a large polygon once imported) is not needed to file a report.
    # A code or a name ("Lombok", "Desa Long Ikis, Long Ikis"): the resolver every surface shares.
    place = resolve_place(data.region_code)
    region = place.region
    if region is None:
        errors.setdefault("region_code", []).append(candidates_sentence(place))
    elif region.level not in (Level.KECAMATAN, Level.DESA):
        errors.setdefault("region_code", []).append(_("Lokasi harus desa/kelurahan atau kecamatan."))

    forum = None
    if data.reporter_forum_code:
        membership = (
            Membership.objects.current()
            .filter(person_id=reporter.pk, forum__code=data.reporter_forum_code)
            .select_related("forum")
            .first()
        )
        if membership is None:
            errors.setdefault("reporter_forum_code", []).append(_("Anda bukan anggota forum ini."))
        else:
            forum = membership.forum
    if errors:
        raise ValidationError(errors)
    assert region is not None
    return region, forum


def _next_reference(kind: str, region: Region, when: datetime) -> str:
    """The next reference number for ``kind`` in ``region``'s regency and ``when``'s year.

    One statement takes the next number and locks its counter row until the transaction ends
    (RETURNING needs SQLite 3.35+, which the settings require). So that the lock does not
    serialise whole submissions, on PostgreSQL outside any open transaction the statement runs
    as a transaction of its own, committed without waiting for the disk (``synchronous_commit``
    off for that one transaction): the report's own commit, which waits, writes the log up to
    and past it, so a stored report's number is never handed out again after a crash. A number
    taken by a submission that then fails is skipped, never reused: unique, not gapless.
    """
    regency = region.code[:5].replace(".", "")
    year = timezone.localtime(when).year
    prefix = f"{kind}-{regency}-{year}"
    table = ReferenceSequence._meta.db_table
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        source = "SELECT %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quick"
    else:
        source = "VALUES (%s, 1)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last_number) {source} "  # table name from the model
            f"ON CONFLICT (prefix) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [prefix],
        )
        row = cursor.fetchone()
    return f"{prefix}-{int(row[0]):06d}"


def _earlier_submission(reporter: Person, key: str, fingerprint: str) -> SubmitResult | None:
    """The report first stored under ``key``, or None if the key is unused.

    Raises IdempotencyConflict when the key was used for a different submission."""
    earlier = (
        IdempotencyRecord.objects.select_related("report").filter(person_id=reporter.pk, key=key).first()
    )
    if earlier is None:
        return None
    if earlier.fingerprint != fingerprint or earlier.report is None:
        raise IdempotencyConflict(key)
    return SubmitResult(report=earlier.report, created=False)


def submit_report(
    *,
    reporter: Person,
    data: ReportInput,
    idempotency_key: str | None = None,
    channel: str = "web",
    request: HttpRequest | None = None,
    triage_suggestion: Mapping[str, Any] | None = None,
) -> SubmitResult:
    """Store a report once.

    Steps: validate every field; in one transaction claim the idempotency key (a retry with the
    same key returns the first report, a different submission under a used key is refused);
    number the report; store it and its encrypted informant; record the audit entry; when the
    reporter was shown a triage suggestion (``triage_suggestion``: isu, athg, level,
    region_code), record it against the values filed as a triage correction, in the same
    transaction.
    """
    region, forum = validate_report_input(data, reporter=reporter)
    fingerprint = data.fingerprint()
    if idempotency_key:
        # A retry finds its first result here, before a reference number is taken for nothing.
        earlier = _earlier_submission(reporter, idempotency_key, fingerprint)
        if earlier is not None:
            return earlier
    reported_at = data.reported_at or timezone.now()
    reference = _next_reference("SKD", region, reported_at)
    with transaction.atomic():
        claim: IdempotencyRecord | None = None
        if idempotency_key:
            try:
                with transaction.atomic():
                    claim = IdempotencyRecord.objects.create(
                        person_id=reporter.pk, key=idempotency_key, fingerprint=fingerprint
                    )
            except IntegrityError:
                # The same key committed by a concurrent request since the check above.
                earlier = _earlier_submission(reporter, idempotency_key, fingerprint)
                if earlier is None:
                    raise IdempotencyConflict(idempotency_key) from None
                return earlier

        report = Report.objects.create(
            reference=reference,
            reporter=reporter,
            reporter_forum=forum,
            channel=channel,
            jenis=data.jenis,
            athg=data.athg,
            gatra=sorted(data.gatra),
            isu=data.isu,
            alert_level=data.alert_level,
            title=data.title.strip(),
            what=data.what.strip(),
            who=data.who.strip(),
            cause=data.cause.strip(),
            where_detail=data.where_detail.strip(),
            latest_condition=data.latest_condition.strip(),
            interim_handling=data.interim_handling.strip(),
            region=region,
            latitude=data.latitude,
            longitude=data.longitude,
            occurred_at=data.occurred_at,
            reported_at=reported_at,
            source_description=data.source_description.strip(),
            source_reliability=data.source_reliability,
            info_credibility=data.info_credibility,
            casualties_dead=data.casualties_dead,
            casualties_injured=data.casualties_injured,
            casualties_displaced=data.casualties_displaced,
            people_affected=data.people_affected,
            classification=data.classification,
            verify_due_at=verification_deadline(data.alert_level, timezone.now(), region=region.code),
        )
        if data.informant_name.strip() or data.informant_contact.strip():
            Informant.objects.create(
                report=report,
                name_encrypted=crypto.encrypt(data.informant_name.strip()),
                contact_encrypted=crypto.encrypt(data.informant_contact.strip()),
                is_secret=data.informant_secret,
            )
        else:
            # Remember that there is none, so that reading report.informant needs no query.
            Report.informant.related.set_cached_value(report, None)
        if claim is not None:
            claim.report = report
            claim.save(update_fields=["report"])
        report_event(Kind.REPORT_SUBMITTED, report)  # sent after commit, before its dispositions
        # The audit entry comes last: appending to the chain takes a lock held until commit, so
        # everything before it runs in parallel with other submissions and only the append and
        # the commit are serialised (docs/benchmarks.md, intake).
        record(
            action="report.submitted",
            actor=reporter,
            obj=report,
            changes={
                "reference": report.reference,
                "isu": report.isu,
                "alert_level": report.alert_level,
                "region": region.code,
                "has_informant": bool(data.informant_name.strip() or data.informant_contact.strip()),
            },
            request=request,
            channel=channel,
        )
        if triage_suggestion:
            from waspada.triage.actions import record_report_suggestion

            record_report_suggestion(
                report=report,
                suggested=triage_suggestion,
                source="form" if channel == "web" else channel,
                request=request,
            )
        if report.alert_level == AlertLevel.AWAS:
            # Violence happening or imminent: route at once, before anyone verifies it.
            from waspada.response.actions import route_report

            route_report(report=report, by=None)
    return SubmitResult(report=report, created=True)


def attach_file(
    *,
    report: Report,
    uploader: Person,
    data: bytes,
    original_name: str = "",
    request: HttpRequest | None = None,
) -> Attachment:
    """Check a file by its content, strip its metadata, and attach it to a report."""
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"attachments": [_("Paling banyak %(n)d lampiran.") % {"n": MAX_ATTACHMENTS}]})
    try:
        clean = clean_upload(data)
    except UploadRejected as exc:
        raise ValidationError({"attachments": [str(exc)]}) from exc
    with transaction.atomic():
        attachment = Attachment(report=report, uploaded_by=uploader)
        store_clean_file(attachment, clean, original_name)
        record(
            action="report.attachment_added",
            actor=uploader,
            obj=report,
            changes={"sha256": clean.sha256, "content_type": clean.content_type, "size": attachment.size},
            request=request,
        )
    return attachment


def update_casualties(
    *,
    report: Report,
    by: Person,
    dead: int | None,
    injured: int | None,
    displaced: int | None,
    reason: str,
    request: HttpRequest | None = None,
) -> Report:
    """The analyst of the report's deciding TKD sets its casualties as now known (a toll rises, a
    rumour of a death is denied), with a reason; None is "not known". Audited as
    ``report.casualties_updated`` with the counts before and after: the series and the death
    rule read that entry (detection/series.py, detection/deaths.py), so a report whose toll
    becomes one dead is a signal at once, and one whose death is withdrawn no longer carries it."""
    _require_triage(by, report)
    counts = {"casualties_dead": dead, "casualties_injured": injured, "casualties_displaced": displaced}
    errors: dict[str, list[str]] = {}
    _count_errors(errors, counts)
    if not reason.strip():
        errors["reason"] = [_("Alasan wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = {name: getattr(locked, name) for name in CASUALTY_FIELDS}
        if before == counts:
            return locked
        for name, value in counts.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(CASUALTY_FIELDS))
        record(
            action="report.casualties_updated",
            actor=by,
            obj=locked,
            changes={
                **{
                    name: [before[name], counts[name]]
                    for name in CASUALTY_FIELDS
                    if before[name] != counts[name]
                },
                "reason": reason.strip(),
            },
            request=request,
        )
    return locked


def set_report_point(
    *, report: Report, by: Person, latitude: float, longitude: float, request: HttpRequest | None = None
) -> Report:
    """The reporter adds the point of a report filed without one (a location pin sent after a
    chat report). A report that has a point keeps it: moving it is the analyst's verification."""
    if report.reporter_id != by.pk:
        raise PermissionError(_("Hanya pelapor yang dapat menambahkan titik lokasi laporannya."))
    errors: dict[str, list[str]] = {}
    if not -90 <= latitude <= 90:
        errors["latitude"] = [_("Lintang harus antara -90 dan 90.")]
    if not -180 <= longitude <= 180:
        errors["longitude"] = [_("Bujur harus antara -180 dan 180.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.latitude is not None:
            raise ValidationError({"latitude": [_("Laporan ini sudah mempunyai titik lokasi.")]})
        locked.latitude, locked.longitude = latitude, longitude
        locked.save(update_fields=["latitude", "longitude"])
        record(
            action="report.point_added",
            actor=by,
            obj=locked,
            changes={"latitude": latitude, "longitude": longitude},
            request=request,
        )
    return locked


def _require_triage(person: Person, *objects: Report | Incident) -> None:
    """Triage belongs to the senior roles of each object's deciding TKD (rule 6 of
    visibility.py): checked on every report and incident the action changes."""
    if not can_triage(person) or not all(may_decide_region(person, obj.region_id) for obj in objects):
        raise PermissionError(_("Hanya analis Tim Kewaspadaan Dini wilayah ini yang dapat melakukan ini."))


def _require_not_merged(incident: Incident, field_name: str = "incident") -> None:
    """A merged incident is history: its reports live in the incident it was merged into."""
    if incident.merged_into_id is not None:
        raise ValidationError(
            {field_name: [_("Insiden ini sudah digabung ke insiden lain; gunakan insiden tujuan.")]}
        )


def _require_reason(reason: str, field_name: str = "reason") -> str:
    if not reason.strip():
        raise ValidationError({field_name: [_("Alasan wajib diisi.")]})
    return reason.strip()


@dataclass(frozen=True)
class Reclassification:
    """What an analyst corrects while verifying; None keeps the reporter's value."""

    isu: str | None = None
    athg: str | None = None
    alert_level: str | None = None
    region_code: str | None = None

    def is_empty(self) -> bool:
        return all(value in (None, "") for value in asdict(self).values())


def _check_reclassification(by: Person, changes: Reclassification) -> Region | None:
    """Validate a correction per field; return the new region (None: unchanged)."""
    errors: dict[str, list[str]] = {}
    if changes.isu:
        _choice_error(errors, "isu", changes.isu, Isu)
    if changes.athg:
        _choice_error(errors, "athg", changes.athg, Athg)
    if changes.alert_level:
        _choice_error(errors, "alert_level", changes.alert_level, AlertLevel)
    region = None
    if changes.region_code:
        # PostgreSQL cannot compare text holding NUL: such a code is simply unknown.
        code = changes.region_code
        region = None if "\x00" in code else Region.objects.defer("boundary").filter(code=code).first()
        if region is None:
            errors["region_code"] = [
                _("Kode wilayah %(code)s tidak dikenal.") % {"code": code[:20].replace("\x00", "")}
            ]
        elif region.level not in (Level.KECAMATAN, Level.DESA):
            errors["region_code"] = [_("Lokasi harus desa/kelurahan atau kecamatan.")]
        elif not may_decide_region(by, region.code):
            errors["region_code"] = [_("Lokasi ini di luar wilayah Tim Kewaspadaan Dini Anda.")]
    if errors:
        raise ValidationError(errors)
    return region


def _classification_of(report: Report) -> dict[str, str]:
    return {
        "isu": report.isu,
        "athg": report.athg,
        "level": report.alert_level,
        "region_code": report.region_id,
    }


def _apply_reclassification(
    report: Report, by: Person, changes: Reclassification, region: Region | None, request: HttpRequest | None
) -> list[str]:
    """Write the corrected values on the locked ``report``; recompute its verification deadline
    when the level changes; record the correction for triage training. Returns the fields changed."""
    before = _classification_of(report)
    if changes.isu:
        report.isu = changes.isu
    if changes.athg:
        report.athg = changes.athg
    if changes.alert_level:
        report.alert_level = changes.alert_level
    if region is not None:
        report.region = region
    after = _classification_of(report)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return []
    fields = {"isu": "isu", "athg": "athg", "level": "alert_level", "region_code": "region"}
    update = [fields[name] for name in changed]
    if "level" in changed or "region_code" in changed:
        # The clock keeps its start (the report's arrival); its length follows the level, and
        # the days off it skips are those of the report's place.
        report.verify_due_at = verification_deadline(
            report.alert_level, report.received_at, region=report.region_id
        )
        update.append("verify_due_at")
    report.save(update_fields=update)
    record(
        action="report.reclassified",
        actor=by,
        obj=report,
        changes={name: [before[name], after[name]] for name in changed},
        request=request,
    )
    # What the reporter chose against what the analyst kept: training data for the triage.
    from waspada.triage.actions import record_correction
    from waspada.triage.training import report_text

    record_correction(
        by=by,
        text=report_text(report),
        suggested=before,
        final=after,
        report=report,
        source="verifikasi",
        request=request,
    )
    return changed


def verify_report(
    *,
    report: Report,
    by: Person,
    incident: Incident | None = None,
    title: str = "",
    corrections: Reclassification | None = None,
    request: HttpRequest | None = None,
) -> Incident:
    """Mark a report verified and attach it to an incident (a new one unless given).

    ``corrections`` (isu, ATHG, level, place) are applied first, in the same transaction, so
    the incident and the routing follow the corrected values; the correction is recorded for
    triage training.
    """
    _require_triage(by, report, *([incident] if incident is not None else []))
    if incident is not None:
        _require_not_merged(incident)
    changes = corrections or Reclassification()
    region = _check_reclassification(by, changes)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status not in (ReportStatus.BARU, ReportStatus.DITOLAK):
            raise ValidationError({"status": [_("Laporan ini sudah diverifikasi atau digabung.")]})
        changed = _apply_reclassification(report, by, changes, region, request)
        if incident is None:
            incident = Incident.objects.create(
                reference=_next_reference("INS", report.region, timezone.now()),
                title=title.strip() or report.title,
                region=report.region,
                isu=report.isu,
                alert_level=report.alert_level,
                classification=report.classification,
                occurred_at=report.occurred_at,
                created_by=by,
            )
            record(
                action="incident.created",
                actor=by,
                obj=incident,
                changes={"from_report": report.reference},
                request=request,
            )
        before = report.status
        report.status = ReportStatus.TERVERIFIKASI
        report.incident = incident
        report.verified_by = by
        report.verified_at = timezone.now()
        report.status_reason = ""
        report.save(update_fields=["status", "incident", "verified_by", "verified_at", "status_reason"])
        _refresh_incident(incident)
        record(
            action="report.verified",
            actor=by,
            obj=report,
            changes={
                "status": [before, report.status],
                "incident": incident.reference,
                **({"corrected": changed} if changed else {}),
            },
            request=request,
        )
        # A verified report goes to the forums that must act on it (response app).
        from waspada.response.actions import route_report

        route_report(report=report, by=by)
        report_event(Kind.REPORT_VERIFIED, report)  # sent after commit
    return incident


def reject_report(*, report: Report, by: Person, reason: str, request: HttpRequest | None = None) -> Report:
    _require_triage(by, report)
    reason = _require_reason(reason)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        before = report.status
        old_incident = report.incident
        report.status = ReportStatus.DITOLAK
        report.status_reason = reason
        report.incident = None
        report.save(update_fields=["status", "status_reason", "incident"])
        if old_incident is not None:
            _refresh_incident(old_incident)
        record(
            action="report.rejected",
            actor=by,
            obj=report,
            changes={"status": [before, report.status], "reason": reason},
            request=request,
        )
        report_event(Kind.REPORT_REJECTED, report, reason)  # the reporter hears why; sent after commit
    return report


def merge_incidents(
    *,
    target: Incident,
    sources: list[Incident],
    by: Person,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Incident:
    """Move every report of ``sources`` into ``target``; the sources stay, pointing at the target."""
    _require_triage(by, target, *sources)
    _require_not_merged(target, "target")
    for source in sources:
        _require_not_merged(source, "sources")
    with transaction.atomic():
        for source in sources:
            if source.pk == target.pk:
                raise ValidationError(
                    {"sources": [_("Insiden tidak dapat digabung dengan dirinya sendiri.")]}
                )
            moved = list(source.reports.values_list("reference", flat=True))
            source.reports.update(incident=target)
            source.merged_into = target
            source.save(update_fields=["merged_into"])
            record(
                action="incident.merged",
                actor=by,
                obj=source,
                changes={"into": target.reference, "reports": moved, "reason": reason},
                request=request,
            )
        _refresh_incident(target)
    return target


def split_incident(
    *,
    incident: Incident,
    reports: list[Report],
    by: Person,
    title: str = "",
    request: HttpRequest | None = None,
) -> Incident:
    """Move some reports of an incident into a new incident; each report keeps its own history."""
    _require_triage(by, incident, *reports)
    _require_not_merged(incident)
    if not reports:
        raise ValidationError({"reports": [_("Pilih paling sedikit satu laporan.")]})
    with transaction.atomic():
        if any(report.incident_id != incident.pk for report in reports):
            raise ValidationError({"reports": [_("Laporan yang dipilih bukan bagian dari insiden ini.")]})
        if len(reports) == incident.reports.count():
            raise ValidationError({"reports": [_("Sisakan paling sedikit satu laporan di insiden asal.")]})
        first = reports[0]
        new = Incident.objects.create(
            reference=_next_reference("INS", first.region, timezone.now()),
            title=title.strip() or first.title,
            region=first.region,
            isu=first.isu,
            alert_level=first.alert_level,
            classification=first.classification,
            occurred_at=min(report.occurred_at for report in reports),
            created_by=by,
        )
        Report.objects.filter(pk__in=[report.pk for report in reports]).update(incident=new)
        _refresh_incident(incident)
        _refresh_incident(new)
        record(
            action="incident.split",
            actor=by,
            obj=incident,
            changes={"new_incident": new.reference, "reports": [r.reference for r in reports]},
            request=request,
        )
    return new


def set_incident_level(
    *, incident: Incident, level: str | None, by: Person, reason: str, request: HttpRequest | None = None
) -> Incident:
    """Set the alert level by hand (with a reason), or hand it back to its reports (level None)."""
    _require_triage(by, incident)
    _require_not_merged(incident)
    reason = _require_reason(reason)
    if level is not None and level not in AlertLevel.values:
        raise ValidationError({"alert_level": [_("Pilihan tidak dikenal: %(value)s.") % {"value": level}]})
    with transaction.atomic():
        before = incident.alert_level
        incident.alert_level_override = level is not None
        incident.alert_level_reason = reason
        if level is not None:
            incident.alert_level = level
        incident.save(update_fields=["alert_level", "alert_level_override", "alert_level_reason"])
        if level is None:
            _refresh_incident(incident)
        record(
            action="incident.level_set",
            actor=by,
            obj=incident,
            changes={"alert_level": [before, incident.alert_level], "reason": reason},
            request=request,
        )
    return incident


def _refresh_incident(incident: Incident) -> None:
    """An incident carries the highest level of its reports unless an analyst set it."""
    incident.refresh_from_db()
    levels = list(incident.reports.values_list("alert_level", flat=True))
    if not incident.alert_level_override and levels:
        incident.alert_level = highest_level(levels)
        incident.save(update_fields=["alert_level"])


def share_report(*, report: Report, forum: Forum, by: Person, request: HttpRequest | None = None) -> None:
    _require_triage(by, report)
    with transaction.atomic():
        report.shared_with.add(forum)
        forget_access()  # the shared lists read earlier in this request are stale now
        record(action="report.shared", actor=by, obj=report, changes={"forum": forum.code}, request=request)


@dataclass(frozen=True)
class RevealedInformant:
    name: str
    contact: str
    purged_at: datetime | None = None  # set once retention has erased the identity


def reveal_informant(*, report: Report, by: Person, request: HttpRequest | None = None) -> RevealedInformant:
    """Decrypt an informant's identity for a designated handler, recording the look."""
    if not can_reveal_informant(by):
        raise PermissionError(_("Hanya penangan informan yang dapat membuka identitas."))
    if not may(by, REVEAL, report):
        # A handler of another regency's team: the informant is not theirs to see (rule 7).
        raise PermissionError(
            _("Identitas informan laporan ini hanya dibuka oleh penangan informan wilayahnya.")
        )
    informant = Informant.objects.get(report=report)
    with transaction.atomic():
        record(
            action="informant.revealed",
            actor=by,
            obj=report,
            changes={"reference": report.reference},
            request=request,
        )
    return RevealedInformant(
        name=crypto.decrypt(informant.name_encrypted),
        contact=crypto.decrypt(informant.contact_encrypted),
        purged_at=informant.purged_at,
    )


def can_mark_needs_province(person: Person, incident: Incident) -> bool:
    """The senior roles of the incident's deciding TKD (a regency TKD), and superusers."""
    return may_decide_region(person, incident.region_id)


def mark_needs_province(
    *, incident: Incident, needs: bool, reason: str, by: Person, request: HttpRequest | None = None
) -> Incident:
    """Mark (or unmark) an incident as needing the province, with a reason; audited.

    With the mark, the regency's Forkopimda step, when late, is followed by a disposition to the
    province's TKD (response/routing.py: ``next_forum``); without it the ladder stops at the
    regency's Forkopimda.
    """
    if not can_mark_needs_province(by, incident):
        raise PermissionError(
            _(
                "Hanya analis dan pimpinan Tim Kewaspadaan Dini kabupaten/kota insiden ini "
                "yang dapat menandainya."
            )
        )
    _require_not_merged(incident)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        before = locked.needs_province
        locked.needs_province = needs
        locked.needs_province_reason = reason
        locked.save(update_fields=["needs_province", "needs_province_reason"])
        record(
            action="incident.needs_province_set",
            actor=by,
            obj=locked,
            changes={"needs_province": [before, needs], "reason": reason},
            request=request,
        )
    return locked
