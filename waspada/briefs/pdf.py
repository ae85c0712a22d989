"""Drawing the briefs as PDF with reportlab: the official header, classification on every page,
tables, the weekly chart and the boundary map, the signature block.

Text is set in Bitstream Vera (shipped inside reportlab, so nothing to install or bundle), which
covers the Latin letters of Indonesian; ``WASPADA_BRIEF_FONT``/``WASPADA_BRIEF_FONT_BOLD`` may
name other TrueType files (for example DejaVu or Noto) for names in other scripts.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.graphics.shapes import Path as ShapePath
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from waspada.briefs.periods import format_date
from waspada.situation.mapsvg import project, rings

FONT = "WaspadaSans"
FONT_BOLD = "WaspadaSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

LEVEL_COLOURS = {
    "normal": colors.HexColor("#8bc34a"),
    "waspada": colors.HexColor("#fdd835"),
    "siaga": colors.HexColor("#fb8c00"),
    "awas": colors.HexColor("#d32f2f"),
}
CLASSIFICATION_COLOURS = {
    "biasa": colors.HexColor("#37474f"),
    "terbatas": colors.HexColor("#e65100"),
    "rahasia": colors.HexColor("#b71c1c"),
}

_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    regular = getattr(settings, "WASPADA_BRIEF_FONT", "") or "Vera.ttf"
    bold = getattr(settings, "WASPADA_BRIEF_FONT_BOLD", "") or "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont(FONT, regular))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    _fonts_ready = True


def styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=13, alignment=TA_CENTER),
        # headings stay with what follows them (no heading stranded at a page's foot)
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "kop1": ParagraphStyle(
            "kop1", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER
        ),
        "kop2": ParagraphStyle(
            "kop2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14, alignment=TA_CENTER
        ),
        "kop3": ParagraphStyle("kop3", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_CENTER),
    }


def p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def local(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    value = timezone.localtime(moment)
    return f"{format_date(value.date())} {value:%H:%M} WITA"


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


# -- page furniture ---------------------------------------------------------------------------


@dataclass
class Furniture:
    """What every page carries: the classification top and bottom, the page number, the footer."""

    classification: str
    footer: str
    konsep: bool = False

    def __call__(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        if self.konsep:
            # A draft Lapsit: "KONSEP" across every page, so no copy of it passes for the approved one.
            canvas.saveState()
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
            canvas.setFont(FONT_BOLD, 120)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -40, _("KONSEP"))
            canvas.restoreState()
            canvas.setFillColor(colors.HexColor("#b71c1c"))
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(MARGIN, PAGE_HEIGHT - 10 * mm, _("KONSEP · belum disetujui"))
        label = classification_label(self.classification)
        canvas.setFillColor(CLASSIFICATION_COLOURS.get(self.classification, colors.black))
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 10 * mm, label)
        canvas.drawCentredString(PAGE_WIDTH / 2, 7 * mm, label)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, 12 * mm, self.footer)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 12 * mm, _("Halaman %(n)d") % {"n": doc.page})
        canvas.restoreState()


def classification_label(classification: str) -> str:
    return {
        "biasa": _("BIASA"),
        "terbatas": _("TERBATAS"),
        "rahasia": _("RAHASIA"),
    }.get(classification, classification.upper())


def letterhead() -> list[Flowable]:
    """Kop surat: the regency, the office and its address beside the logo, and a double rule."""
    s = styles()
    lines: list[Flowable] = [
        p(settings.WASPADA_BRIEF_REGENCY.upper(), s["kop1"]),
        p(settings.WASPADA_BRIEF_OFFICE.upper(), s["kop2"]),
    ]
    if settings.WASPADA_BRIEF_ADDRESS:
        lines.append(p(settings.WASPADA_BRIEF_ADDRESS, s["kop3"]))
    logo_path = settings.WASPADA_BRIEF_LOGO
    if logo_path and Path(logo_path).is_file():
        logo: Flowable = Image(str(logo_path), width=20 * mm, height=20 * mm, kind="proportional")
    else:
        logo = Spacer(20 * mm, 20 * mm)
    table = Table([[logo, lines, ""]], colWidths=[24 * mm, TEXT_WIDTH - 48 * mm, 24 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.6, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return [table, Spacer(1, 5 * mm)]


def signature_parts(when: datetime, signer: str = "") -> list[Flowable]:
    """The signature block's flowables, for a caller keeping it together with what precedes it
    (a KeepTogether inside another reports an endless height and pushes the whole to a new page).
    ``signer``: the name of who approved the document (an approved Lapsit); without one, the
    configured signer or a dotted line. The configured NIP goes only under the configured name."""
    s = styles()
    configured = settings.WASPADA_BRIEF_SIGNER_NAME
    name = signer or configured or "(" + "." * 40 + ")"
    cells = [
        p(f"{settings.WASPADA_BRIEF_SIGN_PLACE}, {format_date(timezone.localtime(when).date())}", s["sign"]),
        p(settings.WASPADA_BRIEF_SIGNER_TITLE, s["sign"]),
        Spacer(1, 18 * mm),
        p(name, s["sign"]),
    ]
    if settings.WASPADA_BRIEF_SIGNER_ID and (not signer or signer == configured):
        cells.append(p(settings.WASPADA_BRIEF_SIGNER_ID, s["sign"]))
    table = Table([["", cells]], colWidths=[TEXT_WIDTH - 75 * mm, 75 * mm])
    return [Spacer(1, 8 * mm), table]


def build(
    story: list[Flowable], *, classification: str, footer: str, title: str, konsep: bool = False
) -> bytes:
    _register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.WASPADA_BRIEF_OFFICE,
        creator="Waspada",
        invariant=True,
    )
    furniture = Furniture(classification, footer, konsep)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def grid(
    rows: list[list[Any]],
    widths: list[float],
    *,
    header: bool = True,
    numeric_from: int | None = None,
    style_rows: Iterable[tuple[Any, ...]] = (),
) -> Table:
    s = styles()
    body = [[c if isinstance(c, Flowable) else p(c, s["cell"]) for c in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9e9e")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")))
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    commands.extend(style_rows)
    table.setStyle(TableStyle(commands))
    return table


def num(value: object) -> Paragraph:
    s = styles()
    return Paragraph(escape(str(value)), ParagraphStyle("num", parent=s["cell"], alignment=2))


# -- charts and maps ---------------------------------------------------------------------------


def weekly_chart(weeks: list[tuple[str, dict[str, int]]], levels: list[tuple[str, str]]) -> Drawing:
    """Reports per week stacked by alert level, with a legend."""
    _register_fonts()
    width, height = TEXT_WIDTH, 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 30, width - 40, height - 45
    chart.data = [[counts.get(level, 0) for _label, counts in weeks] for level, _name in levels]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [label for label, _counts in weeks]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max((sum(counts.values()) for _label, counts in weeks), default=0)
    chart.valueAxis.valueMax = max(top, 4) * 1.1
    chart.valueAxis.valueStep = max(1, math.ceil(max(top, 4) / 5))
    chart.barWidth = 8
    for index, (level, _name) in enumerate(levels):
        chart.bars[index].fillColor = LEVEL_COLOURS[level]
        chart.bars[index].strokeColor = colors.white
    drawing.add(chart)
    x = 28.0
    for level, name in levels:
        drawing.add(Rect(x, 6, 8, 8, fillColor=LEVEL_COLOURS[level], strokeColor=None))
        drawing.add(String(x + 11, 7, name, fontName=FONT, fontSize=7.5))
        x += 70
    return drawing


@dataclass
class MapShape:
    geometry: dict[str, Any]
    fill: Any  # a reportlab colour, or None for an outline
    label: str = ""


def map_drawing(
    shapes: list[MapShape],
    points: list[tuple[float, float]] = (),  # type: ignore[assignment]
    *,
    width: float = TEXT_WIDTH,
    height: float = 110 * mm,
    legend: list[tuple[Any, str]] = (),  # type: ignore[assignment]
) -> Drawing | None:
    """The shapes in Web Mercator (as ``situation/mapsvg.py`` projects them), fitted to the box."""
    _register_fonts()
    projected: list[tuple[MapShape, list[list[tuple[float, float]]]]] = []
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        outlines = []
        for ring in rings(shape.geometry):
            pts = [project(lon, lat, 0) for lon, lat, *_rest in ring]
            outlines.append(pts)
            xs.extend(x for x, _y in pts)
            ys.extend(y for _x, y in pts)
        projected.append((shape, outlines))
    if not xs:
        return None
    legend_height = 14 if legend else 0
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    span = max(right - left, bottom - top, 1e-12)
    scale = min(
        (width - 8) / max(right - left, span * 0.05),
        (height - 8 - legend_height) / max(bottom - top, span * 0.05),
    )
    used_w, used_h = (right - left) * scale, (bottom - top) * scale
    height = used_h + 8 + legend_height
    ox = (width - used_w) / 2

    def to_page(x: float, y: float) -> tuple[float, float]:
        return ox + (x - left) * scale, legend_height + 4 + (bottom - y) * scale

    drawing = Drawing(width, height)
    for shape, outlines in projected:
        for outline in outlines:
            path = ShapePath(
                fillColor=shape.fill,
                strokeColor=colors.HexColor("#424242") if shape.fill is not None else colors.black,
                strokeWidth=0.4 if shape.fill is not None else 1.2,
            )
            last: tuple[int, int] | None = None
            for index, (x, y) in enumerate(outline):
                px, py = to_page(x, y)
                key = (round(px * 4), round(py * 4))
                if key == last:
                    continue
                last = key
                (path.moveTo if index == 0 else path.lineTo)(px, py)
            path.closePath()
            drawing.add(path)
    for shape, outlines in projected:
        if shape.label and outlines:
            largest = max(outlines, key=len)
            cx = sum(x for x, _y in largest) / len(largest)
            cy = sum(y for _x, y in largest) / len(largest)
            px, py = to_page(cx, cy)
            drawing.add(String(px, py, shape.label, fontName=FONT, fontSize=6.5, textAnchor="middle"))
    for lon, lat in points:
        px, py = to_page(*project(lon, lat, 0))
        drawing.add(Circle(px, py, 3.2, fillColor=colors.HexColor("#1565c0"), strokeColor=colors.white))
    x = 4.0
    for colour, name in legend:
        drawing.add(
            Rect(x, 3, 8, 8, fillColor=colour, strokeColor=colors.HexColor("#424242"), strokeWidth=0.3)
        )
        drawing.add(String(x + 11, 4, name, fontName=FONT, fontSize=7.5))
        x += 12 + pdfmetrics.stringWidth(name, FONT, 7.5) + 10
    drawing.add(Line(0, 0, 0, 0))
    return drawing


Builder = Callable[[], list[Flowable]]
