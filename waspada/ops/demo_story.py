"""What `waspada demo` adds beyond the personas: people for every forum and a year of history.

Steps, in order (called by the `demo` command), each idempotent so a second run adds nothing:

1. ``ensure_demo_accounts``: one demo account for every default forum that has no persona in it
   (TIMDU PKS, FPK, TIMPORA, the FKDMs of the other nine kecamatan, ...), and an informant handler
   in the TKD. Demo-only: the test personas stay as they are.
2. ``ensure_history``: about a year of verified reports filed by the kecamatan FKDMs through the
   real actions (``submit_report``, ``verify_report``, the forums' ``acknowledge`` and ``close``)
   on a demo clock set back to each report's date, so every row, deadline and audit entry carries
   the date it would have had. Two surges stand out: ethnic friction in Muara Komam some months
   ago, and land disputes between villagers and companies in Long Ikis this week (what
   ``waspada detect`` should notice). The history's notification events are not queued for
   the worker and are marked handled: nobody needs a year of old messages when the demo starts.
3. ``_ensure_late_disposition`` (inside step 2, before this week's surge): a siaga land dispute
   verified 30 hours ago that TIMDU PKS has not acknowledged; the real deadline sweep
   (``escalate_overdue``) escalated it to the TKD.

Backdating happens only here and only on a clock that moves forward: the history is filed
oldest first, before anything stamped with the real time, so the audit trail stays in order and
``waspada audit verify`` passes.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, ForumKind, Membership, Role
from waspada.notify.models import Event
from waspada.people.actions import create_person, update_person
from waspada.people.models import Person
from waspada.regions.models import Level, Region
from waspada.reports.actions import ReportInput, submit_report, verify_report
from waspada.reports.models import IdempotencyRecord, Report
from waspada.response.actions import acknowledge, close, escalate_overdue
from waspada.response.models import Disposition, DispositionKind, DispositionStatus, Outcome

HISTORY_DAYS = 365
HISTORY_KEY = "demo-riwayat-{:03d}"
SURGE_KEY = "demo-lonjakan-{:d}"
LATE_KEY = "demo-terlambat-1"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    forum_code: str  # "TIMDU_PKS" (a regency forum) or "FKDM:07" (the FKDM of kecamatan 07)
    role: str = Role.ANGGOTA
    informant_handler: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "anggota.timdu", "Hendra Saputra", "Anggota Tim Terpadu PKS", ForumKind.TIMDU_PKS, Role.KETUA
    ),
    DemoAccount("anggota.fpk", "Yohana Lamba", "Anggota Forum Pembauran Kebangsaan", ForumKind.FPK),
    DemoAccount("anggota.timpora", "Agus Prasetyo", "Kantor Imigrasi, Tim Pora", ForumKind.TIMPORA),
    DemoAccount("anggota.verparpol", "Nur Aisyah", "Tim Verifikasi Bantuan Parpol", ForumKind.VERPARPOL),
    DemoAccount("anggota.politik", "Dedi Kurniawan", "Tim Pemantau Perkembangan Politik", ForumKind.POLITIK),
    DemoAccount("anggota.fkdm.paser", "Rusdi Hamzah", "Anggota FKDM Kabupaten Paser", ForumKind.FKDM),
    DemoAccount(
        "penangan.informan",
        "Sri Wahyuni",
        "Kepala Bidang Kewaspadaan, Kesbangpol",
        ForumKind.TKD,
        Role.SEKRETARIS,
        informant_handler=True,
    ),
    DemoAccount("fkdm.batusopang", "Ahmad Fauzi", "Anggota FKDM Kec. Batu Sopang", "FKDM:01"),
    DemoAccount("fkdm.tanjungharapan", "Lukas Bura", "Anggota FKDM Kec. Tanjung Harapan", "FKDM:02"),
    DemoAccount("fkdm.paserbelengkong", "Marlina Sari", "Anggota FKDM Kec. Paser Belengkong", "FKDM:03"),
    DemoAccount("fkdm.tanahgrogot", "Bambang Irawan", "Anggota FKDM Kec. Tanah Grogot", "FKDM:04"),
    DemoAccount("fkdm.kuaro", "Wayan Sudarsa", "Anggota FKDM Kec. Kuaro", "FKDM:05"),
    DemoAccount("fkdm.muarakomam", "Daud Lensun", "Anggota FKDM Kec. Muara Komam", "FKDM:07"),
    DemoAccount("fkdm.longkali", "Hasanah", "Anggota FKDM Kec. Long Kali", "FKDM:08"),
    DemoAccount("fkdm.batuengau", "Rahmat Hidayat", "Anggota FKDM Kec. Batu Engau", "FKDM:09"),
    DemoAccount("fkdm.muarasamu", "Yulianus Pasang", "Anggota FKDM Kec. Muara Samu", "FKDM:10"),
)


def _forum(spec: str, regency: Region) -> Forum:
    if spec.startswith("FKDM:"):
        return Forum.objects.get(kind=ForumKind.FKDM, jurisdiction_id=f"{regency.code}.{spec[5:]}")
    return Forum.objects.get(kind=spec, jurisdiction=regency)


def ensure_demo_accounts(*, regency: Region, password: str) -> list[tuple[Person, str]]:
    """The demo accounts with the forum each sits in; created once, never duplicated."""
    encoded = make_password(password)
    made = []
    for account in ACCOUNTS:
        forum = _forum(account.forum_code, regency)
        with transaction.atomic():
            person = Person.objects.filter(username=account.username).first()
            if person is None:
                person = create_person(
                    username=account.username,
                    full_name=account.full_name,
                    email=f"{account.username}@waspada.test",
                    password_hash=encoded,
                    position=account.position,
                    home_region=forum.jurisdiction,
                )
            if account.informant_handler and not person.is_informant_handler:
                person = update_person(person=person, is_informant_handler=True, by=None)
            if not Membership.objects.current().filter(person=person, forum=forum).exists():
                add_membership(person=person, forum=forum, role=account.role, by=None)
        made.append((person, forum.name))
    return made


# -- the demo clock ------------------------------------------------------------------------------

_REAL_NOW = timezone.now


@contextmanager
def demo_clock() -> Iterator[_Clock]:
    """Inside: ``timezone.now()`` answers the clock's time, also for model fields that default to it."""
    clock = _Clock(_REAL_NOW())
    fields: list[Any] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is _REAL_NOW:
                fields.append(field)
    for field in fields:
        field.default = clock.now
        field.__dict__.pop("_get_default", None)  # a cached property on Field
    try:
        with mock.patch("django.utils.timezone.now", clock.now):
            yield clock
    finally:
        for field in fields:
            field.default = _REAL_NOW
            field.__dict__.pop("_get_default", None)


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        # Never past the real time, and never backwards: the audit trail reads in order.
        self.moment = min(max(moment, self.moment), _REAL_NOW())


