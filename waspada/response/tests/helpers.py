"""Filing and verifying reports for response tests."""

from __future__ import annotations

from typing import Any

from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit


def verified(reporter: Any, analyst: Any, **overrides: Any) -> Report:
    report = submit(reporter, **overrides).report
    verify_report(report=report, by=analyst)
    report.refresh_from_db()
    return report


def forums_of(report: Report) -> dict[str, str]:
    return {
        d.forum.code: d.kind for d in report.dispositions.exclude(status="ditarik").select_related("forum")
    }
