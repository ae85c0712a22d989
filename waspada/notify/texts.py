"""Notification texts in the reader's language, and the link each reader can open.

An event stores its ``kind`` and ``params`` (reference, report title, forum name, and for a
system-written body its key and parameters); the title and body are rendered when someone reads
them: the notification centre in the page's language, e-mail and chat at send time in the
recipient's language (``language_for``). Rows written before ``params`` existed have none and
show the Indonesian ``title``/``body`` they were stored with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

if TYPE_CHECKING:
    from waspada.notify.models import Event
    from waspada.people.models import Person

# The label that starts each title; the rest is the reference, the forum and the report's title
# ("Tindak lanjut SKD-6401-2026-000001 → FKUB Kabupaten Paser: ..."), as before.
LABELS: dict[str, Promise] = {
    "report.submitted": _("Laporan baru"),
    "report.verified": _("Laporan diverifikasi"),
    "report.rejected": _("Laporan ditolak"),
    "disposition.created": _("Disposisi"),
    "disposition.acknowledged": _("Disposisi diterima"),
    "disposition.action": _("Tindak lanjut"),
    "disposition.closed": _("Disposisi selesai"),
    "disposition.assigned": _("Disposisi ditugaskan kepada Anda"),
    "disposition.deadline_near": _("Batas waktu dekat"),
    "disposition.escalated": _("Eskalasi"),
}
TITLES: dict[str, Promise] = {
    "signal.detected": _("Sinyal deteksi dini: %(region)s"),
    "brief.ready": _("Laporan situasi %(kind)s %(period)s siap"),
    "brief.released": _("%(regency)s merilis laporan situasi %(kind)s %(span)s"),
    "brief.re_released": _(
        "%(regency)s merilis ulang laporan situasi %(kind)s %(span)s, menggantikan rilis sebelumnya"
    ),
    "brief.province": _("Laporan situasi provinsi %(province)s %(kind)s %(span)s untuk Forkopimda provinsi"),
    "lapsit.submitted": _("Lapsit %(kind)s %(regency)s %(span)s menunggu persetujuan Anda"),
    "lapsit.approved": _("Lapsit %(kind)s %(regency)s %(span)s disetujui, nomor %(nomor)s"),
    "lapsit.returned": _("Lapsit %(kind)s %(regency)s %(span)s dikembalikan untuk diperbaiki"),
    "report.verification_late": _("Belum diverifikasi %(reference)s (terlambat %(late)s): %(report_title)s"),
    "account.login_failures": _("Percobaan masuk berulang dengan kata sandi salah ke akun Anda"),
    "chat.whatsapp_group_invite": _("Undangan grup WhatsApp: %(group)s"),
}
# System-written bodies by key (``params["body_key"]``), formatted with ``params["body_params"]``.
BODIES: dict[str, Promise] = {
    "verification_late": _("Batas verifikasi %(due)s WITA terlewati."),
    "brief_ready": _("Salinan Anda berisi apa yang boleh Anda lihat."),
    "brief_released": _(
        "Penilaian dan angka rilis ini kini ada di laporan situasi provinsi periode itu "
        "(Tim Kewaspadaan Dini provinsi)."
    ),
    "brief_re_released": _(
        "Rilis ini menggantikan rilis sebelumnya; laporan situasi provinsi periode itu kini memuat "
        "penilaian dan angka yang baru."
    ),
    "brief_province": _(
        "Dikirim oleh Tim Kewaspadaan Dini provinsi, disusun dari rilis kabupaten/kota. "
        "Unduh salinan PDF Anda dari tautan ini."
    ),
    "lapsit_submitted": _(
        "Analisa, prakiraan dan saran tindak sudah ditulis. Buka Lapsit untuk membaca konsepnya, "
        "lalu setujui atau kembalikan kepada analis."
    ),
    "lapsit_approved": _("Lapsit diberi nomor dan dikirim kepada penerimanya."),
    "whatsapp_group_invite": _("Gabung lewat tautan ini (khusus untuk Anda, jangan diteruskan): %(link)s"),
    "login_failures": _(
        "%(failures)d kali kata sandi atau kode salah untuk akun Anda. Dari alamat yang belum pernah "
        "Anda pakai, masuk ke akun ini kini diperlambat; dari alamat yang biasa Anda pakai Anda tetap "
        "bisa masuk. Jika itu bukan Anda, ganti kata sandi Anda."
    ),
}
# The kinds of situation report (the same words as briefs.periods.BriefKind, which sits above).
BRIEF_KINDS: dict[str, Promise] = {
    "mingguan": _("Mingguan"),
    "bulanan": _("Bulanan"),
    "triwulanan": _("Triwulanan"),
}


# Notices of a stored copy of a situation report, whose link is the copy's PDF.
BRIEF_COPY_KINDS = frozenset({"brief.ready", "brief.province"})
# The query parameter that asks ``briefs.views.download`` to show the PDF rather than save it.
VIEW_INLINE = "lihat"


def _format(template: Promise | None, params: Mapping[str, Any], fallback: str) -> str:
    if template is None or not params:
        return fallback
    try:
        return str(template) % dict(params)
    except (KeyError, TypeError, ValueError):
        return fallback


def _derived(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """Words made from stored values in the active language: ``late_minutes`` becomes ``late``
    ("2 jam" / "2 hours"); a brief's ``brief_kind`` and period dates become ``kind``, ``period``
    and ``span``."""
    derived = dict(params)
    if "late_minutes" in params:
        from datetime import timedelta

        from waspada.reports.verification import span_text

        derived["late"] = span_text(timedelta(minutes=int(params["late_minutes"])))
    if "brief_kind" in params and "period_start" in params and "period_end" in params:
        from datetime import date

        from django.utils.formats import date_format

        kind = BRIEF_KINDS.get(str(params["brief_kind"]))
        derived["kind"] = str(kind).lower() if kind is not None else str(params["brief_kind"])
        start, end = (date.fromisoformat(str(params[key])) for key in ("period_start", "period_end"))
        derived["period"] = f"{date_format(start, 'j M Y')} - {date_format(end, 'j M Y')}"
        # "30 Nov \u2013 6 Des 2026": the year once when both ends share it (the release notices)
        first = date_format(start, "j M" if start.year == end.year else "j M Y")
        derived["span"] = f"{first} \u2013 {date_format(end, 'j M Y')}"
    return derived


def title_of(kind: str, params: Mapping[str, Any], fallback: str = "") -> str:
    params = _derived(params)
    label = LABELS.get(kind)
    if label is None or "reference" not in params:
        return _format(TITLES.get(kind), params, fallback)[:300]
    forum = f" → {params['forum']}" if params.get("forum") else ""
    return f"{label} {params['reference']}{forum}: {params.get('report_title', '')}"[:300]


def indonesian_title(kind: str, params: Mapping[str, Any]) -> str:
    """What is stored in ``Event.title``: the title in the source language."""
    with override("id"):
        return title_of(kind, params, fallback=kind)


def indonesian_body(params: Mapping[str, Any]) -> str:
    """What is stored in ``Event.body`` for a system-written body: the source language."""
    with override("id"):
        return body_of(params, fallback="")


def body_of(params: Mapping[str, Any], fallback: str) -> str:
    """A system-written body in the active language; a person's words stay as they wrote them."""
    key = str(params.get("body_key", ""))
    args = params.get("body_params") or {}
    if key == "outcome":
        from waspada.response.models import Outcome

        value = str(args.get("outcome", ""))
        return str(Outcome(value).label) if value in Outcome.values else fallback
    if key == "signal":
        from waspada.detection.models import Signal

        signal = Signal.objects.filter(pk=int(args.get("signal") or 0)).select_related("region").first()
        return signal.explanation_text if signal is not None else fallback
    if key in BODIES:
        return _format(BODIES[key], args, fallback) if args else str(BODIES[key])
    if key.startswith("response."):
        from waspada.response import texts

        return texts.render(key.removeprefix("response."), args, fallback=fallback)
    return fallback


