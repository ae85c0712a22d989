"""REST endpoints of the triage: suggestions for a text, and analysts' corrections."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from waspada.forums.models import ForumKind
from waspada.lib.api_schema import REFERENCE, InSchema, When, text_field
from waspada.lib.taxonomy import AlertLevel, Athg, Isu
from waspada.people.models import Person
from waspada.reports.api import ErrorOut
from waspada.triage import actions

router = Router(tags=["triase"])
MAX_TEXT = 10_000


def _me(request: HttpRequest) -> Person:
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


class SuggestIn(InSchema):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT, description="Teks bebas laporan")
    occurred_at: When | None = Field(None, description="Waktu kejadian, untuk mencari insiden serupa")


class CasualtiesOut(Schema):
    """Counts the text states outright; null where it states none (a vague "puluhan", or nothing)."""

    dead: int | None = Field(
        ..., ge=0, description='Korban meninggal ("3 orang tewas"; 0 untuk "tidak ada korban jiwa")'
    )
    injured: int | None = Field(
        ..., ge=0, description='Korban luka ("5 orang luka-luka"; 0 untuk "tidak ada korban luka")'
    )
    displaced: int | None = Field(
        ..., ge=0, description='Warga mengungsi ("120 jiwa mengungsi"; kepala keluarga tidak dihitung)'
    )


class SuggestOut(Schema):
    is_early_warning: bool
    athg: dict[str, Any]
    isu: dict[str, Any]
    alert_level: dict[str, Any]
    casualties: CasualtiesOut = Field(..., description="Jumlah korban yang disebut teks, untuk isian korban")
    gatra: list[str]
    urgency: dict[str, Any]
    forums: dict[str, Any]
    region_code: str | None
    places: dict[str, Any]
    duplicates: list[dict[str, Any]]


@router.post(
    "/suggest",
    response={200: SuggestOut, 422: ErrorOut},
    summary="Saran klasifikasi, lokasi dan rute untuk teks bebas",
)
def suggest_for_text(request: HttpRequest, payload: SuggestIn) -> tuple[int, dict[str, Any]]:
    """Saran isu, kelas ATHG, gatra, tingkat kewaspadaan, urgensi, forum tujuan dan lokasi, masing-masing
    dengan keyakinan dan kata-kata penentunya; ditambah insiden yang mungkin sama."""
    # scikit-learn and the model load on the first suggestion, not in every web process at start
    from waspada.triage.duplicates import probable_incidents
    from waspada.triage.suggest import suggest

    person = _me(request)
    suggestion = suggest(payload.text, reporter=person)
    result = suggestion.as_dict()
    duplicates = probable_incidents(
        person=person, text=payload.text, region_code=suggestion.region_code, when=payload.occurred_at
    )
    result["duplicates"] = [d.as_dict() for d in duplicates]
    # The page shows names, never the internal codes ("TIMDU_PKS").
    result["forums"]["names"] = [
        str(ForumKind(kind).label) if kind in ForumKind.values else kind for kind in suggestion.forums
    ]
    return 200, result


class ClassificationIn(InSchema):
    """What the suggestion said (any value, kept as training data as it came)."""

    isu: str | None = Field(None, max_length=40)
    athg: str | None = Field(None, max_length=40)
    level: str | None = Field(None, max_length=40)
    region_code: str | None = Field(None, max_length=200)


class FinalIn(InSchema):
    """The values the analyst kept: choices of the taxonomy (empty or null: none kept)."""

    isu: Isu | Literal[""] | None = None
    athg: Athg | Literal[""] | None = None
    level: AlertLevel | Literal[""] | None = None
    region_code: str | None = Field(None, max_length=200)


class CorrectionIn(InSchema):
    text: str = text_field(max_length=MAX_TEXT, required=True)
    suggested: ClassificationIn | None = Field(None, description="isu, athg, level, region_code")
    final: FinalIn = Field(
        ..., description="Nilai yang dipakai: isu, athg, level, region_code; paling sedikit satu"
    )
    report: str | None = Field(
        None, max_length=REFERENCE, description="Nomor laporan, bila koreksi untuk laporan tertentu"
    )


class CorrectionOut(Schema):
    id: int
    changed: list[str]


@router.post(
    "/corrections",
    response={201: CorrectionOut, 404: ErrorOut, 422: ErrorOut},
    summary="Catat koreksi analis sebagai data latih",
)
def record_correction(request: HttpRequest, payload: CorrectionIn) -> tuple[int, dict[str, Any]]:
    from waspada.reports.models import Report

    person = _me(request)
    report = None
    if payload.report:
        report = get_object_or_404(Report.objects.visible_to(person), reference=payload.report)
    correction = actions.record_correction(
        by=person,
        text=payload.text,
        suggested={k: v for k, v in (payload.suggested.dict() if payload.suggested else {}).items() if v},
        final={k: v for k, v in payload.final.dict().items() if v},
        report=report,
        source="api",
        request=request,
    )
    return 201, {"id": correction.pk, "changed": correction.changed}
