"""REST endpoints for dispositions and their follow-up. Every write calls response/actions.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from waspada.forums.models import Forum
from waspada.lib.api_schema import (
    FORUM_CODE,
    LONG_TEXT,
    REFERENCE,
    USERNAME,
    Id,
    InSchema,
    Pages,
    text_field,
    typed,
)
from waspada.people.models import Person
from waspada.reports.api import ErrorOut
from waspada.reports.models import Report
from waspada.response import actions, files, metrics, states
from waspada.response.models import Disposition, DispositionKind, DispositionStatus, Outcome

router = Router(tags=["tindak lanjut"])


def _me(request: HttpRequest) -> Person:
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


class ProofOut(Schema):
    id: int
    content_type: str
    size: int
    url: str


class TimelineOut(Schema):
    kind: str
    text: str = Field(..., description="Dalam bahasa pembaca untuk teks yang ditulis sistem")
    actor: str | None
    created_at: datetime
    shared_with_reporter: bool = Field(False, description="Pelapor melihat langkah ini di laporannya")
    proofs: list[ProofOut] = Field(default_factory=list)


class DispositionOut(Schema):
    id: int
    report_reference: str
    report_title: str
    forum_code: str
    forum_name: str
    kind: str
    status: str
    reason: str
    created_at: datetime
    due_at: datetime | None
    due_for: str | None = Field(
        None, description="terima: batas menerima (menunggu); selesai: batas menyelesaikan (sudah diterima)"
    )
    overdue: bool = Field(..., description="terlambat: makna yang sama di semua halaman (docs/response.md)")
    acknowledged_at: datetime | None
    closed_at: datetime | None
    outcome: str
    lessons: str
    paused: bool
    pause_reason: str
    paused_seconds: int
    escalated: bool
    escalated_from: int | None
    assigned_to: str | None = Field(None, description="nama pengguna anggota yang ditugaskan ketua forum")
    assigned_to_name: str | None = None
    assigned_at: datetime | None = None
    actions: list[str] = Field(
        default_factory=list,
        description="tindakan yang boleh Anda lakukan sekarang (hanya pada satu disposisi)",
    )
    timeline: list[TimelineOut] = Field(default_factory=list)


def _proof_out(d: Disposition, proof: Any) -> dict[str, Any]:
    url = f"/api/v1/dispositions/{d.pk}/proofs/{proof.pk}"
    return {"id": proof.pk, "content_type": proof.content_type, "size": proof.size, "url": url}


def disposition_out(
    d: Disposition, with_timeline: bool = False, person: Person | None = None
) -> dict[str, Any]:
    """``overdue`` is the one meaning of late (``Disposition.is_late``); ``actions`` (given
    ``person``) what ``states.available_actions`` offers them."""
    return {
        "id": d.pk,
        "report_reference": d.report.reference,
        "report_title": d.report.title,
        "forum_code": d.forum.code,
        "forum_name": d.forum.name,
        "kind": d.kind,
        "status": d.status,
        "reason": d.reason,
        "created_at": d.created_at,
        "due_at": d.due_at,
        "due_for": None
        if d.due_at is None or not d.is_open
        else ("terima" if d.status == DispositionStatus.MENUNGGU else "selesai"),
        "overdue": d.is_overdue,
        "acknowledged_at": d.acknowledged_at,
        "closed_at": d.closed_at,
        "outcome": d.outcome,
        "lessons": d.lessons,
        "paused": d.paused_at is not None,
        "pause_reason": d.pause_reason,
        "paused_seconds": int(d.paused_duration().total_seconds()),
        "escalated": hasattr(d, "escalation"),
        "escalated_from": d.escalated_from_id,
        "assigned_to": d.assigned_to.username if d.assigned_to else None,
        "assigned_to_name": d.assigned_to.display_name if d.assigned_to else None,
        "assigned_at": d.assigned_at,
        "actions": [str(a) for a in states.available_actions(d, person)] if person is not None else [],
        "timeline": [
            {
                "kind": entry.kind,
                "text": entry.display_text,
                "actor": entry.actor.display_name if entry.actor else None,
                "created_at": entry.created_at,
                "shared_with_reporter": entry.shared_with_reporter,
                "proofs": [_proof_out(d, proof) for proof in entry.proofs.all()],
            }
            for entry in d.timeline.select_related("actor").prefetch_related("proofs")
        ]
        if with_timeline
        else [],
    }


def _visible(request: HttpRequest) -> Any:
    return Disposition.objects.visible_to(_me(request)).select_related(
        "report", "forum", "escalation", "assigned_to"
    )


def _get(request: HttpRequest, pk: int) -> Disposition:
    return get_object_or_404(_visible(request), pk=pk)


@router.get(
    "/", response={200: list[DispositionOut], 422: ErrorOut}, summary="Disposisi yang boleh Anda lihat"
)
@paginate(Pages, page_size=50)
@typed
def list_dispositions(
    request: HttpRequest,
    status: DispositionStatus | None = None,
    forum: str | None = Query(None, max_length=FORUM_CODE, description="Kode forum penerima"),
    overdue: bool | None = None,
) -> list[dict[str, Any]]:
    rows = _visible(request).order_by("due_at", "id")
    if status:
        rows = rows.filter(status=status)
    if forum:
        rows = rows.filter(forum__code=forum)
    if overdue is not None:
        late = Disposition.objects.late().values("pk")
        rows = rows.filter(pk__in=late) if overdue else rows.exclude(pk__in=late)
    return [disposition_out(d) for d in rows]


class MetricsOut(Schema):
    days: int
    by_forum: list[dict[str, Any]]
    by_kecamatan: list[dict[str, Any]]


@router.get(
    "/metrik",
    response={200: MetricsOut, 422: ErrorOut},
    summary="Kecepatan tanggapan per forum dan kecamatan",
)
def response_metrics(request: HttpRequest, days: int = Query(90, ge=1, le=3660)) -> dict[str, Any]:
    result = metrics.compute(Disposition.objects.visible_to(_me(request)), days=days)
    return {
        "days": result.days,
        "by_forum": [row.as_dict() for row in result.by_forum],
        "by_kecamatan": [row.as_dict() for row in result.by_kecamatan],
    }


@router.get("/{disposition_id}", response={200: DispositionOut, 404: ErrorOut, 422: ErrorOut})
def get_disposition(request: HttpRequest, disposition_id: Id) -> dict[str, Any]:
    return disposition_out(_get(request, disposition_id), with_timeline=True, person=_me(request))


class NewDispositionIn(InSchema):
    report_reference: str = text_field(max_length=REFERENCE, required=True)
    forum_code: str = text_field(max_length=FORUM_CODE, required=True)
    kind: DispositionKind = Field(DispositionKind.TINDAKAN, description="tindakan atau tembusan")
    reason: str = text_field(max_length=LONG_TEXT, required=True)


@router.get(
    "/{disposition_id}/proofs/{proof_id}",
    response={200: None, 404: ErrorOut, 422: ErrorOut},
    summary="Buka bukti tindak lanjut (foto atau PDF) disposisi yang boleh Anda lihat",
)
def get_proof(request: HttpRequest, disposition_id: Id, proof_id: Id) -> HttpResponseBase:
    return files.proof_response(request, files.visible_proof(_me(request), disposition_id, proof_id))


@router.get(
    "/{disposition_id}/proofs/{proof_id}/thumbnail",
    response={200: None, 404: ErrorOut, 422: ErrorOut},
    summary="Miniatur JPEG sebuah foto bukti",
)
def get_proof_thumbnail(request: HttpRequest, disposition_id: Id, proof_id: Id) -> HttpResponseBase:
    return files.thumbnail_response(request, files.visible_proof(_me(request), disposition_id, proof_id))


@router.post("/", response={201: DispositionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def add_disposition(request: HttpRequest, payload: NewDispositionIn) -> tuple[int, dict[str, Any]]:
    report = get_object_or_404(Report.objects.visible_to(_me(request)), reference=payload.report_reference)
    forum = get_object_or_404(Forum.objects.active(), code=payload.forum_code)
    made = actions.add_disposition(
        report=report, forum=forum, kind=payload.kind, reason=payload.reason, by=_me(request)
    )
    return 201, disposition_out(_get(request, made.pk), with_timeline=True)


class ReasonIn(InSchema):
    reason: str = text_field(max_length=LONG_TEXT, required=True)


class ActionIn(InSchema):
    text: str = text_field(max_length=LONG_TEXT, required=True)
    share_with_reporter: bool = Field(
        False, description="Bagikan ke pelapor: ia melihat langkah ini di lini masa laporannya"
    )


class CloseIn(InSchema):
    outcome: Outcome = Field(..., description="tertangani, dialihkan, berulang atau tidak_terbukti")
    text: str = text_field(max_length=LONG_TEXT, required=True)
    lessons: str = text_field("", max_length=LONG_TEXT)


class RedirectIn(InSchema):
    forum_code: str = text_field(max_length=FORUM_CODE, required=True)
    reason: str = text_field(max_length=LONG_TEXT, required=True)


Answer = {200: DispositionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _answer(request: HttpRequest, d: Disposition) -> dict[str, Any]:
    return disposition_out(_get(request, d.pk), with_timeline=True, person=_me(request))


@router.post("/{disposition_id}/terima", response=Answer, summary="Terima (acknowledge)")
def acknowledge(request: HttpRequest, disposition_id: Id) -> dict[str, Any]:
    return _answer(request, actions.acknowledge(disposition=_get(request, disposition_id), by=_me(request)))


@router.post("/{disposition_id}/tindakan", response=Answer, summary="Catat tindak lanjut")
def add_action(request: HttpRequest, disposition_id: Id, payload: ActionIn) -> dict[str, Any]:
    d = _get(request, disposition_id)
    actions.add_action(
        disposition=d, text=payload.text, by=_me(request), share_with_reporter=payload.share_with_reporter
    )
    return _answer(request, d)


@router.post("/{disposition_id}/jeda", response=Answer, summary="Jeda jam (menunggu forum lain)")
def pause(request: HttpRequest, disposition_id: Id, payload: ReasonIn) -> dict[str, Any]:
    d = actions.pause(disposition=_get(request, disposition_id), reason=payload.reason, by=_me(request))
    return _answer(request, d)


@router.post("/{disposition_id}/lanjut", response=Answer, summary="Jalankan jam lagi")
def resume(request: HttpRequest, disposition_id: Id) -> dict[str, Any]:
    return _answer(request, actions.resume(disposition=_get(request, disposition_id), by=_me(request)))


@router.post("/{disposition_id}/selesai", response=Answer, summary="Tutup dengan hasil")
def close(request: HttpRequest, disposition_id: Id, payload: CloseIn) -> dict[str, Any]:
    d = actions.close(
        disposition=_get(request, disposition_id),
        outcome=payload.outcome,
        text=payload.text,
        lessons=payload.lessons,
        by=_me(request),
    )
    return _answer(request, d)


@router.post("/{disposition_id}/buka", response=Answer, summary="Buka kembali dengan alasan")
def reopen(request: HttpRequest, disposition_id: Id, payload: ReasonIn) -> dict[str, Any]:
    d = actions.reopen(disposition=_get(request, disposition_id), reason=payload.reason, by=_me(request))
    return _answer(request, d)


@router.post("/{disposition_id}/kembalikan", response=Answer, summary="Kembalikan ke TKD")
def hand_back(request: HttpRequest, disposition_id: Id, payload: ReasonIn) -> dict[str, Any]:
    d = actions.return_disposition(
        disposition=_get(request, disposition_id), reason=payload.reason, by=_me(request)
    )
    return _answer(request, d)


@router.post("/{disposition_id}/alihkan", response=Answer, summary="Alihkan ke forum lain (analis TKD)")
def redirect(request: HttpRequest, disposition_id: Id, payload: RedirectIn) -> dict[str, Any]:
    forum = get_object_or_404(Forum.objects.active(), code=payload.forum_code)
    d = actions.redirect_disposition(
        disposition=_get(request, disposition_id), forum=forum, reason=payload.reason, by=_me(request)
    )
    return _answer(request, d)


@router.post("/{disposition_id}/tarik", response=Answer, summary="Tarik disposisi (analis TKD)")
def withdraw(request: HttpRequest, disposition_id: Id, payload: ReasonIn) -> dict[str, Any]:
    d = actions.withdraw_disposition(
        disposition=_get(request, disposition_id), reason=payload.reason, by=_me(request)
    )
    return _answer(request, d)


class AssignIn(InSchema):
    username: str = text_field(
        max_length=USERNAME, required=True, description="nama pengguna anggota forum penerima"
    )


@router.post("/{disposition_id}/tugaskan", response=Answer, summary="Tugaskan kepada anggota (ketua forum)")
def assign(request: HttpRequest, disposition_id: Id, payload: AssignIn) -> dict[str, Any]:
    d = _get(request, disposition_id)
    member = Person.objects.filter(username=payload.username, is_active=True).first()
    if member is None:
        # The same answer as for a person outside the forum: no probing for usernames.
        states.require_right(_me(request), d, states.Action.TUGASKAN)
        raise ValidationError({"member": [_("Pilih anggota forum penerima disposisi ini.")]})
    return _answer(request, actions.assign_disposition(disposition=d, member=member, by=_me(request)))