def event_title(event: Event) -> str:
    return title_of(event.kind, event.params or {}, fallback=event.title)


def event_body(event: Event) -> str:
    return body_of(event.params or {}, fallback=event.body)


def language_for(person: Person | None) -> str:
    """The recipient's language: their own choice if the account has one, else the site's."""
    languages = {code for code, _name in settings.LANGUAGES}
    chosen = str(getattr(person, "language", "") or "") if person is not None else ""
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def link_for(event: Event, person: Person) -> str:
    """A link ``person`` can open for this event, or "" when there is none.

    A disposition's notice points at the disposition page for those who may open it (the forum,
    the TKD), and at the report page for the others told of it (the reporter); a report's notice
    at the report page. The event's audience already holds only people who may see the report.
    """
    from waspada.reports.models import Report
    from waspada.response.models import Disposition

    if event.disposition_id is not None:
        if Disposition.objects.visible_to(person).filter(pk=event.disposition_id).exists():
            return event.url
    if event.report_id is not None:
        report = Report.objects.visible_to(person).filter(pk=event.report_id).only("reference").first()
        if report is None:
            return ""
        from django.urls import reverse

        return reverse("reports:detail", args=[report.reference])
    if event.kind in BRIEF_COPY_KINDS and event.url.endswith("/unduh/"):
        # A copy's PDF opens in the browser from a notice (the list's "PDF" link downloads it).
        return f"{event.url}?{VIEW_INLINE}=1"
    return event.url
