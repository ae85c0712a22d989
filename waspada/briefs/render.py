"""The two kinds of brief as reportlab stories: laporan insidentil and the situation report.

Both read only what the viewer may see: the callers pass objects fetched through
``visible_to(person)``, and everything else (dispositions, the incident's reports, the map's
point) is fetched here through the same scoped querysets. No informant is ever read.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from waspada.briefs import pdf
from waspada.briefs.pdf import TEXT_WIDTH, MapShape, grid, local, num, p, signed
from waspada.briefs.periods import BriefKind, Period, format_date
from waspada.briefs.situation import SituationData, level_label
from waspada.regions.models import Level, Region
from waspada.reports.models import Incident, Report
from waspada.reports.taxonomy import AlertLevel, Classification, Gatra
from waspada.reports.visibility import can_see_exact_location, can_see_source
from waspada.response.models import Disposition

if TYPE_CHECKING:
    from waspada.people.models import Person

CLASSIFICATION_RANK: dict[str, int] = {
    Classification.BIASA: 0,
    Classification.TERBATAS: 1,
    Classification.RAHASIA: 2,
}


def _footer(person: Person, now: datetime) -> str:
    who = person.display_name
    return _("Dibuat Waspada %(when)s untuk %(who)s. Isi sesuai hak akses penerima.") % {
        "when": local(now),
        "who": who,
    }


# -- laporan insidentil ----------------------------------------------------------------------


def _region_line(region: Region) -> str:
    parts = [region.label]
    parent = region.parent
    while parent is not None and parent.level >= Level.KABUPATEN:
        parts.append(parent.label)
        parent = parent.parent
    return ", ".join(parts) + f" ({region.code})"


def _five_w_one_h(report: Report, exact: bool, source: bool) -> list[Flowable]:
    s = pdf.styles()
    where = _region_line(report.region)
    if exact:
        if report.where_detail:
            where += "\n" + report.where_detail
        if report.latitude is not None and report.longitude is not None:
            where += "\n" + _("Titik: %(lat)s, %(lon)s") % {
                "lat": report.latitude,
                "lon": report.longitude,
            }
    gatra = dict(Gatra.choices)
    rows = [
        [_("Apa yang terjadi"), report.what or "-"],
        [_("Kapan"), local(report.occurred_at)],
        [_("Di mana"), where],
        [_("Siapa yang terlibat"), report.who or "-"],
        [_("Mengapa (penyebab)"), report.cause or "-"],
        [_("Bagaimana: kondisi terakhir"), report.latest_condition or "-"],
        [_("Bagaimana: penanganan sementara"), report.interim_handling or "-"],
        [_("Korban"), report.casualties_text],  # an unknown count is said to be unknown
        [
            _("Klasifikasi"),
            "; ".join(
                [
                    _("jenis %(v)s") % {"v": report.get_jenis_display()},
                    _("ATHG %(v)s") % {"v": report.get_athg_display()},
                    _("isu %(v)s") % {"v": report.get_isu_display()},
                    _("tingkat %(v)s") % {"v": report.get_alert_level_display()},
                    _("sifat %(v)s") % {"v": report.get_classification_display()},
                ]
            ),
        ],
        [_("Gatra"), ", ".join(str(gatra.get(g, g)) for g in report.gatra) or "-"],
        [
            _("Sumber dan keandalan"),
            f"{(report.source_description or '-') if source else _('dirahasiakan')}"
            f" ({report.source_reliability}{report.info_credibility})",
        ],
        [
            _("Dilaporkan"),
            _("%(when)s melalui %(forum)s")
            % {
                "when": local(report.reported_at),
                "forum": report.reporter_forum.name if report.reporter_forum else "-",
            },
        ],
    ]
    return [
        grid(
            [[p(label, s["cell"]), p(value, s["cell"])] for label, value in rows],
            [45 * mm, TEXT_WIDTH - 45 * mm],
            header=False,
            style_rows=[("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f5f5f5"))],
        )
    ]


def _location_map(reports: list[Report], person: Person) -> list[Flowable]:
    """The village (or kecamatan) boundary, its kecamatan's outline, and the point if allowed."""
    s = pdf.styles()
    shapes: list[MapShape] = []
    points: list[tuple[float, float]] = []
    seen: set[str] = set()
    for report in reports:
        region = report.region
        if region.code not in seen and region.boundary:
            shapes.append(MapShape(region.boundary, colors.HexColor("#ffe082"), region.name))
            seen.add(region.code)
        parent = region.parent
        if region.level == Level.DESA and parent is not None and parent.boundary and parent.code not in seen:
            shapes.insert(0, MapShape(parent.boundary, colors.HexColor("#f5f5f5")))
            seen.add(parent.code)
        if (
            report.latitude is not None
            and report.longitude is not None
            and can_see_exact_location(person, report)
        ):
            points.append((report.longitude, report.latitude))
    drawing = pdf.map_drawing(shapes, points, height=85 * mm)
    if drawing is None:
        return [p(_("Batas wilayah belum diimpor; peta tidak tersedia."), s["small"])]
    note = (
        _("Titik biru: lokasi tepat kejadian.")
        if points
        else _("Lokasi ditampilkan sampai tingkat desa/kelurahan.")
    )
    return [drawing, p(note, s["small"])]


