"""Building report input for tests: a plausible Paser report, overridable field by field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from waspada.reports.actions import ReportInput, SubmitResult, submit_report

LONG_IKIS_VILLAGE = "64.01.06.2006"
TANAH_GROGOT = "64.01.04"


def report_input(**overrides: Any) -> ReportInput:
    values: dict[str, Any] = {
        "title": "Warga menghadang truk angkutan batu bara",
        "what": "Sekitar 40 warga menutup jalan hauling dan menghadang truk perusahaan.",
        "athg": "gangguan",
        "isu": "agraria_korporasi",
        "alert_level": "waspada",
        "region_code": LONG_IKIS_VILLAGE,
        "occurred_at": timezone.now() - timedelta(hours=2),
        "gatra": ["ekonomi", "sumber_kekayaan_alam"],
        "who": "Warga desa dan perusahaan tambang",
        "cause": "Ganti rugi lahan belum dibayar",
        "latest_condition": "Jalan masih ditutup, situasi tenang",
        "interim_handling": "Kepala desa menemui warga",
    }
    values.update(overrides)
    return ReportInput(**values)


def submit(reporter: Any, **overrides: Any) -> SubmitResult:
    key = overrides.pop("idempotency_key", None)
    forum = overrides.pop("reporter_forum_code", None)
    if forum is None:
        membership = reporter.memberships.current().select_related("forum").first()
        forum = membership.forum.code if membership else None
    return submit_report(
        reporter=reporter, data=report_input(reporter_forum_code=forum, **overrides), idempotency_key=key
    )


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying a camera make and a GPS position (Paser) in its EXIF."""
    import io

    from PIL import Image

    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x8825] = {1: "S", 2: (1.0, 54.0, 0.0), 3: "E", 4: (116.0, 11.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
