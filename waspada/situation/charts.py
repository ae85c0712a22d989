"""Charts drawn on the server as inline SVG: no chart library, no script, readable without colour.

Every bar is a link to the list behind it, and carries its number as text (and a <title>), so
the chart says the same thing to a screen reader and to a colour-blind reader. Colours come from
classes in situation.css: the page's Content-Security-Policy forbids style attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320


@dataclass
class Bar:
    label: str
    value: int
    href: str
    css: str = "bar"


@dataclass
class Column:
    label: str  # under the column (a week's first day)
    title: str  # the full description, for <title>
    href: str
    parts: list[tuple[str, int]]  # (css class, value), stacked bottom up

    @property
    def total(self) -> int:
        return sum(value for _css, value in self.parts)


def bar_chart(bars: list[Bar], *, label: str) -> SafeString:
    """Horizontal bars, one row per item: the label and number above, the bar below."""
    row = 30
    height = max(row * len(bars), row)
    peak = max((bar.value for bar in bars), default=0) or 1
    rows = []
    for index, bar in enumerate(bars):
        y = index * row
        width = 0 if bar.value == 0 else max(2, round((WIDTH - 4) * bar.value / peak))
        rows.append(
            format_html(
                '<a href="{href}"><title>{label}: {value}</title>'
                '<text x="0" y="{ty}" class="chart-label">{label}</text>'
                '<text x="{tx}" y="{ty}" class="chart-value" text-anchor="end">{value}</text>'
                '<rect x="0" y="{by}" width="{w}" height="9" rx="2" class="{css}"/></a>',
                href=bar.href,
                label=bar.label,
                value=bar.value,
                ty=y + 13,
                tx=WIDTH,
                by=y + 17,
                w=width,
                css=bar.css,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">{rows}</svg>',
        w=WIDTH,
        h=height,
        label=label,
        rows=mark_safe("".join(rows)),  # noqa: S308 - each row built by format_html
    )


def column_chart(columns: list[Column], *, label: str) -> SafeString:
    """Vertical stacked columns (the weekly trend), each a link, with its total above it."""
    height, top, bottom = 150, 14, 18
    plot = height - top - bottom
    peak = max((column.total for column in columns), default=0) or 1
    step = WIDTH / max(len(columns), 1)
    width = max(step * 0.7, 4)
    out = []
    for index, column in enumerate(columns):
        x = index * step + (step - width) / 2
        y: float = height - bottom
        rects = []
        for css, value in column.parts:
            h = plot * value / peak
            if value:
                rects.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="{css}"/>',
                        x=round(x, 1),
                        y=round(y - h, 1),
                        w=round(width, 1),
                        h=round(h, 1),
                        css=css,
                    )
                )
            y -= h
        out.append(
            format_html(
                '<a href="{href}"><title>{title}: {total}</title>{rects}'
                '<rect x="{x}" y="{top}" width="{w}" height="{plot}" class="hit"/>'
                '<text x="{cx}" y="{vy}" text-anchor="middle" class="chart-value">{total}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" class="chart-label small">{label}</text></a>',
                href=column.href,
                title=column.title,
                total=column.total,
                rects=mark_safe("".join(rects)),  # noqa: S308 - built by format_html
                x=round(x, 1),
                top=top,
                w=round(width, 1),
                plot=plot,
                cx=round(x + width / 2, 1),
                vy=round(y - 3, 1),
                ly=height - 4,
                label=column.label if (len(columns) - 1 - index) % 2 == 0 or len(columns) <= 6 else "",
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">{cols}</svg>',
        w=WIDTH,
        h=height,
        label=label,
        cols=mark_safe("".join(out)),  # noqa: S308 - built by format_html
    )
