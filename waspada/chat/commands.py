"""Chat commands, the same on every chat network: ``!lapor``, ``!status``, ``!tindaklanjut``,
``!terima``, ``!tautkan``, ``!bantuan``.

Each command is acted on once per chat message (``CommandLog`` is unique per message, written in
the same transaction as the action), runs as the linked person through the existing actions
(``submit_report``, ``acknowledge``, ``add_action``), and is logged; a command from an unlinked
account, or one the person may not do, is refused with a clear reply and logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.forums.models import ForumKind, Membership
from waspada.notify import actions as notify_actions
from waspada.notify.models import ChatAccount, CommandLog
from waspada.regions.models import Region
from waspada.regions.places import candidates_sentence, resolve_place
from waspada.reports.actions import IdempotencyConflict, ReportInput, submit_report
from waspada.reports.models import Report
from waspada.reports.taxonomy import AlertLevel, Athg, Isu
from waspada.response import actions as response_actions
from waspada.response.models import Disposition

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.triage.suggest import Suggestion

logger = logging.getLogger(__name__)

TEMPLATE = (
    "!lapor\n"
    "judul: <judul singkat>\n"
    "apa: <apa yang terjadi>\n"
    "lokasi: <nama desa/kecamatan atau kode wilayah>\n"
    "isu: <mis. agama, agraria_korporasi, sara_etnis>\n"
    "tingkat: <normal | waspada | siaga | awas>\n"
    "(boleh ditambah: waktu: 2026-12-04 09:30, siapa:, kondisi:, athg:, meninggal:, luka:, mengungsi:)"
)
HELP = gettext_lazy(
    "Perintah Waspada:\n"
    "!lapor <cerita bebas> atau !lapor dengan templat di baris berikutnya — kirim laporan\n"
    "!status <nomor> — status laporan\n"
    "!terima <nomor> — forum Anda menerima disposisi\n"
    "!tindaklanjut <nomor> <uraian> — catat tindak lanjut\n"
    "!tautkan <kode> — tautkan akun obrolan ini ke akun Waspada\n"
    "Templat laporan:\n"
)
FIELDS = {
    "judul": "title",
    "apa": "what",
    "lokasi": "region_code",
    "isu": "isu",
    "tingkat": "alert_level",
    "waktu": "occurred_at",
    "siapa": "who",
    "kondisi": "latest_condition",
    "athg": "athg",
    "meninggal": "casualties_dead",
    "luka": "casualties_injured",
    "mengungsi": "casualties_displaced",
}
CASUALTY_LINES = ("meninggal", "luka", "mengungsi")  # optional counts; a line left out: not known
REQUIRED = ("judul", "apa", "lokasi", "isu", "tingkat")
COMMAND_RE = re.compile(r"!(\w+)\s*(.*)", re.DOTALL)
COMMANDS = frozenset({"lapor", "status", "terima", "tindaklanjut", "tautkan", "bantuan"})
FIRST_WORD = re.compile(r"^[!/]?(\w+)")
# On SMS every reply costs credit and a feature phone shows 160 characters at a time.
SMS_HELP = gettext_lazy(
    "Waspada SMS: LAPOR <isu> <desa> <cerita> (atau LAPOR <cerita>); STATUS <nomor>; "
    "TERIMA <nomor>; TINDAKLANJUT <nomor> <uraian>; TAUTKAN <kode>. Isu mis. agama, lahan, "
    "sara, batas, pemilu, narkoba, bencana."
)


def bare_command(text: str) -> str | None:
    """``lapor …``, ``LAPOR …``, ``/lapor …`` or ``!lapor …`` as :func:`handle` reads it (on
    networks where typing ``!`` is awkward: WhatsApp, SMS); None when the first word is no
    command."""
    match = FIRST_WORD.match(text.strip())
    if match is None or match[1].lower() not in COMMANDS:
        return None
    return "!" + match[1].lower() + text.strip()[match.end() :]


@dataclass(frozen=True)
class Incoming:
    channel: str  # "matrix", "telegram"
    message_id: str
    sender: str  # the chat address
    room: str
    text: str
    room_forum_id: int | None = None
    # The people in the room, or None when some member is not linked (then nothing is shown there).
    room_people: Callable[[], list[Person] | None] | None = None
    is_direct: bool = False
    # How this network reads ``!lapor``'s text into the report's fields (SMS: the compact form);
    # None: the template lines, else plain words through the triage.
    lapor_values: Callable[[str, Person], tuple[dict[str, str], str]] | None = None
    short: bool = False  # replies fit an SMS: no template, no long help


class Refused(Exception):
    pass


def handle(incoming: Incoming) -> str | None:
    """Act on one chat message; return the reply to post (None: not a command, or already handled)."""
    text = incoming.text.strip()
    if not text.startswith("!"):
        return None
    match = COMMAND_RE.match(text)
    if match is None:
        return None
    command, rest = match[1].lower(), match[2].strip()
    if command not in COMMANDS:
        return None
    try:
        with transaction.atomic():
            log = CommandLog.objects.create(
                channel=incoming.channel,
                message_id=incoming.message_id,
                sender=incoming.sender[:255],
                room=incoming.room[:255],
                command=command,
                outcome="diproses",
            )
            reply, outcome, person = _dispatch(incoming, command, rest)
            log.outcome = outcome
            log.person = person
            log.detail = reply[:500] if outcome != "ok" else ""
            log.save(update_fields=["outcome", "person", "detail"])
    except IntegrityError:
        return None  # this message was handled before (a re-read after a restart)
    if outcome != "ok":
        logger.warning(
            "chat command refused: %s %s !%s: %s", incoming.channel, incoming.sender, command, reply[:200]
        )
    return reply


def _dispatch(incoming: Incoming, command: str, rest: str) -> tuple[str, str, Person | None]:
    if command == "bantuan":
        return (str(SMS_HELP) if incoming.short else str(HELP) + TEMPLATE), "ok", None
    if command == "tautkan":
        try:
            with transaction.atomic():
                account = notify_actions.redeem_link_code(
                    code=rest, channel=incoming.channel, address=incoming.sender
                )
        except ValidationError as exc:
            return _messages(exc), "ditolak", None
        return (
            _("Akun ini sekarang tertaut ke %(name)s.") % {"name": account.person.display_name},
            "ok",
            account.person,
        )
    linked = (
        ChatAccount.objects.filter(channel=incoming.channel, address=incoming.sender)
        .select_related("person")
        .first()
    )
    if linked is None or not linked.person.is_active:
        return (
            _(
                "Akun obrolan ini belum ditautkan ke Waspada, jadi perintah ditolak. Minta admin "
                "Kesbangpol menautkannya, atau buat kode di halaman Notifikasi lalu kirim !tautkan KODE."
            ),
            "ditolak",
            None,
        )
    person = linked.person
    try:
        with transaction.atomic():
            if command == "lapor":
                reply = _lapor(incoming, person, rest)
            elif command == "status":
                reply = _status(incoming, person, rest)
            elif command == "terima":
                reply = _terima(incoming, person, rest)
            else:
                reply = _tindaklanjut(incoming, person, rest)
    except PermissionError as exc:
        return _("Ditolak: %(reason)s") % {"reason": exc}, "ditolak", person
    except Refused as exc:
        return str(exc), "ditolak", person
    except ValidationError as exc:
        return _messages(exc), "galat", person
    return reply, "ok", person


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "\n".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _parse_template(rest: str) -> dict[str, str]:
    values: dict[str, str] = {}
    last = None
    for line in rest.splitlines():
        key, colon, value = line.partition(":")
        name = key.strip().lower()
        if colon and name in FIELDS:
            values[name] = value.strip()
            last = name
        elif last is not None and line.strip():
            values[last] += "\n" + line.strip()
    return values


def _region(value: str) -> Region:
    """A code or a name, read by the same resolver as the web form and the API."""
    place = resolve_place(value)
    if place.region is None:
        raise Refused(_("lokasi: %(problem)s") % {"problem": candidates_sentence(place)})
    return place.region


def _from_free_text(text: str, person: Person) -> tuple[dict[str, str], str]:
    """A report written as plain words: the triage fills isu, level, ATHG and the place, and the
    reply says so (the analyst keeps the last word when verifying)."""
    from waspada.triage.suggest import suggest

    found = suggest(text, reporter=person)
    if not found.is_early_warning:
        raise Refused(
            _(
                "Pesan ini tidak tampak sebagai laporan kewaspadaan dini. Bila memang laporan, kirim "
                "dengan templat:\n%(template)s"
            )
            % {"template": TEMPLATE}
        )
    first_line = text.splitlines()[0].strip()
    values = {
        "judul": first_line if len(first_line) <= 80 else first_line[:79].rstrip() + "…",
        "apa": text,
        "isu": str(found.isu.value),
        "tingkat": str(found.level.value),
        "athg": str(found.athg.value),
    }
    if found.region_code:
        values["lokasi"] = str(found.region_code)
    counts, counts_sentence = stated_counts(found)
    values.update(counts)
    place = values.get("lokasi", "—")
    if found.places.found:
        place = f"{place} ({found.places.found[0].name})"
    note = _(
        "Isian disarankan otomatis dari teks: isu %(isu)s, ATHG %(athg)s, tingkat %(level)s, "
        "lokasi %(place)s. Setelah diverifikasi, diteruskan ke: %(forums)s. "
        "Analis dapat mengubahnya saat verifikasi."
    ) % {
        "isu": values["isu"],
        "athg": values["athg"],
        "level": values["tingkat"],
        "place": place,
        "forums": _forum_names(found.forums),
    }
    doubts = [
        f"{name} ({' / '.join(value for value, _share in prediction.choices)})"
        for name, prediction in (("isu", found.isu), ("ATHG", found.athg), ("tingkat", found.level))
        if not prediction.sure
    ]
    if doubts:
        note += " " + _("Belum yakin tentang %(fields)s: analis akan memastikannya saat verifikasi.") % {
            "fields": "; ".join(doubts)
        }
    if found.cues:
        note += " " + _("Tingkat %(level)s karena teks menyebut: %(cues)s.") % {
            "level": values["tingkat"],
            "cues": "; ".join(f"{cue.label} ({', '.join(cue.words)})" for cue in found.cues),
        }
    if counts_sentence:
        note += " " + counts_sentence
    return values, note


def stated_counts(found: Suggestion) -> tuple[dict[str, str], str]:
    """The casualty lines a plain-words report states as numbers ("2 org meninggal"), for the
    report's count fields, and the reply's sentence naming them ("" when none is stated)."""
    stated = {
        line: getattr(found.casualties, attribute)
        for line, attribute in (("meninggal", "dead"), ("luka", "injured"), ("mengungsi", "displaced"))
        if getattr(found.casualties, attribute) is not None
    }
    if not stated:
        return {}, ""
    sentence = _("Jumlah korban dari teks: %(counts)s.") % {
        "counts": ", ".join(f"{line} {count}" for line, count in stated.items())
    }
    return {line: str(count) for line, count in stated.items()}, sentence


def _forum_names(kinds: list[str]) -> str:
    """Forum kinds as the reporter reads them: "FKUB (Forum Kerukunan Umat Beragama), TKD (…)"."""
    labels = dict(ForumKind.choices)
    return ", ".join(f"{kind} ({labels[kind]})" if kind in labels else kind for kind in kinds) or "—"


def _lapor(incoming: Incoming, person: Person, rest: str) -> str:
    note = ""
    if incoming.lapor_values is not None:
        values, note = incoming.lapor_values(rest, person)
    else:
        values = _parse_template(rest)
        if not values and rest.strip():
            values, note = _from_free_text(rest.strip(), person)
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing and incoming.short:
        raise Refused(
            _("Laporan belum lengkap, kurang: %(missing)s. %(help)s")
            % {"missing": ", ".join(missing), "help": SMS_HELP}
        )
    if missing:
        raise Refused(
            _("Laporan belum lengkap. Yang kurang: %(missing)s.\nTemplat:\n%(template)s")
            % {"missing": ", ".join(missing), "template": TEMPLATE}
        )
    region = _region(values["lokasi"])
    occurred_at = timezone.now()
    if values.get("waktu"):
        try:
            occurred_at = timezone.make_aware(datetime.strptime(values["waktu"], "%Y-%m-%d %H:%M"))
        except ValueError as exc:
            raise Refused(_("waktu: tulis seperti 2026-12-04 09:30 (WITA).")) from exc
    counts: dict[str, int | None] = {}
    for name in CASUALTY_LINES:
        raw = values.get(name, "").strip()
        if not raw:
            counts[FIELDS[name]] = None
        elif raw.isascii() and raw.isdigit():
            counts[FIELDS[name]] = int(raw)
        else:
            raise Refused(
                _("%(name)s: tulis bilangan bulat (0, 1, 2, …), atau hapus baris ini bila belum diketahui.")
                % {"name": name}
            )
    seats = list(Membership.objects.current().filter(person_id=person.pk).select_related("forum"))
    data = ReportInput(
        title=values["judul"],
        what=values["apa"],
        athg=values.get("athg") or Athg.INFORMASI,
        isu=values["isu"].lower(),
        alert_level=values["tingkat"].lower(),
        region_code=region.code,
        occurred_at=occurred_at,
        who=values.get("siapa", ""),
        latest_condition=values.get("kondisi", ""),
        reporter_forum_code=seats[0].forum.code if len(seats) == 1 else None,
        casualties_dead=counts["casualties_dead"],
        casualties_injured=counts["casualties_injured"],
        casualties_displaced=counts["casualties_displaced"],
    )
    try:
        result = submit_report(
            reporter=person,
            data=data,
            idempotency_key=f"{incoming.channel}:{incoming.message_id}"[:200],
            channel="chat",  # the audit trail's name for every chat network
        )
    except IdempotencyConflict as exc:
        raise Refused(_("Pesan ini sudah pernah dikirim sebagai laporan lain.")) from exc
    except ValidationError as exc:
        names = {v: k for k, v in FIELDS.items()}
        lines = [f"{names.get(field, field)}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
        if "isu" in exc.message_dict:
            lines.append(_("Isu yang dikenal: %(values)s") % {"values": ", ".join(Isu.values)})
        if "alert_level" in exc.message_dict:
            lines.append(_("Tingkat: %(values)s") % {"values": ", ".join(AlertLevel.values)})
        raise Refused(_("Laporan belum dapat diterima:\n") + "\n".join(lines)) from exc
    if incoming.short:
        received = _("Laporan diterima: %(ref)s. Balas STATUS %(ref)s untuk perkembangannya.") % {
            "ref": result.report.reference
        }
    else:
        received = _(
            "Laporan diterima dengan nomor %(ref)s. Kirim !status %(ref)s untuk melihat perkembangannya."
        ) % {"ref": result.report.reference}
    return f"{received}\n{note}" if note else received


def _visible_report(person: Person, reference: str) -> Report:
    reference = reference.strip().split()[0] if reference.strip() else ""
    report = Report.objects.visible_to(person).filter(reference__iexact=reference).first()
    if report is None:
        raise Refused(
            _("Laporan %(ref)s tidak ditemukan atau tidak dapat Anda lihat.") % {"ref": reference[:40]}
        )
    return report


def _room_may_see(incoming: Incoming, report: Report) -> bool:
    """Whether everyone in the room where the command came may see the report."""
    if incoming.is_direct or incoming.room_people is None:
        return incoming.is_direct
    people = incoming.room_people()
    if people is None or report.classification == "rahasia":
        return False
    return all(Report.objects.visible_to(p).filter(pk=report.pk).exists() for p in people)


def _status(incoming: Incoming, person: Person, rest: str) -> str:
    report = _visible_report(person, rest)
    if report.classification == "rahasia":
        # A secret report leaves the application in no message, its status neither (outbox.py).
        raise Refused(_("Laporan rahasia tidak ditampilkan lewat obrolan. Buka Waspada untuk membacanya."))
    if not _room_may_see(incoming, report):
        raise Refused(
            _(
                "Status laporan ini tidak ditampilkan di ruang ini karena tidak semua anggotanya berhak "
                "melihatnya. Kirim !status lewat pesan langsung ke bot."
            )
        )
    lines = [
        f"{report.reference}: {report.title}",
        _("Status: %(status)s · tingkat %(level)s · %(place)s")
        % {
            "status": report.get_status_display(),
            "level": report.get_alert_level_display(),
            "place": report.region.label,
        },
    ]
    for d in Disposition.objects.visible_to(person).filter(report=report).select_related("forum"):
        due = f", batas {timezone.localtime(d.due_at):%d-%m-%Y %H:%M}" if d.due_at and d.is_open else ""
        lines.append(f"- {d.forum.name}: {d.get_kind_display()}, {d.get_status_display()}{due}")
    return "\n".join(lines)


def _dispositions_for(incoming: Incoming, person: Person, report: Report) -> list[Disposition]:
    seats = set(Membership.objects.current().filter(person_id=person.pk).values_list("forum_id", flat=True))
    rows = [
        d
        for d in Disposition.objects.open().filter(report=report).select_related("forum", "report")
        if d.forum_id in seats
    ]
    if incoming.room_forum_id is not None:
        preferred = [d for d in rows if d.forum_id == incoming.room_forum_id]
        rows = preferred or rows
    if not rows:
        raise Refused(
            _("Tidak ada disposisi terbuka untuk forum Anda pada laporan %(ref)s.")
            % {"ref": report.reference}
        )
    return rows


def _terima(incoming: Incoming, person: Person, rest: str) -> str:
    report = _visible_report(person, rest)
    done = []
    for disposition in _dispositions_for(incoming, person, report):
        response_actions.acknowledge(disposition=disposition, by=person)
        done.append(disposition.forum.name)
    return _("Disposisi %(ref)s diterima oleh %(forums)s.") % {
        "ref": report.reference,
        "forums": ", ".join(done),
    }


def _tindaklanjut(incoming: Incoming, person: Person, rest: str) -> str:
    reference, _space, text = rest.strip().partition(" ")
    if not text.strip():
        raise Refused(_("Tulis: !tindaklanjut <nomor> <uraian tindak lanjut>."))
    # "!tindaklanjut <nomor> bagikan <uraian>": the reporter may read this step (default: not).
    first, _space2, after = text.strip().partition(" ")
    shared = first.lower() == "bagikan" and bool(after.strip())
    if shared:
        text = after
    report = _visible_report(person, reference)
    disposition = _dispositions_for(incoming, person, report)[0]
    # A follow-up reported from the field says the forum has it: acknowledged first, as on the page.
    response_actions.acknowledge(disposition=disposition, by=person)
    response_actions.add_action(
        disposition=disposition, text=text.strip(), by=person, share_with_reporter=shared
    )
    return _("Tindak lanjut %(ref)s untuk %(forum)s dicatat.") % {
        "ref": report.reference,
        "forum": disposition.forum.name,
    }