# -- a year of history ---------------------------------------------------------------------------

# isu: (share of the background, ATHG, gatra, titles with {desa})
THEMES: dict[str, tuple[int, str, tuple[str, ...], tuple[str, ...]]] = {
    "agraria_korporasi": (
        6,
        "gangguan",
        ("ekonomi", "sumber_kekayaan_alam"),
        (
            "Warga menutup jalan hauling perusahaan di {desa}",
            "Tuntutan plasma kebun sawit warga {desa} belum dipenuhi",
            "Warga {desa} memprotes ganti rugi lahan tambang",
        ),
    ),
    "agraria_warga": (
        4,
        "hambatan",
        ("sumber_kekayaan_alam",),
        ("Sengketa batas kebun antarwarga di {desa}", "Saling klaim lahan ladang di {desa}"),
    ),
    "batas_wilayah": (2, "tantangan", ("geografi",), ("Perselisihan tapal batas desa di {desa}",)),
    "infrastruktur_logistik": (
        5,
        "hambatan",
        ("ekonomi", "geografi"),
        ("Jalan poros rusak berat, angkutan pangan ke {desa} terhambat", "Antrean BBM panjang di {desa}"),
    ),
    "bencana": (3, "gangguan", ("geografi",), ("Banjir merendam rumah warga di {desa}",)),
    "narkoba": (3, "ancaman", ("sosial_budaya",), ("Dugaan peredaran sabu di sekitar {desa}",)),
    "kriminalitas": (3, "gangguan", ("pertahanan_keamanan",), ("Pencurian ternak berulang di {desa}",)),
    "hoaks": (3, "gangguan", ("sosial_budaya",), ("Pesan berantai provokatif beredar di {desa}",)),
    "ekonomi_buruh": (2, "tantangan", ("ekonomi",), ("Buruh kebun di {desa} menuntut upah tertunggak",)),
    "orang_asing": (1, "tantangan", ("pertahanan_keamanan",), ("Pekerja asing tanpa laporan di {desa}",)),
    "pemerintahan_desa": (2, "hambatan", ("politik",), ("Warga {desa} mempersoalkan dana desa",)),
    "agama": (1, "tantangan", ("ideologi", "sosial_budaya"), ("Keberatan atas kegiatan ibadah di {desa}",)),
    "sara_etnis": (1, "ancaman", ("sosial_budaya",), ("Ketegangan antarkelompok pemuda di {desa}",)),
}
KECAMATAN_SUFFIXES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10")


@dataclass(frozen=True)
class Planned:
    key: str
    kecamatan: str  # suffix, "07"
    isu: str
    alert_level: str
    occurred_at: datetime
    title_index: int


