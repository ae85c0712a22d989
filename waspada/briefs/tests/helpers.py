"""Shared by the briefs tests: boundaries, a past period, PDF text and page images through poppler."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from waspada.briefs.periods import BriefKind, Period, calendar_period
from waspada.regions.importers import load_paser_boundaries

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def load_boundaries() -> None:
    load_paser_boundaries()


def last_week() -> Period:
    """The last complete calendar week (Monday to Sunday) before today."""
    this_week = calendar_period(BriefKind.MINGGUAN, timezone.localdate())
    return calendar_period(BriefKind.MINGGUAN, this_week.start - timedelta(days=1))


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The PDF's text by poppler's pdftotext: with ``layout``, a table row stays on one line;
    without, the wrapped lines of one cell stay together (for looking up a title)."""
    result = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def first_page_png(content: bytes, target: Path) -> None:
    """Page 1 at 60 dpi, as kept in docs/screenshots/."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "brief.pdf"
        source.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((Path(folder) / "page.png").read_bytes())
