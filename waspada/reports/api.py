"""REST endpoints for reports and incidents. Every write calls reports/actions.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from waspada.forums.models import Forum
from waspada.lib.api_errors import ErrorOut
from waspada.lib.api_schema import (
    FORUM_CODE,
    LONG_TEXT,
    MAX_LIST,
    REFERENCE,
    REGION_CODE,
    Id,
    InSchema,
    Pages,
    Reference,
    When,
    text_field,
    typed,
)
from waspada.lib.taxonomy import (
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
)
from waspada.people.models import Person
from waspada.regions.models import within_q
from waspada.reports import actions, files
from waspada.reports.actions import MAX_COUNT, TEXT_LIMITS
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.reports.search import search
from waspada.reports.sharing import receives_summary_only, shared_place
from waspada.reports.visibility import can_see_exact_location, can_see_source

router = Router(tags=["laporan"])
incidents_router = Router(tags=["insiden"])
WITA = ZoneInfo("Asia/Makassar")


def _me(request: HttpRequest) -> Person:
    """The authenticated person (set by the API's auth classes)."""
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


def _aware(value: datetime | None) -> datetime | None:
    """A time without a zone is WITA, the reporter's clock."""
    if value is None:
        return None
    return value if timezone.is_aware(value) else value.replace(tzinfo=WITA)


class TriageSuggestionIn(InSchema):
    isu: str | None = text_field(None, max_length=40)
    athg: str | None = text_field(None, max_length=40)
    level: str | None = text_field(None, max_length=40)
    region_code: str | None = text_field(None, max_length=200)


def _limited(name: str, *, required: bool = False, description: str | None = None) -> Any:
    """A report text with the action's limit (actions.TEXT_LIMITS)."""
    default = ... if required else ""
    return text_field(default, max_length=TEXT_LIMITS[name], required=required, description=description)


COUNT = Field(0, ge=0, le=MAX_COUNT)
# A casualty count where known: null or absent is "not known", never 0.
CASUALTIES = Field(
    None,
    ge=0,
    le=MAX_COUNT,
    description="Bilangan bulat 0 sampai 10.000.000; null atau tidak diisi: belum diketahui",
)
# A reported time: from 1900 (earlier is a typing mistake) up to now, at most 14 hours from UTC.
TIME_RANGE = (
    "dari tahun 1900 sampai sekarang (paling lama 10 menit ke depan), zona paling jauh 14 jam dari UTC"
)


class ReportIn(InSchema):
    title: str = _limited("title", required=True, description="Judul singkat")
    what: str = _limited("what", required=True, description="Apa yang terjadi")
    athg: Athg
    isu: Isu
    alert_level: AlertLevel
    region_code: str = text_field(
        max_length=200,
        required=True,
        description=(
            "Desa/kelurahan atau kecamatan: kode Kemendagri (64.01.06.2006) atau nama yang hanya "
            "dimiliki satu wilayah (Lombok; Kelurahan Long Ikis; Selerong, Muara Komam)"
        ),
    )
    occurred_at: When = Field(
        ..., description=f"Waktu kejadian; tanpa zona waktu dianggap WITA; {TIME_RANGE}"
    )
    jenis: Jenis = Jenis.INSIDENTIL
    gatra: list[Gatra] = Field(
        default_factory=list, max_length=len(Gatra.values), json_schema_extra={"uniqueItems": True}
    )
    who: str = _limited("who")
    cause: str = _limited("cause")
    where_detail: str = _limited("where_detail")
    latest_condition: str = _limited("latest_condition")
    interim_handling: str = _limited("interim_handling")
    latitude: float | None = Field(None, ge=-90, le=90, description="Lintang; diisi bersama bujur")
    longitude: float | None = Field(None, ge=-180, le=180, description="Bujur; diisi bersama lintang")
    reported_at: When | None = Field(None, description=f"Waktu dilaporkan; {TIME_RANGE}")
    source_description: str = _limited("source_description")
    source_reliability: SourceReliability = SourceReliability.F
    info_credibility: InfoCredibility = InfoCredibility.C6
    casualties_dead: int | None = CASUALTIES
    casualties_injured: int | None = CASUALTIES
    casualties_displaced: int | None = CASUALTIES
    people_affected: int = COUNT
    classification: Classification = Classification.BIASA
    reporter_forum_code: str | None = text_field(
        None, max_length=FORUM_CODE, description="Forum Anda yang melaporkan (kode)"
    )
    informant_name: str = _limited("informant_name")
    informant_contact: str = _limited("informant_contact")
    informant_secret: bool = True
    triage_suggestion: TriageSuggestionIn | None = Field(
        None,
        description=(
            "Saran triase yang ditunjukkan kepada pelapor (dari POST /api/v1/triage/suggest): isu, athg, "
            "level, region_code. Dicatat bersama laporan sebagai koreksi triase (data latih); nilai yang "
            "tidak dikenal diabaikan."
        ),
    )

    def to_input(self) -> actions.ReportInput:
        data = self.dict(exclude={"triage_suggestion"})
        data["occurred_at"] = _aware(self.occurred_at)
        data["reported_at"] = _aware(self.reported_at)
        return actions.ReportInput(**data)


class AttachmentOut(Schema):
    id: int
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Alamat berkas di API (hanya untuk yang boleh melihat laporannya)")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/reports/{obj.report.reference}/attachments/{obj.pk}"


class ReportOut(Schema):
    reference: str
    status: str
    title: str
    what: str
    who: str
    cause: str
    where_detail: str
    latest_condition: str
    interim_handling: str
    jenis: str
    athg: str
    gatra: list[str]
    isu: str
    alert_level: str
    classification: str
    region_code: str
    region_name: str
    latitude: float | None
    longitude: float | None
    occurred_at: datetime
    reported_at: datetime
    source_description: str = Field(
        description="Sumber informasi: hanya untuk pelapor dan pimpinan TKD wilayahnya; selain itu kosong"
    )
    source_reliability: str
    info_credibility: str
    casualties_dead: int | None = Field(description="Korban meninggal; null: belum diketahui")
    casualties_injured: int | None = Field(description="Korban luka; null: belum diketahui")
    casualties_displaced: int | None = Field(description="Warga mengungsi; null: belum diketahui")
    people_affected: int
    reporter_forum_code: str | None
    incident_reference: str | None
    has_informant: bool
    attachments: list[AttachmentOut]
    verify_due_at: datetime | None = Field(
        None, description="Batas verifikasi menurut tingkat kewaspadaan (docs/verification.md)"
    )


class IncidentOut(Schema):
    reference: str
    title: str
    isu: str
    alert_level: str
    alert_level_override: bool
    alert_level_reason: str
    region_code: str
    region_name: str
    occurred_at: datetime
    merged_into: str | None
    report_references: list[str]


def report_out(report: Report, viewer: Any, attachments: list[Any] | None = None) -> dict[str, Any]:
    """Serialise a report for ``viewer``: never the informant, the exact point only if allowed.

    ``attachments`` may be given when the caller knows them (a report just made has none).
    """
    exact = can_see_exact_location(viewer, report)
    return {
        **{
            name: getattr(report, name)
            for name in (
                "reference",
                "status",
                "title",
                "what",
                "who",
                "cause",
                "latest_condition",
                "interim_handling",
                "jenis",
                "athg",
                "gatra",
                "isu",
                "alert_level",
                "classification",
                "occurred_at",
                "reported_at",
                "source_reliability",
                "info_credibility",
                "casualties_dead",
                "casualties_injured",
                "casualties_displaced",
                "people_affected",
                "verify_due_at",
            )
        },
        "source_description": report.source_description if can_see_source(viewer, report) else "",
        "region_code": report.region_id,
        "region_name": report.region.name,
        "where_detail": report.where_detail if exact else "",
        "latitude": report.latitude if exact else None,
        "longitude": report.longitude if exact else None,
        "reporter_forum_code": report.reporter_forum.code if report.reporter_forum else None,
        "incident_reference": report.incident.reference if report.incident else None,
        "has_informant": hasattr(report, "informant"),
        "attachments": list(report.attachments.all()) if attachments is None else attachments,
    }


def incident_out(incident: Incident, viewer: Any) -> dict[str, Any]:
    if receives_summary_only(viewer, incident):
        # Shared by another regency's TKD (docs/cross-border.md): the kecamatan, no reports.
        place = shared_place(incident)
        return {
            **{
                name: getattr(incident, name)
                for name in ("reference", "title", "isu", "alert_level", "occurred_at")
            },
            "alert_level_override": False,
            "alert_level_reason": "",
            "region_code": place.code,
            "region_name": place.name,
            "merged_into": None,
            "report_references": [],
        }
    visible = Report.objects.visible_to(viewer).filter(incident=incident)
    return {
        "reference": incident.reference,
        "title": incident.title,
        "isu": incident.isu,
        "alert_level": incident.alert_level,
        "alert_level_override": incident.alert_level_override,
        "alert_level_reason": incident.alert_level_reason,
        "region_code": incident.region_id,
        "region_name": incident.region.name,
        "occurred_at": incident.occurred_at,
        "merged_into": incident.merged_into.reference if incident.merged_into else None,
        "report_references": list(visible.values_list("reference", flat=True)),
    }


def _visible_reports(request: HttpRequest) -> Any:
    return (
        Report.objects.visible_to(_me(request))
        .select_related("region", "reporter_forum", "incident", "informant")
        .prefetch_related("attachments")
    )


def _get_report(request: HttpRequest, reference: str) -> Report:
    if "\x00" in reference:  # no reference has one, and PostgreSQL cannot compare text with it
        raise Http404
    return get_object_or_404(_visible_reports(request), reference=reference)


def _get_incident(request: HttpRequest, reference: str) -> Incident:
    if "\x00" in reference:
        raise Http404
    return get_object_or_404(
        Incident.objects.visible_to(_me(request)).select_related("region", "merged_into"), reference=reference
    )


@router.post(
    "/",
    response={201: ReportOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Kirim laporan (Idempotency-Key: kirim ulang aman)",
)
def submit(request: HttpRequest, response: HttpResponse, payload: ReportIn) -> tuple[int, dict[str, Any]]:
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and len(key) > 200:
        from django.core.exceptions import ValidationError

        raise ValidationError({"Idempotency-Key": ["Terlalu panjang, maksimal 200 karakter."]})
    suggestion = payload.triage_suggestion.dict() if payload.triage_suggestion else None
    result = actions.submit_report(
        reporter=_me(request),
        data=payload.to_input(),
        idempotency_key=key,
        channel="api",
        request=request,
        triage_suggestion=suggestion,
    )
    if not result.created:
        response["Idempotent-Replayed"] = "true"
        report = _visible_reports(request).get(pk=result.report.pk)
        return 201, report_out(report, _me(request))
    # A report just made is the reporter's own (always visible to them), with its region and
    # forum in memory and no attachments yet: answer without reading it back.
    return 201, report_out(result.report, _me(request), attachments=[])


# ISO 8601 as the API reads it: a day, or a day and a time with an optional zone
PERIOD_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
_PERIOD = (
    "Tanggal (TTTT-BB-HH, satu hari penuh WITA) atau waktu ISO 8601 (2026-12-07T08:00:00+08:00; "
    "tanpa zona dibaca WITA)"
)


def _moment(name: str, raw: str | None, *, end: bool) -> datetime | None:
    """``since`` / ``until`` as a bound: a date is the whole day in WITA (``until`` inclusive),
    a date-time that moment. Bad text: a 422 naming the parameter."""
    from datetime import date, time, timedelta

    from django.core.exceptions import ValidationError

    from waspada.lib.input import EARLIEST_DAY, LATEST_DAY

    if not raw:
        return None
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=WITA)
        else:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=WITA)
    except ValueError:
        raise ValidationError(
            {name: [f"Bukan tanggal atau waktu ISO 8601 (TTTT-BB-HH atau TTTT-BB-HHTjj:mm): {text[:40]}."]}
        ) from None
    # checked before any arithmetic: 9999-12-31 plus a day does not exist
    if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
        raise ValidationError({name: ["Harus antara 1 Januari 1900 dan 31 Desember 2100."]})
    return moment + timedelta(days=1) if end and len(text) == 10 else moment