def plan_history(now: datetime, seed: int = 6401) -> list[Planned]:
    """The year of reports, oldest first: two or three a week, plus the surge in Muara Komam."""
    rng = random.Random(seed)
    themes = list(THEMES)
    weights = [THEMES[isu][0] for isu in themes]
    planned: list[Planned] = []
    day = now - timedelta(days=HISTORY_DAYS)
    stop = now - timedelta(days=21)  # all closed before the late disposition and this week's surge
    while day < stop:
        for _ in range(rng.choice((1, 2, 3, 3))):
            isu = rng.choices(themes, weights)[0]
            # Long Ikis is quiet about companies most of the year: this week's surge must stand out.
            suffixes = [s for s in KECAMATAN_SUFFIXES if not (isu == "agraria_korporasi" and s == "06")]
            at = day + timedelta(days=rng.randrange(7), hours=rng.randrange(8, 18), minutes=rng.randrange(60))
            level = rng.choices(("normal", "waspada", "siaga"), (5, 4, 1))[0]
            planned.append(Planned("", rng.choice(suffixes), isu, level, at, rng.randrange(3)))
        day += timedelta(days=7)
    # Some months ago: ethnic friction in Muara Komam, two weeks of it, then calm.
    burst = now - timedelta(days=130)
    for i in range(7):
        at = burst + timedelta(days=2 * i, hours=9 + i)
        planned.append(Planned("", "07", "sara_etnis", "siaga" if i in (2, 3) else "waspada", at, 0))
    planned.sort(key=lambda p: p.occurred_at)
    return [
        Planned(HISTORY_KEY.format(i + 1), p.kecamatan, p.isu, p.alert_level, p.occurred_at, p.title_index)
        for i, p in enumerate(planned)
    ]


def plan_surge(now: datetime) -> list[Planned]:
    """This week (Monday to now, WITA) in Long Ikis: companies and villagers, five reports."""
    local = timezone.localtime(now)
    monday = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=local.weekday())
    span = now - monday
    return [
        Planned(
            SURGE_KEY.format(i + 1), "06", "agraria_korporasi", "waspada", monday + span * (i + 1) / 7, i % 3
        )
        for i in range(5)
    ]


def _text(planned: Planned, village: Region) -> tuple[str, str]:
    title = THEMES[planned.isu][3][planned.title_index % len(THEMES[planned.isu][3])].format(
        desa=village.name
    )
    what = (
        f"{title}. Dilaporkan oleh anggota FKDM setempat; kepala desa dan Bhabinkamtibmas sudah "
        "menemui para pihak."
    )
    return title, what


class _Filer:
    """Files planned reports through the actions, as the FKDM member of their kecamatan."""

    def __init__(self, regency: Region, people: dict[str, Person], clock: _Clock) -> None:
        self.regency = regency
        self.clock = clock
        self.analyst = people["kesbangpol_analyst"]
        self.reporters = {}
        for account in ACCOUNTS:
            if account.forum_code.startswith("FKDM:"):
                self.reporters[account.forum_code[5:]] = people[account.username]
        self.reporters["06"] = people["kecamatan_fkdm_chair"]
        self.villages: dict[str, list[Region]] = {}
        self.members: dict[int, Person] = {}
        for seat in Membership.objects.current().select_related("person").order_by("pk"):
            self.members.setdefault(seat.forum_id, seat.person)

    def village(self, suffix: str, index: int) -> Region:
        if suffix not in self.villages:
            self.villages[suffix] = list(
                Region.objects.filter(parent_id=f"{self.regency.code}.{suffix}", level=Level.DESA).order_by(
                    "code"
                )
            )
        found = self.villages[suffix]
        return found[index % len(found)]

    def file(self, planned: Planned, village_index: int) -> Report | None:
        reporter = self.reporters[planned.kecamatan]
        if IdempotencyRecord.objects.filter(person_id=reporter.pk, key=planned.key).exists():
            return None
        village = self.village(planned.kecamatan, village_index)
        title, what = _text(planned, village)
        reported_at = self.clock.moment
        seat = reporter.current_memberships().first()
        return submit_report(
            reporter=reporter,
            data=ReportInput(
                title=title,
                what=what,
                athg=THEMES[planned.isu][1],
                isu=planned.isu,
                alert_level=planned.alert_level,
                region_code=village.code,
                occurred_at=planned.occurred_at,
                reported_at=reported_at,
                gatra=list(THEMES[planned.isu][2]),
                latest_condition="Situasi terkendali.",
                reporter_forum_code=seat.forum.code if seat else None,
            ),
            idempotency_key=planned.key,
            channel="web",
        ).report

    def verify(self, report: Report) -> None:
        verify_report(report=report, by=self.analyst)

    def member_of(self, disposition: Disposition) -> Person:
        return self.members.get(disposition.forum_id, self.analyst)


