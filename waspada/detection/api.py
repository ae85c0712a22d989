"""REST endpoints for early-detection signals (/api/v1/signals). Every read is scoped with
``Signal.objects.restrict(person, ...)``; the review calls ``actions.review_signal``.

One signal per event (``grouping.py``): the list and the detail are events; a detection that
joined an event is listed in its ``detections`` and has no row of its own (its id answers 404).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from waspada.detection import evidence
from waspada.detection.actions import review_signal
from waspada.detection.filters import ALL, SignalFilters
from waspada.detection.models import Signal, SignalStatus
from waspada.lib.api_errors import ErrorOut
from waspada.lib.api_schema import REGION_CODE, Id, InSchema, Pages, text_field, typed
from waspada.lib.taxonomy import Isu
from waspada.people.models import Person
from waspada.reports.models import Report

router = Router(tags=["sinyal"])


def _me(request: HttpRequest) -> Person:
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


class DetectionOut(Schema):
    detector: str = Field(description="Kode detektor (ears_c1, farrington, scan, kematian, ...)")
    detector_label: str
    series: str = Field(description="jumlah (laporan) atau berbobot (bobot keparahan)")
    region: str = Field(description="Kode wilayah deret detektor ini")
    observed: float
    expected: float
    threshold: float
    p_value: float | None
    recurrence_days: float | None


class SignalOut(Schema):
    id: int
    isu: str
    region: str = Field(description="Kode wilayah kejadian")
    region_name: str
    period: str
    period_start: date
    period_end: date
    status: str
    explanation: str = Field(description="Kalimat sinyal (detektor utama), dalam bahasa pembaca")
    headline_detector: str = Field(description="Detektor yang angkanya ditampilkan (docs/detection.md)")
    observed: float
    expected: float
    threshold: float
    excess: float | None = Field(description="Teramati dikurangi biasanya (detektor utama)")
    level_rank: int = Field(description="Tingkat tertinggi laporannya: 0 normal … 3 awas")
    return_days: float | None = Field(description="Periode ulang terpanjang (hari)")
    detections: list[DetectionOut]
    review_reason: str
    reviewed_at: datetime | None


class WeekOut(Schema):
    start: date
    count: float
    expected: float | None
    threshold: float | None
    alarm: bool
    in_signal: bool


class SignalDetailOut(SignalOut):
    series: list[WeekOut] = Field(description="Deret mingguan wilayah dan isu kejadian, 26 minggu terakhir")
    series_detector: str = Field(description="Detektor nilai biasanya dan ambang per minggu")
    cluster_villages: list[str] = Field(description="Kode desa klaster pindai (bila ada)")
    report_references: list[str] = Field(description="Laporan di balik sinyal yang boleh Anda buka")
    reports_withheld: int = Field(description="Laporan lain di balik sinyal yang tidak boleh Anda buka")


class ReviewIn(InSchema):
    decision: Literal["konfirmasi", "abaikan"] = Field(description="konfirmasi atau abaikan")
    reason: str = text_field("", max_length=2000, description="Alasan (wajib untuk abaikan)")


def signal_out(signal: Signal) -> dict[str, Any]:
    detections = signal.detections()
    head = detections[0]
    return {
        "id": signal.pk,
        "isu": signal.isu,
        "region": signal.region_id,
        "region_name": signal.region.name,
        "period": signal.period,
        "period_start": signal.period_start,
        "period_end": signal.period_end,
        "status": signal.status,
        "explanation": head.explanation_text,
        "headline_detector": head.detector,
        "observed": head.observed,
        "expected": head.expected,
        "threshold": head.threshold,
        "excess": signal.excess,
        "level_rank": signal.level_rank,
        "return_days": signal.return_days,
        "detections": [
            {
                "detector": d.detector,
                "detector_label": str(d.get_detector_display()),
                "series": d.series,
                "region": d.region_id,
                "observed": d.observed,
                "expected": d.expected,
                "threshold": d.threshold,
                "p_value": d.p_value,
                "recurrence_days": d.recurrence_days,
            }
            for d in detections
        ],
        "review_reason": signal.review_reason,
        "reviewed_at": signal.reviewed_at,
    }


def signal_detail_out(signal: Signal, viewer: Person) -> dict[str, Any]:
    out = signal_out(signal)
    weeks = evidence.weekly_series(signal)
    behind = Report.objects.filter(signals__in=[d.pk for d in signal.detections()]).distinct()
    visible = (
        Report.objects.visible_to(viewer).filter(pk__in=behind.values("pk")).order_by("occurred_at", "pk")
    )
    references = list(visible.values_list("reference", flat=True))
    out.update(
        series=[w.__dict__ for w in weeks],
        series_detector=evidence.chart_detector(signal),
        cluster_villages=[v.code for v in evidence.cluster_villages(signal)],
        report_references=references,
        reports_withheld=behind.count() - len(references),
    )
    return out


def _events(request: HttpRequest, action: str = "view") -> Any:
    return (
        Signal.objects.restrict(_me(request), action)
        .events()
        .select_related("region")
        .prefetch_related(Prefetch("members", queryset=Signal.objects.select_related("region")))
    )


def _get(request: HttpRequest, signal_id: int) -> Signal:
    signal = _events(request).filter(pk=signal_id).first()
    if signal is None:
        raise Http404
    return signal


class _LazyOut:
    """Serialise only the page that the paginator slices out."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return int(self.queryset.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [signal_out(row) for row in self.queryset[item]]


@router.get(
    "/",
    response={200: list[SignalOut], 422: ErrorOut},
    summary="Daftar sinyal yang boleh Anda lihat, yang paling gawat dahulu",
)
@paginate(Pages, page_size=50)
@typed
def list_signals(
    request: HttpRequest,
    status: SignalStatus | Literal["semua"] | None = None,
    isu: Isu | None = None,
    region: str | None = Query(
        None, max_length=REGION_CODE, description="Kode wilayah; termasuk wilayah di bawahnya"
    ),
) -> Any:
    filters = SignalFilters.from_query(
        {"status": status or ALL, "isu": isu or "", "region": region or ""}, strict=True
    )
    return _LazyOut(filters.apply(_events(request)).by_priority())


@router.get("/{signal_id}", response={200: SignalDetailOut, 404: ErrorOut, 422: ErrorOut})
def get_signal(request: HttpRequest, signal_id: Id) -> dict[str, Any]:
    return signal_detail_out(_get(request, signal_id), _me(request))


@router.post(
    "/{signal_id}/review",
    response={200: SignalOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Konfirmasi atau abaikan sinyal (semua detektornya sekaligus)",
)
def review(request: HttpRequest, signal_id: Id, payload: ReviewIn) -> dict[str, Any]:
    signal = _get(request, signal_id)
    review_signal(
        signal=signal, by=_me(request), decision=payload.decision, reason=payload.reason, request=request
    )
    return signal_out(_get(request, signal_id))
