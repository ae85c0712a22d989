"""Training examples from the database: verified reports and analysts' corrections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from waspada.triage.classify import Example, forget, save, seed_examples, train


@dataclass
class TrainSummary:
    seed: int
    reports: int
    corrections: int
    path: Path


def report_text(report: object) -> str:
    parts = [getattr(report, name, "") for name in ("title", "what", "who", "cause", "latest_condition")]
    return "\n".join(part for part in parts if part)


def database_examples() -> tuple[list[Example], list[Example]]:
    """(verified reports, corrections): a correction replaces the report it corrects."""
    from waspada.reports.models import Report, ReportStatus
    from waspada.triage.models import Correction

    corrections = [
        Example(c.text, {k: v for k, v in c.final.items() if k in ("isu", "athg", "level") and v})
        for c in Correction.objects.order_by("id")
    ]
    corrected = set(Correction.objects.exclude(report=None).values_list("report_id", flat=True))
    reports = [
        Example(report_text(r), {"isu": r.isu, "athg": r.athg, "level": r.alert_level})
        for r in Report.objects.filter(status=ReportStatus.TERVERIFIKASI).exclude(pk__in=corrected)
    ]
    return reports, corrections


def train_and_save() -> TrainSummary:
    from waspada.triage.gazetteer import find_places
    from waspada.triage.suggest import mask_places

    reports, corrections = database_examples()
    extra = [Example(mask_places(e.text, find_places(e.text)), e.labels) for e in (*reports, *corrections)]
    model = train(extra)
    forget()
    path = save(model)
    return TrainSummary(len(seed_examples()), len(reports), len(corrections), path)
