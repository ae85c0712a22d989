"""The text of a report as the triage reads it (no scikit-learn here: the report's own
transaction imports this when it records a correction)."""

from __future__ import annotations


def report_text(report: object) -> str:
    """Title, narrative, who, cause and latest condition: the words a classifier learns from."""
    parts = [getattr(report, name, "") for name in ("title", "what", "who", "cause", "latest_condition")]
    return "\n".join(part for part in parts if part)