def _timeline(reports: list[Report], person: Person) -> tuple[list[Flowable], list[Flowable]]:
    """The dispositions and their steps, as (body, tail): the tail, the last steps as the table's
    last rows, goes with the closing and the signature (never a signature alone on a page)."""
    s = pdf.styles()
    dispositions = (
        Disposition.objects.visible_to(person)
        .filter(report__in=[r.pk for r in reports])
        .select_related("forum", "report")
        .prefetch_related("timeline")
        .order_by("created_at", "pk")
    )
    rows: list[list[Any]] = [[_("Waktu"), _("Forum"), _("Langkah"), _("Uraian")]]
    steps: list[tuple[datetime, int, list[Any]]] = []
    summary: list[list[Any]] = [[_("Forum"), _("Sifat"), _("Status"), _("Batas waktu"), _("Hasil")]]
    for d in dispositions:
        summary.append(
            [
                d.forum.name,
                d.get_kind_display(),
                d.get_status_display() + (" " + _("(terlambat)") if d.is_overdue else ""),
                local(d.due_at),
                d.get_outcome_display() or "-",
            ]
        )
        for entry in d.timeline.all():
            row = [local(entry.created_at), d.forum.name, entry.get_kind_display(), entry.text or "-"]
            steps.append((entry.created_at, len(steps), row))
        escalation = getattr(d, "escalation", None)
        if escalation is not None:
            row = [local(escalation.created_at), d.forum.name, _("Eskalasi"), escalation.note or "-"]
            steps.append((escalation.created_at, len(steps), row))
    if len(summary) == 1:
        return [], [p(_("Belum ada disposisi yang dapat Anda lihat."), s["body"])]
    # in time order (by the moment, not its printed words: "10 Desember" is after "7 Desember")
    rows += [row for _when, _n, row in sorted(steps, key=lambda step: step[:2])]
    body: list[Flowable] = [
        grid(summary, [50 * mm, 25 * mm, 30 * mm, 40 * mm, TEXT_WIDTH - 145 * mm]),
        Spacer(1, 3 * mm),
    ]
    widths = [36 * mm, 40 * mm, 28 * mm, TEXT_WIDTH - 104 * mm]
    if len(rows) == 1:
        return body, [p(_("Belum ada tindak lanjut."), s["body"])]
    if len(rows) <= 3:
        return body, [grid(rows, widths)]
    # the last two steps carry on the table with no gap, on the signature's page
    head = grid(rows[:-2], widths)
    return [*body, head], [grid(rows[-2:], widths, header=False)]