def _period(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None, bool]:
    """The bounds, and whether ``until`` is exclusive (a whole day) or inclusive (a moment)."""
    from django.core.exceptions import ValidationError

    start, end = _moment("since", since, end=False), _moment("until", until, end=True)
    if start is not None and end is not None and end < start:
        raise ValidationError({"until": ["Tidak boleh sebelum since."]})
    return start, end, bool(until and len(until.strip()) == 10)


def _in_period(rows: Any, field: str, since: str | None, until: str | None) -> Any:
    start, end, whole_day = _period(since, until)
    if start is not None:
        rows = rows.filter(**{f"{field}__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{field}__lt" if whole_day else f"{field}__lte": end})
    return rows


def _of_forum(rows: Any, forum: str | None, *, incidents: bool = False) -> Any:
    """Filed through ``forum`` or disposed to it, as the situation lists read ``forum``."""
    if not forum:
        return rows
    if incidents:
        filed = Report.objects.filter(
            Q(reporter_forum__code=forum) | Q(dispositions__forum__code=forum), incident__isnull=False
        ).values("incident_id")
        return rows.filter(pk__in=filed)
    to_forum = Report.objects.filter(dispositions__forum__code=forum).values("pk")
    return rows.filter(Q(reporter_forum__code=forum) | Q(pk__in=to_forum))


