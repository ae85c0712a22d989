"""The province's Lapsit, drafted from its regencies' releases (``briefs.Release``).

``province_draft(province, period)`` lists every regency (kabupaten/kota) of the province loaded
in the installation with its release of the period, or none: nothing is silently missing. The
figures are the released ones (each regency's content as its TKD released it, rahasia left out),
summed per isu across the regencies that released. ``render_province`` draws the PDF
"LAPORAN SITUASI PROVINSI".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from waspada.briefs import pdf
from waspada.briefs.models import Release
from waspada.briefs.pdf import TEXT_WIDTH, grid, local, num, p, signed
from waspada.briefs.periods import BriefKind, Period
from waspada.regions.models import Level, Region

if TYPE_CHECKING:
    from waspada.people.models import Person


@dataclass
class IsuTotal:
    key: str
    label: str
    current: int = 0
    previous: int = 0

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass
class ProvinceDraft:
    province: Region
    period: Period
    regencies: list[Region]
    released: list[Release]
    missing: list[Region]
    by_isu: list[IsuTotal] = field(default_factory=list)
    total: int = 0
    previous_total: int = 0

    def release_of(self, code: str) -> Release | None:
        return next((r for r in self.released if r.regency_id == code), None)

    @property
    def rows(self) -> list[tuple[Region, Release | None]]:
        """Every regency of the province with its release, or None: none is left out."""
        return [(region, self.release_of(region.code)) for region in self.regencies]


def province_draft(province: Region, period: Period) -> ProvinceDraft:
    regencies = list(Region.objects.filter(parent=province, level=Level.KABUPATEN).order_by("code"))
    releases = {
        r.regency_id: r
        for r in Release.objects.filter(
            regency__in=regencies, kind=period.kind, period_start=period.start
        ).select_related("released_by", "regency")
    }
    draft = ProvinceDraft(
        province=province,
        period=period,
        regencies=regencies,
        released=[releases[r.code] for r in regencies if r.code in releases],
        missing=[r for r in regencies if r.code not in releases],
    )
    totals: dict[str, IsuTotal] = {}
    for release in draft.released:
        draft.total += int(release.content.get("total", 0))
        draft.previous_total += int(release.content.get("previous_total", 0))
        for row in release.content.get("by_isu", []):
            entry = totals.setdefault(row["key"], IsuTotal(row["key"], row["label"]))
            entry.current += int(row["current"])
            entry.previous += int(row["previous"])
    draft.by_isu = sorted(totals.values(), key=lambda r: (-r.current, -r.previous, r.label))
    return draft


def _when(value: str) -> str:
    moment = parse_datetime(value) if value else None
    return local(moment) if moment else "-"


def render_province(draft: ProvinceDraft, *, recipient: Person, assessment: str, now: datetime) -> bytes:
    s = pdf.styles()
    kind_label = str(dict(BriefKind.choices)[draft.period.kind]).lower()
    with override("id"):
        story: list[Flowable] = [
            p(_("PEMERINTAH PROVINSI %(province)s") % {"province": draft.province.name.upper()}, s["kop1"]),
            p(_("TIM KEWASPADAAN DINI PROVINSI"), s["kop2"]),
            Spacer(1, 5 * mm),
            p(_("LAPORAN SITUASI PROVINSI"), s["title"]),
            p(
                _("Laporan %(kind)s · %(period)s · disusun dari rilis kabupaten/kota")
                % {"kind": kind_label, "period": draft.period.label()},
                s["subtitle"],
            ),
            Spacer(1, 4 * mm),
            p(_("Rilis kabupaten/kota"), s["h2"]),
            p(
                _("%(n)d dari %(all)d kabupaten/kota sudah merilis laporan situasi periode ini.")
                % {"n": len(draft.released), "all": len(draft.regencies)},
                s["body"],
            ),
        ]
        rows: list[list[Any]] = [
            [_("Kabupaten/kota"), _("Rilis"), _("Laporan"), _("Sebelumnya"), _("Perubahan")]
        ]
        for region in draft.regencies:
            release = draft.release_of(region.code)
            if release is None:
                rows.append([region.name, _("BELUM MERILIS"), "-", "-", "-"])
                continue
            c = release.content
            rows.append(
                [
                    region.name,
                    _("Dirilis %(when)s oleh %(who)s")
                    % {"when": local(release.released_at), "who": release.released_by.display_name},
                    num(c.get("total", 0)),
                    num(c.get("previous_total", 0)),
                    num(signed(int(c.get("total", 0)) - int(c.get("previous_total", 0)))),
                ]
            )
        rows.append(
            [
                _("Jumlah (yang merilis)"),
                "",
                num(draft.total),
                num(draft.previous_total),
                num(signed(draft.total - draft.previous_total)),
            ]
        )
        story.append(grid(rows, [40 * mm, TEXT_WIDTH - 118 * mm, 26 * mm, 26 * mm, 26 * mm]))

        story.append(p(_("Disposisi terbuka dan terlambat"), s["h2"]))
        disp_rows: list[list[Any]] = [[_("Kabupaten/kota"), _("Terbuka"), _("Terlambat")]]
        for release in draft.released:
            disp_rows.append(
                [
                    release.regency.name,
                    num(release.content.get("open_dispositions", 0)),
                    num(release.content.get("overdue_dispositions", 0)),
                ]
            )
        if len(disp_rows) > 1:
            story.append(grid(disp_rows, [TEXT_WIDTH - 60 * mm, 30 * mm, 30 * mm]))
        else:
            story.append(p(_("Belum ada kabupaten/kota yang merilis."), s["body"]))

        story.append(p(_("Laporan per isu (dijumlah dari kabupaten/kota yang merilis)"), s["h2"]))
        if draft.by_isu:
            story.append(
                grid(
                    [[_("Isu"), _("Periode ini"), _("Sebelumnya"), _("Perubahan")]]
                    + [
                        [r.label, num(r.current), num(r.previous), num(signed(r.change))]
                        for r in draft.by_isu
                    ],
                    [TEXT_WIDTH - 84 * mm, 28 * mm, 28 * mm, 28 * mm],
                )
            )
        else:
            story.append(p(_("Tidak ada laporan dalam rilis periode ini."), s["body"]))

        story.append(p(_("Penilaian kabupaten/kota"), s["h2"]))
        for release in draft.released:
            story += [
                p(release.regency.name, s["body"]),
                p(f"\u201c{release.assessment}\u201d", s["body"]),
                p(
                    "\u2014 "
                    + _("%(who)s, dirilis %(when)s")
                    % {"who": release.released_by.display_name, "when": local(release.released_at)},
                    s["small"],
                ),
                Spacer(1, 2 * mm),
            ]
        if not draft.released:
            story.append(p(_("Belum ada kabupaten/kota yang merilis."), s["body"]))

        story.append(p(_("Insiden menonjol per kabupaten/kota"), s["h2"]))
        any_notable = False
        for release in draft.released:
            notable = release.content.get("notable", [])
            if not notable:
                continue
            any_notable = True
            story.append(p(release.regency.name, s["body"]))
            story.append(
                grid(
                    [[_("Nomor"), _("Judul"), _("Lokasi"), _("Tingkat"), _("Waktu")]]
                    + [
                        [
                            i["reference"],
                            i["title"],
                            i["region"],
                            i["alert_level_label"],
                            _when(i.get("occurred_at", "")),
                        ]
                        for i in notable
                    ],
                    [44 * mm, TEXT_WIDTH - 132 * mm, 26 * mm, 20 * mm, 42 * mm],
                )
            )
        if not any_notable:
            story.append(p(_("Tidak ada insiden menonjol dalam rilis periode ini."), s["body"]))

        story.append(p(_("Kabupaten/kota yang belum merilis"), s["h2"]))
        if draft.missing:
            story.append(
                p(
                    ", ".join(f"{r.name} ({r.code})" for r in draft.missing)
                    + ". "
                    + _("Angka mereka tidak termasuk dalam laporan ini."),
                    s["body"],
                )
            )
        else:
            story.append(p(_("Semua kabupaten/kota sudah merilis."), s["body"]))

        story.append(p(_("Penilaian provinsi"), s["h2"]))
        story.append(p(assessment or _("(Belum ditulis.)"), s["body"]))
        story.append(
            p(
                _(
                    "Angka dari rilis tiap kabupaten/kota, sebagaimana dirilis oleh "
                    "Tim Kewaspadaan Dini-nya; "
                    "laporan dan insiden berklasifikasi rahasia tidak termasuk."
                ),
                s["small"],
            )
        )
        footer = _("Dibuat Waspada %(when)s untuk %(who)s. Disusun dari rilis kabupaten/kota.") % {
            "when": local(now),
            "who": recipient.display_name,
        }
        return pdf.build(
            story,
            classification="terbatas",
            footer=footer,
            title=_("Laporan situasi provinsi %(period)s") % {"period": draft.period.label()},
        )