def _closing_text(outcome: str) -> str:
    if outcome == Outcome.TIDAK_TERBUKTI:
        return "Hasil pengecekan lapangan: kejadian tidak terbukti."
    return "Para pihak dipertemukan; situasi kembali kondusif."


def _run(
    steps: list[tuple[datetime, int, str, Any]],
    order: Iterator[int],
    filer: _Filer,
    clock: _Clock,
    rng: random.Random,
) -> int:
    """Take the steps in time order, each adding the ones that follow it; returns reports filed."""
    filed = 0
    while steps:
        moment, _seq, step, subject = heapq.heappop(steps)
        clock.set(moment)
        if step == "file":
            report = filer.file(subject, rng.randrange(1000))
            if report is not None:
                filed += 1
                later = moment + timedelta(hours=rng.randrange(1, 30))
                heapq.heappush(steps, (later, next(order), "verify", report))
        elif step == "verify":
            filer.verify(subject)
            for disposition in Disposition.objects.filter(report=subject).order_by("pk"):
                later = moment + timedelta(hours=rng.randrange(1, 20))
                heapq.heappush(steps, (later, next(order), "acknowledge", disposition))
        elif step == "acknowledge":
            acknowledge(disposition=subject, by=filer.member_of(subject))
            later = moment + timedelta(days=rng.randrange(1, 6), hours=rng.randrange(8))
            heapq.heappush(steps, (later, next(order), "close", subject))
        else:
            outcome = rng.choices((Outcome.TERTANGANI, Outcome.BERULANG, Outcome.TIDAK_TERBUKTI), (8, 1, 1))[
                0
            ]
            close(
                disposition=subject, outcome=outcome, text=_closing_text(outcome), by=filer.member_of(subject)
            )
    return filed


def ensure_history(*, regency: Region, people: dict[str, Person]) -> int:
    """File the year of history, the late disposition and this week's surge; returns how many
    reports were added.

    The history runs as one timeline: filing, verifying, acknowledging and closing are steps
    on a queue ordered by time, so the clock only moves forward. Each forum acknowledges within
    hours and closes within days, with an outcome.
    """
    now = _REAL_NOW()
    rng = random.Random(64)
    added = 0
    with transaction.atomic(), demo_clock() as clock:
        clock.moment = now - timedelta(days=HISTORY_DAYS + 1)
        filer = _Filer(regency, people, clock)
        first_new_event = (Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        steps: list[tuple[datetime, int, str, Any]] = []
        order = iter(range(1_000_000))
        for planned in plan_history(now):
            heapq.heappush(steps, (planned.occurred_at + timedelta(hours=3), next(order), "file", planned))
        # Nobody needs a year of old messages when the demo starts: the history's events are not
        # queued for the worker, and are marked handled below.
        with mock.patch("waspada.notify.events._queue", lambda event_id: None):
            added += _run(steps, order, filer, clock, rng)
        Event.objects.filter(pk__gte=first_new_event, processed_at__isnull=True).update(processed_at=now)
        added += _ensure_late_disposition(filer, now)
        for planned in plan_surge(now):
            clock.set(planned.occurred_at + timedelta(minutes=20))
            report = filer.file(planned, rng.randrange(1000))
            if report is not None:
                added += 1
                clock.set(clock.moment + timedelta(minutes=30))
                filer.verify(report)
    return added


def _ensure_late_disposition(filer: _Filer, now: datetime) -> int:
    """A siaga land dispute verified 30 hours ago; TIMDU PKS has not acknowledged, so the sweep
    escalated it 4 hours ago (to the TKD): late for TIMDU PKS, fresh for the TKD."""
    planned = Planned(LATE_KEY, "08", "agraria_warga", "siaga", now - timedelta(hours=33), 1)
    filer.clock.set(now - timedelta(hours=31))
    report = filer.file(planned, 3)
    if report is None:
        return 0
    filer.clock.set(now - timedelta(hours=30))
    filer.verify(report)
    for disposition in Disposition.objects.filter(report=report, kind=DispositionKind.TINDAKAN):
        if disposition.forum.kind != ForumKind.TIMDU_PKS:
            acknowledge(disposition=disposition, by=filer.member_of(disposition))
    filer.clock.set(now - timedelta(hours=4))
    escalate_overdue(now=filer.clock.moment)
    return 1


def late_disposition() -> Disposition | None:
    """The demo's late and escalated disposition (for the printed stories and the tests)."""
    report_ids = IdempotencyRecord.objects.filter(key=LATE_KEY).values_list("report_id", flat=True)
    return (
        Disposition.objects.filter(report_id__in=report_ids, escalation__isnull=False)
        .exclude(status__in=(DispositionStatus.SELESAI, DispositionStatus.DITARIK))
        .first()
    )