_Q_DESCRIPTION = (
    "Kata yang dicari di judul dan uraian; setiap kata harus ada, memaafkan imbuhan dan kata "
    "majemuk (batubara = batu bara)"
)


@router.get(
    "/", response={200: list[ReportOut], 422: ErrorOut}, summary="Daftar laporan yang boleh Anda lihat"
)
@paginate(Pages, page_size=50)
@typed
def list_reports(
    request: HttpRequest,
    status: ReportStatus | None = None,
    isu: Isu | None = None,
    alert_level: AlertLevel | None = None,
    athg: Athg | None = None,
    region: str | None = Query(
        None, max_length=REGION_CODE, description="Kode wilayah; termasuk wilayah di bawahnya"
    ),
    forum: str | None = Query(
        None,
        max_length=FORUM_CODE,
        description="Kode forum: laporan yang dikirim lewat atau didisposisikan ke forum itu",
    ),
    since: str | None = Query(
        None, max_length=40, pattern=PERIOD_PATTERN, description="Dilaporkan sejak. " + _PERIOD
    ),
    until: str | None = Query(
        None, max_length=40, pattern=PERIOD_PATTERN, description="Dilaporkan sampai (termasuk). " + _PERIOD
    ),
    q: str | None = Query(None, max_length=200, description=_Q_DESCRIPTION),
) -> Any:
    reports = _visible_reports(request)
    if status:
        reports = reports.filter(status=status)
    if isu:
        reports = reports.filter(isu=isu)
    if alert_level:
        reports = reports.filter(alert_level=alert_level)
    if athg:
        reports = reports.filter(athg=athg)
    if region:
        reports = reports.filter(within_q(region))
    reports = _of_forum(_in_period(reports, "reported_at", since, until), forum)
    if q:
        reports = search(reports, q)
    return _LazyOut(reports, _me(request), report_out)


