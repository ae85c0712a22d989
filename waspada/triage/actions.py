"""Writes of the triage app: recording what a person kept against what was suggested."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.reports.taxonomy import AlertLevel, Athg, Isu
from waspada.triage.models import Correction

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import Report

COMPARED = ("isu", "athg", "level", "region_code")
_CHOICES: dict[str, set[str]] = {
    "isu": {*Isu.values, "none"},
    "athg": {*Athg.values, "none"},
    "level": set(AlertLevel.values),
}
# A Kemendagri code, from a province (64) down to a village (64.01.06.2006).
_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def record_correction(
    *,
    by: Person,
    text: str,
    suggested: dict[str, Any],
    final: dict[str, Any],
    report: Report | None = None,
    source: str = "form",
    request: HttpRequest | None = None,
) -> Correction:
    """Store the suggestion and the values kept, as training data for ``waspada triage train``.

    ``suggested`` and ``final`` hold ``isu``, ``athg``, ``level`` and ``region_code`` (any may be
    missing). A report, when given, must be one the person may see.
    """
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Teks wajib diisi.")]
    for name, allowed in _CHOICES.items():
        value = final.get(name)
        if value not in (None, "") and value not in allowed:
            errors[f"final.{name}"] = [_("Pilihan tidak dikenal: %(value)s.") % {"value": value}]
    if not any(final.get(name) for name in COMPARED):
        errors["final"] = [_("Isi setidaknya satu nilai akhir (isu, athg, level atau region_code).")]
    if report is not None:
        from waspada.reports.models import Report as ReportModel

        if not ReportModel.objects.visible_to(by).filter(pk=report.pk).exists():
            errors["report"] = [_("Laporan tidak ditemukan atau tidak boleh Anda lihat.")]
    if errors:
        raise ValidationError(errors)
    kept = {name: final[name] for name in COMPARED if final.get(name)}
    shown = {name: suggested[name] for name in COMPARED if suggested.get(name)}
    changed = [name for name in kept if shown.get(name) != kept[name]]
    with transaction.atomic():
        correction = Correction.objects.create(
            report=report,
            text=text.strip(),
            suggested=shown,
            final=kept,
            changed=changed,
            source=source[:20],
            created_by=by,
        )
        record(
            action="triage.correction_recorded",
            actor=by,
            obj=correction,
            changes={"changed": changed, "report": report.reference if report else None},
            request=request,
        )
    return correction


def usable_suggestion(suggested: Mapping[str, Any] | None) -> dict[str, str]:
    """The part of a suggestion sent back with a report that can be compared: known fields with
    known values. Anything else is dropped, never refused: the suggestion is the server's own
    (filled into the form by the triage), and a report queued offline across an update of the
    lists must still be stored."""
    kept: dict[str, str] = {}
    for name in COMPARED:
        value = (suggested or {}).get(name)
        if not isinstance(value, str) or not value:
            continue
        if name == "region_code" and _REGION_CODE.match(value):
            kept[name] = value
        elif name in _CHOICES and value in _CHOICES[name]:
            kept[name] = value
    return kept


def record_report_suggestion(
    *,
    report: Report,
    suggested: Mapping[str, Any] | None,
    source: str = "form",
    request: HttpRequest | None = None,
) -> Correction | None:
    """Record, for a report just submitted, the triage suggestion its reporter was shown against
    the values the report was filed with (training data). Called by ``submit_report`` inside the
    report's transaction, so that the correction and the report are stored, or lost, together.

    Returns None when nothing usable was suggested (the reporter never asked, or only unknown
    values came back). Kept suggestions are recorded too, with nothing in ``changed``: a
    confirmed suggestion is training data as much as a changed one.
    """
    from waspada.triage.texts import report_text

    shown = usable_suggestion(suggested)
    if not shown:
        return None
    final = {
        "isu": report.isu,
        "athg": report.athg,
        "level": report.alert_level,
        "region_code": report.region_id,
    }
    return record_correction(
        by=report.reporter,
        text=report_text(report),
        suggested=shown,
        final=final,
        report=report,
        source=source,
        request=request,
    )