def _incident_story(
    *,
    title: str,
    reference_line: str,
    nomor: str,
    hal: str,
    classification: str,
    reports: list[Report],
    person: Person,
    now: datetime,
    extra: list[Flowable],
) -> list[Flowable]:
    """The laporan insidentil in the same official form as the Lapsit (docs/briefs.md): kop; place
    and date, Nomor (the reference), Sifat, Lampiran, Hal; Kepada Yth.; the numbered sections; the
    Penutup, the signature block and the tembusan kept with the last steps of the timeline."""
    s = pdf.styles()
    story: list[Flowable] = [
        *pdf.letterhead(),
        *official_head(nomor=nomor, classification=classification, lampiran="-", hal=hal, when=now),
        p(title, s["title"]),
        p(reference_line, s["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    story.extend(extra)
    sections = iter(range(1, 10))
    lead = reports[0] if reports else None
    if lead is not None:
        story.append(p(f"{_roman(next(sections))}. {_('Uraian kejadian (5W1H)')}", s["h2"]))
        story.extend(_five_w_one_h(lead, can_see_exact_location(person, lead), can_see_source(person, lead)))
    story.append(p(f"{_roman(next(sections))}. {_('Peta lokasi')}", s["h2"]))
    story.extend(_location_map(reports, person))
    story.append(p(f"{_roman(next(sections))}. {_('Disposisi dan tindak lanjut')}", s["h2"]))
    body, tail = _timeline(reports, person)
    story.extend(body)
    closing = [
        *tail,
        *closing_parts(
            number=next(sections),
            sentence=_(
                "Demikian laporan insidentil ini disampaikan untuk menjadi perhatian dan bahan tindak lanjut."
            ),
            when=now,
        ),
    ]
    # the last steps, the closing words, the signature and the tembusan never part
    story.append(KeepTogether(closing))
    return story


def render_report(report: Report, person: Person, *, now: datetime | None = None) -> bytes:
    """Laporan insidentil of one report ``person`` may see (the caller fetched it with visible_to)."""
    now = now or timezone.now()
    with override("id"):
        story = _incident_story(
            title=_("LAPORAN INSIDENTIL"),
            reference_line=_("Nomor %(ref)s · %(title)s") % {"ref": report.reference, "title": report.title},
            nomor=report.reference,
            hal=_("Laporan Insidentil: %(title)s") % {"title": report.title},
            classification=report.classification,
            reports=[report],
            person=person,
            now=now,
            extra=[],
        )
        return pdf.build(
            story,
            classification=report.classification,
            footer=_footer(person, now),
            title=_("Laporan insidentil %(ref)s") % {"ref": report.reference},
        )


def render_incident(incident: Incident, person: Person, *, now: datetime | None = None) -> bytes:
    """Laporan insidentil of one incident: its facts, the reports of it ``person`` may see, the 5W1H
    of the first of them, the map and the follow-up of all of them."""
    now = now or timezone.now()
    s = pdf.styles()
    reports = list(
        Report.objects.visible_to(person)
        .filter(incident=incident)
        .select_related("region__parent", "reporter_forum")
        .order_by("reported_at", "pk")
    )
    classification = max(
        [incident.classification, *(r.classification for r in reports)], key=lambda c: CLASSIFICATION_RANK[c]
    )
    with override("id"):
        facts = grid(
            [
                [_("Judul"), incident.title],
                [_("Isu"), incident.get_isu_display()],
                [_("Tingkat kewaspadaan"), incident.get_alert_level_display()],
                [_("Lokasi"), _region_line(incident.region)],
                [_("Waktu kejadian"), local(incident.occurred_at)],
                [_("Jumlah laporan"), str(len(reports))],
            ],
            [45 * mm, TEXT_WIDTH - 45 * mm],
            header=False,
            style_rows=[("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f5f5f5"))],
        )
        listing: list[Flowable] = [facts]
        if reports:
            listing += [
                p(_("Laporan terkait"), s["h2"]),
                grid(
                    [[_("Nomor"), _("Judul"), _("Dilaporkan")]]
                    + [[r.reference, r.title, local(r.reported_at)] for r in reports],
                    [45 * mm, TEXT_WIDTH - 95 * mm, 50 * mm],
                ),
            ]
        story = _incident_story(
            title=_("LAPORAN INSIDENTIL"),
            reference_line=_("Insiden %(ref)s · %(title)s")
            % {"ref": incident.reference, "title": incident.title},
            nomor=incident.reference,
            hal=_("Laporan Insidentil: %(title)s") % {"title": incident.title},
            classification=classification,
            reports=reports,
            person=person,
            now=now,
            extra=listing,
        )
        return pdf.build(
            story,
            classification=classification,
            footer=_footer(person, now),
            title=_("Laporan insidentil %(ref)s") % {"ref": incident.reference},
        )


# -- situation report ------------------------------------------------------------------------


def _percent(current: int, previous: int) -> str:
    if previous == 0:
        return _("belum ada pembanding") if current else _("tetap")
    change = (current - previous) * 100 / previous
    if change > 0:
        return _("naik %(p).0f%%") % {"p": change}
    if change < 0:
        return _("turun %(p).0f%%") % {"p": -change}
    return _("tetap")


def summary_sentences(data: SituationData) -> list[str]:
    period = data.period.label()
    out = [
        _(
            "Selama periode %(period)s tercatat %(n)d laporan yang diterima "
            "(periode sebelumnya %(m)d; %(change)s)."
        )
        % {
            "period": period,
            "n": data.total,
            "m": data.previous_total,
            "change": _percent(data.total, data.previous_total),
        }
    ]
    top_isu = [r for r in data.by_isu if r.current][:3]
    if top_isu:
        out.append(
            _("Isu terbanyak: %(list)s.") % {"list": ", ".join(f"{r.label} ({r.current})" for r in top_isu)}
        )
    top_kec = sorted((r for r in data.by_kecamatan if r.current), key=lambda r: (-r.current, r.label))[:3]
    if top_kec:
        out.append(
            _("Kecamatan dengan laporan terbanyak: %(list)s.")
            % {"list": ", ".join(f"{r.label} ({r.current})" for r in top_kec)}
        )
    rising = sorted((r for r in data.by_isu if r.change > 0), key=lambda r: -r.change)[:2]
    if rising:
        out.append(
            _("Kenaikan terbesar: %(list)s.")
            % {"list": ", ".join(f"{r.label} ({signed(r.change)})" for r in rising)}
        )
    elevated = [s for s in data.kecamatan_statuses if s.status != AlertLevel.NORMAL]
    if elevated:
        out.append(
            _("Pada akhir periode, %(n)d kecamatan tidak berstatus normal: %(list)s.")
            % {"n": len(elevated), "list": ", ".join(f"{s.name} ({level_label(s.status)})" for s in elevated)}
        )
    else:
        out.append(_("Pada akhir periode, seluruh kecamatan berstatus normal."))
    notable = len(data.notable) + data.withheld_notable
    out.append(
        _("%(n)d insiden menonjol (waspada atau lebih tinggi) terjadi dalam periode ini.") % {"n": notable}
        if notable
        else _("Tidak ada insiden menonjol dalam periode ini.")
    )
    if data.withheld_notable:
        out.append(
            _("%(n)d insiden di antaranya tidak dapat Anda buka (rahasia/terbatas); dihitung, tidak disebut.")
            % {"n": data.withheld_notable}
        )
    out.append(
        _(
            "Saat laporan ini dibuat, %(open)d disposisi masih terbuka "
            "dan %(late)d di antaranya melewati batas waktu."
        )
        % {"open": data.open_dispositions, "late": data.overdue_dispositions}
    )
    return out


def _count_table(rows: list[Any], first: str) -> Flowable:
    body: list[list[Any]] = [[first, _("Periode ini"), _("Sebelumnya"), _("Perubahan")]]
    for row in rows:
        body.append([row.label, num(row.current), num(row.previous), num(signed(row.change))])
    body.append(
        [
            _("Jumlah"),
            num(sum(r.current for r in rows)),
            num(sum(r.previous for r in rows)),
            num(signed(sum(r.change for r in rows))),
        ]
    )
    return grid(
        body,
        [TEXT_WIDTH - 90 * mm, 30 * mm, 30 * mm, 30 * mm],
        style_rows=[("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f5f5f5"))],
    )


def _status_map(data: SituationData, *, plain: bool = True) -> list[Flowable]:
    s = pdf.styles()
    kecamatan = {
        r.code: r
        for r in Region.objects.filter(code__in=[st.code for st in data.kecamatan_statuses]).only(
            "code", "name", "boundary"
        )
    }
    shapes = []
    for st in data.kecamatan_statuses:
        boundary = kecamatan[st.code].boundary if st.code in kecamatan else None
        if boundary:
            shapes.append(MapShape(boundary, pdf.LEVEL_COLOURS[st.status], st.name))
    legend = [(pdf.LEVEL_COLOURS[level], str(label)) for level, label in AlertLevel.choices]
    drawing = pdf.map_drawing(shapes, [], height=120 * mm, legend=legend)
    out: list[Flowable] = (
        [drawing]
        if drawing is not None
        else [p(_("Batas wilayah belum diimpor; peta tidak tersedia."), s["small"])]
    )
    out += [Spacer(1, 2 * mm), status_table(data, plain=plain)]
    return out


def plain_reason(st: Any) -> str:
    """A kecamatan's status in words a leader reads: how many incidents, and whether Kesbangpol
    set it by hand. The computed rule's numbers and an override's own wording are in the annex."""
    if st.override is not None:
        return _("Ditetapkan Kesbangpol.")
    if not st.incidents:
        return "-"
    return _("%(n)d insiden dalam beberapa pekan terakhir.") % {"n": st.incidents}


def status_table(data: SituationData, *, plain: bool) -> Flowable:
    rows: list[list[Any]] = [[_("Kecamatan"), _("Status"), _("Insiden dihitung"), _("Keterangan")]]
    for st in data.kecamatan_statuses:
        reason = plain_reason(st) if plain else (" ".join(st.reasons) or "-")
        rows.append([st.name, level_label(st.status), num(st.incidents), reason])
    return grid(rows, [40 * mm, 22 * mm, 25 * mm, TEXT_WIDTH - 87 * mm])


def _period_words(period: Period) -> str:
    """ "November 2026 (1 November 2026 s.d. 30 November 2026)", or just the dates of a week."""
    dates = f"{format_date(period.start)} s.d. {format_date(period.end)}"
    label = period.label()
    return label if label == dates else f"{label} ({dates})"


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[n - 1]


def signal_plain(signal: Any) -> str:
    """A detection signal in a leader's words: what rose where and how it compares with usual,
    without the detector's name, threshold or p-value (those are in the annex)."""
    from waspada.detection.explain import isu_phrase, place, usual

    dates = f"{format_date(signal.period_start)} s.d. {format_date(signal.period_end)}"
    subject = _("Laporan %(isu)s di %(place)s") % {
        "isu": isu_phrase(signal.isu),
        "place": place(signal.region),
    }
    if signal.series == "berbobot":
        return _("%(subject)s (%(dates)s) lebih banyak dan lebih berat dari biasanya.") % {
            "subject": subject,
            "dates": dates,
        }
    return _("%(subject)s (%(dates)s): %(n)s, biasanya %(usual)s.") % {
        "subject": subject,
        "dates": dates,
        "n": round(signal.observed),
        "usual": usual(signal.expected),
    }


def _head(data: SituationData, lapsit: Any, *, annex: bool, classification: str) -> list[Flowable]:
    """The Lapsit's head: its nomor (once approved), sifat, lampiran and hal."""
    kind_label = str(dict(BriefKind.choices)[data.period.kind])
    when = lapsit.approved_at if lapsit is not None and lapsit.approved_at else data.generated_at
    nomor = lapsit.nomor if lapsit is not None and lapsit.nomor else _("(diberikan setelah disetujui)")
    hal = _("Laporan Situasi %(kind)s %(region)s, %(period)s") % {
        "kind": kind_label,
        "region": data.home.name,
        "period": _period_words(data.period),
    }
    lampiran = _("1 (satu) berkas") if annex else "-"
    return official_head(nomor=nomor, classification=classification, lampiran=lampiran, hal=hal, when=when)


def official_head(
    *, nomor: str, classification: str, lampiran: str, hal: str, when: datetime
) -> list[Flowable]:
    """Below the kop: place and date, nomor, sifat, lampiran, hal, and Kepada Yth. (tata naskah
    dinas: the four lines on the left under the kop, the date on the right of the nomor's line)."""
    from django.conf import settings

    s = pdf.styles()
    rows = [
        [_("Nomor"), ":", nomor],
        [_("Sifat"), ":", pdf.classification_label(classification).capitalize()],
        [_("Lampiran"), ":", lampiran],
        [_("Hal"), ":", hal],
    ]
    left = grid(
        [[p(a, s["cell"]), p(b, s["cell"]), p(c, s["cell"])] for a, b, c in rows],
        [20 * mm, 4 * mm, TEXT_WIDTH - 84 * mm],
        header=False,
        style_rows=[("GRID", (0, 0), (-1, -1), 0, colors.white), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    right = p(
        f"{settings.WASPADA_BRIEF_SIGN_PLACE}, {format_date(timezone.localtime(when).date())}", s["body"]
    )
    from reportlab.platypus import Table, TableStyle

    top = Table([[left, right]], colWidths=[TEXT_WIDTH - 60 * mm, 60 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    kepada = settings.WASPADA_LAPSIT_KEPADA
    return [
        top,
        Spacer(1, 3 * mm),
        p(_("Kepada Yth. %(who)s") % {"who": kepada}, s["body"]),
        p(_("di %(place)s") % {"place": settings.WASPADA_BRIEF_SIGN_PLACE}, s["body"]),
        Spacer(1, 5 * mm),
    ]


def _gatra_facts(data: SituationData) -> list[Flowable]:
    from waspada.briefs.gatra import LAPSIT_GATRA, gatra_of

    s = pdf.styles()
    gatra_labels = dict(Gatra.choices)
    out: list[Flowable] = []
    for index, gatra in enumerate(LAPSIT_GATRA):
        rows = [r for r in data.by_isu if gatra_of(r.key) == gatra and (r.current or r.previous)]
        incidents = [i for i in data.notable if gatra_of(i.isu) == gatra]
        heading = p(f"{'ABCDE'[index]}. {_('Gatra')} {gatra_labels[gatra]}", s["h3"])
        if not rows and not incidents:
            out.append(heading)
            out.append(p(_("Tidak ada laporan pada gatra ini dalam periode ini."), s["body"]))
            continue
        current = sum(r.current for r in rows)
        previous = sum(r.previous for r in rows)
        body: list[Flowable] = [
            p(
                _("%(n)d laporan (periode sebelumnya %(m)d; %(change)s).")
                % {"n": current, "m": previous, "change": _percent(current, previous)}
                if current or previous
                else _("Tidak ada laporan baru pada gatra ini; insiden berikut terjadi dalam periode ini."),
                s["body"],
            )
        ]
        if rows:
            body.append(_count_table(rows, _("Isu")))
        if incidents:
            body.append(Spacer(1, 1.5 * mm))
            body.append(
                grid(
                    [[_("Insiden menonjol"), _("Lokasi"), _("Tingkat"), _("Waktu")]]
                    + [
                        [
                            f"{i.reference} · {i.title}",
                            i.region.name,
                            i.get_alert_level_display(),
                            local(i.occurred_at),
                        ]
                        for i in incidents
                    ],
                    [TEXT_WIDTH - 88 * mm, 26 * mm, 20 * mm, 42 * mm],
                )
            )
        out.append(heading)
        out.extend(body)
    return out


def _written(text: str, *, konsep: bool) -> list[Flowable]:
    s = pdf.styles()
    if text.strip():
        return [p(paragraph, s["body"]) for paragraph in text.strip().split("\n\n")]
    return [p(_("(belum ditulis analis)") if konsep else "-", s["body"])]


def _dispositions(data: SituationData) -> list[Flowable]:
    s = pdf.styles()
    out: list[Flowable] = [
        p(
            _("Disposisi terbuka: %(open)d. Melewati batas waktu: %(late)d.")
            % {"open": data.open_dispositions, "late": data.overdue_dispositions},
            s["body"],
        )
    ]
    if data.open_by_forum:
        out.append(
            grid(
                [[_("Forum"), _("Terbuka"), _("Terlambat")]]
                + [[name, num(n), num(late)] for name, n, late in data.open_by_forum],
                [TEXT_WIDTH - 60 * mm, 30 * mm, 30 * mm],
            )
        )
    if data.overdue_list:
        out.append(Spacer(1, 2 * mm))
        out.append(
            grid(
                [[_("Laporan"), _("Judul"), _("Forum"), _("Batas waktu")]]
                + [
                    [d.report.reference, d.report.title, d.forum.name, local(d.due_at)]
                    for d in data.overdue_list
                ],
                [44 * mm, TEXT_WIDTH - 132 * mm, 40 * mm, 48 * mm],
            )
        )
        shown = len(data.overdue_list) + data.withheld_overdue
        if data.overdue_dispositions > shown:
            out.append(p(_("… dan %(n)d lainnya.") % {"n": data.overdue_dispositions - shown}, s["small"]))
    if data.withheld_overdue:
        out.append(
            p(
                _(
                    "%(n)d disposisi terlambat menyangkut laporan yang tidak dapat Anda buka; "
                    "dihitung, tidak disebut."
                )
                % {"n": data.withheld_overdue},
                s["small"],
            )
        )
    return out


def _metrics(data: SituationData) -> list[Flowable]:
    s = pdf.styles()
    if not data.metrics_by_forum:
        return [p(_('Tidak ada disposisi "perlu tindakan" dalam periode ini.'), s["body"])]

    def hours(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    return [
        grid(
            [
                [
                    _("Forum"),
                    _("Disposisi"),
                    _("Selesai"),
                    _("Median diterima (jam)"),
                    _("Median selesai (jam)"),
                    _("Terlambat"),
                ]
            ]
            + [
                [
                    row.label,
                    num(row.total),
                    num(row.closed),
                    num(hours(row.median_ack_hours)),
                    num(hours(row.median_close_hours)),
                    num(f"{row.overdue} ({(row.overdue_share or 0) * 100:.0f}%)"),
                ]
                for row in data.metrics_by_forum
            ],
            [TEXT_WIDTH - 130 * mm, 20 * mm, 20 * mm, 30 * mm, 30 * mm, 30 * mm],
        ),
        p(
            _('Disposisi "perlu tindakan" yang dibuat dalam periode ini; waktu jeda tidak dihitung.'),
            s["small"],
        ),
    ]


def _signals_and_alerts(data: SituationData) -> list[Flowable]:
    s = pdf.styles()
    out: list[Flowable] = [p(_("Sinyal peringatan dini"), s["h3"])]
    if data.signals:
        # several detectors may flag the same rise: a leader reads it once
        sentences = list(dict.fromkeys(signal_plain(signal) for signal in data.signals))
        out += [p(f"• {sentence}", s["body"]) for sentence in sentences]
    else:
        out.append(p(_("Tidak ada sinyal peringatan dini dalam periode ini."), s["body"]))
    out.append(p(_("Peringatan yang disiarkan"), s["h3"]))
    if data.alerts:
        out.append(
            grid(
                [[_("Judul"), _("Wilayah"), _("Tingkat"), _("Disiarkan")]]
                + [[a.headline, a.region.name, a.get_level_display(), local(a.sent)] for a in data.alerts],
                [TEXT_WIDTH - 98 * mm, 30 * mm, 22 * mm, 46 * mm],
            )
        )
    else:
        out.append(p(_("Tidak ada peringatan yang disiarkan dalam periode ini."), s["body"]))
    return out


def _annex(data: SituationData) -> list[Flowable]:
    """Lampiran for the analysts: the status rule's own reasons and every signal with its
    detector, observed and usual value, threshold and p-value."""
    from reportlab.platypus import PageBreak

    s = pdf.styles()
    out: list[Flowable] = [
        PageBreak(),
        p(_("LAMPIRAN"), s["title"]),
        p(_("Catatan teknis untuk analis"), s["subtitle"]),
        Spacer(1, 4 * mm),
        p(_("1. Status wilayah: alasan menurut aturan"), s["h2"]),
        status_table(data, plain=False),
        p(_("2. Sinyal deteksi"), s["h2"]),
    ]
    if data.signals:
        out.append(
            grid(
                [
                    [
                        _("Wilayah, isu"),
                        _("Detektor"),
                        _("Teramati"),
                        _("Biasanya"),
                        _("Ambang"),
                        _("Nilai p"),
                        _("Penjelasan"),
                    ]
                ]
                + [
                    [
                        f"{sig.region.name}, {sig.get_isu_display()}",
                        sig.get_detector_display(),
                        num(f"{sig.observed:.1f}"),
                        num(f"{sig.expected:.1f}"),
                        num(f"{sig.threshold:.2f}"),
                        num("-" if sig.p_value is None else f"{sig.p_value:.3g}"),
                        sig.explanation,
                    ]
                    for sig in data.signals
                ],
                [26 * mm, 22 * mm, 20 * mm, 20 * mm, 18 * mm, 14 * mm, TEXT_WIDTH - 120 * mm],
            )
        )
    else:
        out.append(p(_("Tidak ada sinyal dalam periode ini."), s["body"]))
    out += [p(_("3. Kinerja tindak lanjut per forum"), s["h2"]), *_metrics(data)]
    return out


def closing_parts(*, number: int, sentence: str, when: datetime, signer: str = "") -> list[Flowable]:
    """The closing of an official brief, unwrapped for the caller's KeepTogether (a nested one
    pushes the whole to a fresh page): PENUTUP, its sentence, the signature block (``signer``:
    the approver's name, ``pdf.signature_parts``), the tembusan (``WASPADA_LAPSIT_TEMBUSAN``) at
    the lower left."""
    from django.conf import settings

    s = pdf.styles()
    parts: list[Flowable] = [
        p(f"{_roman(number)}. {_('PENUTUP')}", s["h2"]),
        p(sentence, s["body"]),
        *pdf.signature_parts(when, signer),
    ]
    tembusan = [t.strip() for t in settings.WASPADA_LAPSIT_TEMBUSAN.split(";") if t.strip()]
    if tembusan:
        parts += [Spacer(1, 4 * mm), p(_("Tembusan:"), s["small"])]
        parts += [p(f"{n}. {name}", s["small"]) for n, name in enumerate(tembusan, start=1)]
    return parts


def render_situation(
    data: SituationData, *, lapsit: Any = None, konsep: bool = False, annex: bool = False
) -> bytes:
    """The Lapsit in official form (docs/briefs.md, "Lapsit"): kop; place and date, nomor, sifat,
    lampiran, hal; Kepada Yth.; I Umum (summary, the per-kecamatan table, the trend, the map),
    II Fakta per gatra, signals and alerts, follow-up, III Analisa, IV Prakiraan, V Saran tindak
    (the analyst's text from ``lapsit``), VI Penutup with the signature block and the tembusan kept
    on one page; ``annex``: the technical lampiran for the analysts. ``konsep``: "KONSEP" across
    every page."""

    s = pdf.styles()
    kind_label = dict(BriefKind.choices)[data.period.kind]
    # An internal document: at least terbatas; rahasia when it names a rahasia incident or report.
    shown = [i.classification for i in data.notable] + [d.report.classification for d in data.overdue_list]
    classification = Classification.RAHASIA if Classification.RAHASIA in shown else Classification.TERBATAS
    with override("id"):
        story: list[Flowable] = [
            *pdf.letterhead(),
            *_head(data, lapsit, annex=annex, classification=classification),
            p(_("LAPORAN SITUASI %(kind)s") % {"kind": str(kind_label).upper()}, s["title"]),
            p(
                _("Kewaspadaan dini %(region)s · %(period)s")
                % {"region": data.home.name, "period": _period_words(data.period)},
                s["subtitle"],
            ),
            Spacer(1, 4 * mm),
            p(f"{_roman(1)}. {_('UMUM')}", s["h2"]),
        ]
        story += [p(sentence, s["body"]) for sentence in summary_sentences(data)]
        story.append(
            p(
                _(
                    "Pembanding: %(period)s. "
                    "Laporan dihitung menurut waktu diterima; laporan yang ditolak tidak dihitung."
                )
                % {"period": _period_words(data.previous)},
                s["small"],
            )
        )
        story += [p(_("Laporan per kecamatan"), s["h3"]), _count_table(data.by_kecamatan, _("Kecamatan"))]
        levels = [(level, str(label)) for level, label in AlertLevel.choices]
        weeks = [(w.start.strftime("%d/%m"), w.counts) for w in data.weeks]
        story.append(
            KeepTogether(
                [
                    p(_("Tren mingguan laporan (%(n)d minggu)") % {"n": len(weeks)}, s["h3"]),
                    pdf.weekly_chart(weeks, levels),
                ]
            )
        )
        story += [p(_("Peta status wilayah pada akhir periode"), s["h3"]), *_status_map(data, plain=True)]

        story.append(p(f"{_roman(2)}. {_('FAKTA-FAKTA MENURUT GATRA')}", s["h2"]))
        story += _gatra_facts(data)
        story += [p(_("Laporan per isu"), s["h3"]), _count_table(data.by_isu, _("Isu"))]
        story += _signals_and_alerts(data)
        story += [p(_("Disposisi terbuka dan terlambat"), s["h3"]), *_dispositions(data)]
        if not annex:
            story += [p(_("Kinerja tindak lanjut per forum"), s["h3"]), *_metrics(data)]

        konsep_text = lapsit is None or konsep
        story += [
            p(f"{_roman(3)}. {_('ANALISA')}", s["h2"]),
            *_written(getattr(lapsit, "analisa", ""), konsep=konsep_text),
        ]
        story += [
            p(f"{_roman(4)}. {_('PRAKIRAAN')}", s["h2"]),
            *_written(getattr(lapsit, "prakiraan", ""), konsep=konsep_text),
        ]
        closing: list[Flowable] = [
            p(f"{_roman(5)}. {_('SARAN TINDAK')}", s["h2"]),
            *_written(getattr(lapsit, "saran", ""), konsep=konsep_text),
            *closing_parts(
                number=6,
                sentence=_(
                    "Demikian laporan situasi ini disampaikan sebagai bahan pertimbangan "
                    "dan pengambilan keputusan."
                ),
                when=lapsit.approved_at if lapsit is not None and lapsit.approved_at else data.generated_at,
                # an approved Lapsit is signed by its approver by name; a KONSEP keeps the dotted line
                signer=lapsit.approved_by.display_name
                if lapsit is not None and not konsep and lapsit.approved_by_id
                else "",
            ),
        ]
        # the saran tindak, the closing words, the signature and the tembusan never part: the
        # signature never stands alone on a page (a saran longer than a page still splits)
        story.append(KeepTogether(closing))
        if annex:
            story += _annex(data)
        return pdf.build(
            story,
            classification=classification,
            footer=_footer(data.person, data.generated_at),
            title=_("Laporan situasi %(kind)s %(period)s")
            % {"kind": kind_label, "period": data.period.label()},
            konsep=konsep,
        )