class _LazyOut:
    """Serialise only the page that the paginator slices out."""

    def __init__(self, queryset: Any, viewer: Any, serialise: Any) -> None:
        self.queryset, self.viewer, self.serialise = queryset, viewer, serialise

    def __len__(self) -> int:
        return int(self.queryset.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [self.serialise(row, self.viewer) for row in self.queryset[item]]


@router.get("/{reference}", response={200: ReportOut, 404: ErrorOut})
def get_report(request: HttpRequest, reference: str) -> dict[str, Any]:
    return report_out(_get_report(request, reference), _me(request))


@router.post(
    "/{reference}/attachments", response={201: AttachmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def add_attachment(
    request: HttpRequest,
    reference: str,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare an upload
) -> tuple[int, Any]:
    report = _get_report(request, reference)
    if report.reporter_id != _me(request).pk:
        raise PermissionError("Hanya pelapor yang dapat menambah lampiran.")
    data = file.read(10 * 1024 * 1024 + 1)
    return 201, actions.attach_file(
        report=report, uploader=_me(request), data=data, original_name=file.name or "", request=request
    )


_FILE_RESPONSES = {200: None, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/{reference}/attachments/{attachment_id}",
    response=_FILE_RESPONSES,
    summary="Buka lampiran (foto atau PDF) laporan yang boleh Anda lihat",
)
def get_attachment(request: HttpRequest, reference: str, attachment_id: Id) -> HttpResponseBase:
    return files.attachment_response(
        request, files.visible_attachment(_me(request), reference, attachment_id)
    )


@router.get(
    "/{reference}/attachments/{attachment_id}/thumbnail",
    response=_FILE_RESPONSES,
    summary="Miniatur JPEG sebuah foto lampiran",
)
def get_attachment_thumbnail(request: HttpRequest, reference: str, attachment_id: Id) -> HttpResponseBase:
    return files.thumbnail_response(request, files.visible_attachment(_me(request), reference, attachment_id))


class VerifyIn(InSchema):
    incident_reference: str | None = text_field(
        None, max_length=REFERENCE, description="Insiden yang sudah ada; kosong: insiden baru"
    )
    title: str = text_field("", max_length=200, description="Judul insiden baru; kosong: judul laporan")
    isu: Isu | Literal[""] | None = Field(None, description="Isu yang diperbaiki analis; kosong: tetap")
    athg: Athg | Literal[""] | None = Field(None, description="Kelas ATHG yang diperbaiki; kosong: tetap")
    alert_level: AlertLevel | Literal[""] | None = Field(
        None, description="Tingkat kewaspadaan yang diperbaiki; kosong: tetap"
    )
    region_code: str | None = text_field(
        None,
        max_length=REGION_CODE,
        description="Lokasi (kode desa/kecamatan) yang diperbaiki; kosong: tetap",
    )


class ReasonIn(InSchema):
    reason: str = text_field(max_length=LONG_TEXT, required=True)


def _casualty(label: str) -> Any:
    # Required, so that a count left out is never wiped by accident; null: not known.
    return Field(..., ge=0, le=MAX_COUNT, description=f"{label}; null: belum diketahui")


class CasualtiesIn(InSchema):
    casualties_dead: int | None = _casualty("Korban meninggal")
    casualties_injured: int | None = _casualty("Korban luka")
    casualties_displaced: int | None = _casualty("Warga mengungsi")
    reason: str = text_field(
        max_length=LONG_TEXT, required=True, description="Alasan perubahan (jejak audit)"
    )


class ShareIn(InSchema):
    forum_code: str = text_field(max_length=FORUM_CODE, required=True)


class InformantOut(Schema):
    name: str
    contact: str
    purged_at: datetime | None = Field(None, description="Kapan identitas dihapus oleh aturan retensi")


@router.post("/{reference}/verify", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def verify(request: HttpRequest, reference: str, payload: VerifyIn) -> dict[str, Any]:
    report = _get_report(request, reference)
    incident = _get_incident(request, payload.incident_reference) if payload.incident_reference else None
    corrections = actions.Reclassification(
        isu=payload.isu, athg=payload.athg, alert_level=payload.alert_level, region_code=payload.region_code
    )
    incident = actions.verify_report(
        report=report,
        by=_me(request),
        incident=incident,
        title=payload.title,
        corrections=corrections,
        request=request,
    )
    return incident_out(incident, _me(request))


@router.post("/{reference}/reject", response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def reject(request: HttpRequest, reference: str, payload: ReasonIn) -> dict[str, Any]:
    report = _get_report(request, reference)
    actions.reject_report(report=report, by=_me(request), reason=payload.reason, request=request)
    return report_out(_get_report(request, reference), _me(request))


@router.post(
    "/{reference}/casualties", response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def update_casualties(request: HttpRequest, reference: str, payload: CasualtiesIn) -> dict[str, Any]:
    """Jumlah korban yang kini diketahui (analis TKD yang memutuskan wilayah laporan), dengan alasan."""
    report = _get_report(request, reference)
    actions.update_casualties(
        report=report,
        by=_me(request),
        dead=payload.casualties_dead,
        injured=payload.casualties_injured,
        displaced=payload.casualties_displaced,
        reason=payload.reason,
        request=request,
    )
    return report_out(_get_report(request, reference), _me(request))


@router.post("/{reference}/share", response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def share(request: HttpRequest, reference: str, payload: ShareIn) -> dict[str, Any]:
    report = _get_report(request, reference)
    forum = Forum.objects.active().filter(code=payload.forum_code).first()
    if forum is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"forum_code": [f"Forum {payload.forum_code[:40]} tidak dikenal."]})
    actions.share_report(report=report, forum=forum, by=_me(request), request=request)
    return report_out(_get_report(request, reference), _me(request))


@router.post(
    "/{reference}/informant/reveal",
    response={200: InformantOut, 403: ErrorOut, 404: ErrorOut},
    summary="Buka identitas informan (hanya penangan; tercatat di jejak audit)",
)
def reveal(request: HttpRequest, response: HttpResponse, reference: str) -> Any:
    report = _get_report(request, reference)
    if not hasattr(report, "informant"):
        raise Http404
    revealed = actions.reveal_informant(report=report, by=_me(request), request=request)
    response["Cache-Control"] = "no-store"  # an identity must not linger in any cache
    return revealed


@incidents_router.get(
    "/", response={200: list[IncidentOut], 422: ErrorOut}, summary="Daftar insiden yang boleh Anda lihat"
)
@paginate(Pages, page_size=50)
@typed
def list_incidents(
    request: HttpRequest,
    status: Literal["aktif", "digabung"] | None = None,
    isu: Isu | None = None,
    alert_level: AlertLevel | None = None,
    athg: Athg | None = None,
    region: str | None = Query(
        None, max_length=REGION_CODE, description="Kode wilayah; termasuk wilayah di bawahnya"
    ),
    forum: str | None = Query(
        None, max_length=FORUM_CODE, description="Kode forum: insiden dengan laporan lewat atau ke forum itu"
    ),
    since: str | None = Query(
        None, max_length=40, pattern=PERIOD_PATTERN, description="Terjadi sejak. " + _PERIOD
    ),
    until: str | None = Query(
        None, max_length=40, pattern=PERIOD_PATTERN, description="Terjadi sampai (termasuk). " + _PERIOD
    ),
    q: str | None = Query(None, max_length=200, description="Kata yang dicari di judul insiden"),
) -> Any:
    incidents = Incident.objects.visible_to(_me(request)).select_related("region", "merged_into")
    if status == "aktif":
        incidents = incidents.filter(merged_into__isnull=True)
    elif status == "digabung":
        incidents = incidents.filter(merged_into__isnull=False)
    if isu:
        incidents = incidents.filter(isu=isu)
    if alert_level:
        incidents = incidents.filter(alert_level=alert_level)
    if athg:
        incidents = incidents.filter(
            pk__in=Report.objects.filter(athg=athg, incident__isnull=False).values("incident_id")
        )
    if region:
        incidents = incidents.filter(within_q(region))
    incidents = _of_forum(_in_period(incidents, "occurred_at", since, until), forum, incidents=True)
    if q:
        incidents = search(incidents, q)
    return _LazyOut(incidents, _me(request), incident_out)


@incidents_router.get("/{reference}", response={200: IncidentOut, 404: ErrorOut})
def get_incident(request: HttpRequest, reference: str) -> dict[str, Any]:
    return incident_out(_get_incident(request, reference), _me(request))


class MergeIn(InSchema):
    sources: list[Reference] = Field(
        ...,
        min_length=1,
        max_length=MAX_LIST,
        description="Insiden yang digabung ke insiden ini (nomor)",
    )
    reason: str = text_field("", max_length=LONG_TEXT)


class SplitIn(InSchema):
    reports: list[Reference] = Field(
        ...,
        min_length=1,
        max_length=MAX_LIST,
        description="Laporan yang dipisah ke insiden baru (nomor)",
    )
    title: str = text_field("", max_length=200)


class LevelIn(InSchema):
    alert_level: AlertLevel | None = Field(..., description="Tingkat yang ditetapkan; null: menurut laporan")
    reason: str = text_field(max_length=LONG_TEXT, required=True)


@incidents_router.post(
    "/{reference}/merge", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def merge(request: HttpRequest, reference: str, payload: MergeIn) -> dict[str, Any]:
    target = _get_incident(request, reference)
    sources = [_get_incident(request, ref) for ref in payload.sources]
    actions.merge_incidents(
        target=target, sources=sources, by=_me(request), reason=payload.reason, request=request
    )
    return incident_out(_get_incident(request, reference), _me(request))


@incidents_router.post(
    "/{reference}/split", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def split(request: HttpRequest, reference: str, payload: SplitIn) -> dict[str, Any]:
    incident = _get_incident(request, reference)
    reports = [_get_report(request, ref) for ref in payload.reports]
    new = actions.split_incident(
        incident=incident, reports=reports, by=_me(request), title=payload.title, request=request
    )
    return incident_out(new, _me(request))


@incidents_router.post(
    "/{reference}/level", response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def set_level(request: HttpRequest, reference: str, payload: LevelIn) -> dict[str, Any]:
    incident = _get_incident(request, reference)
    actions.set_incident_level(
        incident=incident, level=payload.alert_level, by=_me(request), reason=payload.reason, request=request
    )
    return incident_out(_get_incident(request, reference), _me(request))
