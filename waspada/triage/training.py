"""Training examples from the database: verified reports and analysts' corrections.

``train_and_save()`` is ``waspada triage train``; ``train_if_new_data()`` is the scheduled job
(``triage.train`` in ``tasks.py``): it trains only when the verified reports, the corrections or
the written training texts changed since the saved model was trained.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from waspada.triage.classify import DATA, SEED_FILES, Example, forget, load_saved, save, seed_examples, train
from waspada.triage.lexicon import ATHG_WORDS, ISU_WORDS, LEVEL_WORDS
from waspada.triage.texts import report_text


@dataclass
class TrainSummary:
    seed: int
    reports: int
    corrections: int
    path: Path
    data_mark: str = ""
    trained_at: str = ""


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


def data_mark() -> str:
    """A short fingerprint of what training would learn from: the verified reports (how many, the
    latest verification), the corrections (how many, the latest), and the written seed texts and
    lexicon of this version. Equal marks mean retraining would learn nothing new."""
    from django.db.models import Count, Max

    from waspada.reports.models import Report, ReportStatus
    from waspada.triage.models import Correction

    reports = Report.objects.filter(status=ReportStatus.TERVERIFIKASI).aggregate(
        n=Count("id"), last=Max("verified_at"), top=Max("id")
    )
    corrections = Correction.objects.aggregate(n=Count("id"), top=Max("id"))
    seed = hashlib.sha256(b"".join((DATA / name).read_bytes() for name in SEED_FILES))
    seed.update(repr((ISU_WORDS, ATHG_WORDS, LEVEL_WORDS)).encode())
    last = reports["last"].isoformat() if reports["last"] else "-"
    return (
        f"laporan={reports['n']}/{reports['top'] or 0}/{last} "
        f"koreksi={corrections['n']}/{corrections['top'] or 0} awal={seed.hexdigest()[:12]}"
    )


def train_and_save() -> TrainSummary:
    """Train on the seed texts, verified reports and corrections; replace the saved model
    atomically. If anything fails, the old model file stays as it was."""
    from waspada.triage.gazetteer import find_places
    from waspada.triage.suggest import mask_places

    mark = data_mark()
    reports, corrections = database_examples()
    extra = [Example(mask_places(e.text, find_places(e.text)), e.labels) for e in (*reports, *corrections)]
    model = train(extra)
    model.data_mark = mark
    model.trained_at = timezone.now().isoformat(timespec="seconds")
    forget()
    path = save(model)
    return TrainSummary(len(seed_examples()), len(reports), len(corrections), path, mark, model.trained_at)


def train_if_new_data() -> TrainSummary | None:
    """Train and save only when there is something new since the saved model (None: skipped).

    With no verified report and no correction at all, the starting model is all there is to
    learn, so nothing is written either."""
    mark = data_mark()
    saved = load_saved()
    if saved is not None and getattr(saved, "data_mark", "") == mark:
        return None
    if saved is None and mark.startswith("laporan=0/") and " koreksi=0/" in mark:
        return None
    return train_and_save()
