"""Every page and every API operation, asked by every persona: who gets what, and what never leaks.

The matrix (``CASES``) has at least one row per route of the URL resolver and per operation of
the API's OpenAPI document; ``test_every_page_route_has_a_row_in_the_matrix`` and
``test_every_api_operation_has_a_row_in_the_matrix`` fail when a route is added without a row.

One world is built for the whole module (Kabupaten Paser, the personas, six reports, four
incidents of which one is merged into another, and their dispositions) inside a transaction
that is rolled back at the end; every test runs in a savepoint of it, so the writes a row makes
(verify, share, reveal…) are undone.

The expected visibility, written out from waspada/reports/visibility.py:

    report            filed by              where               class     seen by (besides TKD)
    lombok            desa_reporter         Desa Lombok         biasa     desa, kecamatan FKDM
    lombok_kecamatan  kecamatan_fkdm_chair  Desa Lombok         biasa     kecamatan FKDM
    terbatas_grogot   FKDM Tanah Grogot     Desa Janju          terbatas  nobody
    rahasia           desa_reporter         Desa Pait           rahasia   desa (own), regent (shared
                                                                          with FKPD); not FKUB anggota
    fkub              desa_reporter         Desa Lombok         biasa     desa, kecamatan FKDM, FKUB
    bnk               bnk_officer           Kel. Tanah Grogot   biasa     BNK

Only the reporter and the TKD see a report's exact point (``can_see_exact_location``); only the
informant handler (here the Kesbangpol analyst) ever sees the informant, in the reveal answer.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_tasks import task

from waspada.audit.models import AuditEntry
from waspada.forums.actions import add_membership, change_role
from waspada.forums.defaults import ensure_default_forums
from waspada.forums.models import Forum, Membership, Role
from waspada.people.actions import create_person, update_person
from waspada.people.models import KESBANGPOL_ADMIN_GROUP, Person
from waspada.people.tokens import create_token
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.reports.actions import attach_file, merge_incidents, share_report, verify_report
from waspada.reports.models import Incident, Report
from waspada.reports.tests.factories import jpeg_with_gps, submit
from waspada.response import actions as response_actions
from waspada.response.models import DayOff, DeadlinePolicy, Disposition, RoutingRule
from waspada.situation import actions as situation_actions
from waspada.testing.personas import ensure_all_personas

INFORMANT_NAME = "Informan Rahasia Zyxwv"
INFORMANT_CONTACT = "0812-9999-0000"
HANDLER = "kesbangpol_analyst"

ANONIM = "anonim"
PERSONAS = (
    ANONIM,
    "desa_reporter",
    "kecamatan_fkdm_chair",
    "kesbangpol_analyst",
    "kesbangpol_admin",
    "tkd_head",
    "fkub_officer",
    "bnk_officer",
    "regent",
    "outsider",
)
SIGNED_IN = PERSONAS[1:]
TKD = ("kesbangpol_analyst", "kesbangpol_admin", "tkd_head")

# Outcomes: a status code, or where a 302 leads.
LOGIN = "302 ke halaman masuk"
ADMIN_LOGIN = "302 ke halaman masuk admin"
REDIRECT = "302 ke halaman lain"
Outcome = int | str


# ---------------------------------------------------------------------------------------------
# The reports of the world, and who may see what of them (written from the rules, not observed)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    key: str
    reporter: str  # persona key, or "rudi" (an FKDM member of Kecamatan Tanah Grogot)
    title: str
    region_code: str
    isu: str
    classification: str
    latitude: float
    longitude: float
    where_detail: str
    alert_level: str = "waspada"
    informant: bool = False


FILED = (
    Filed(
        "lombok",
        "desa_reporter",
        "Warga Desa Lombok menghadang truk hauling batu bara",
        "64.01.06.2006",
        "agraria_korporasi",
        "biasa",
        -1.6180339,
        116.2718281,
        "Simpang jalan hauling KM 7, depan pos ronda RT 04",
    ),
    Filed(
        "lombok_kecamatan",
        "kecamatan_fkdm_chair",
        "Blokade jalan hauling di Lombok berlanjut hari kedua",
        "64.01.06.2006",
        "agraria_korporasi",
        "biasa",
        -1.6141592,
        116.2653589,
        "Tenda warga di bahu jalan dekat jembatan kayu ulin",
    ),
    Filed(
        "terbatas_grogot",
        "rudi",
        "Sengketa batas kebun antarwarga Desa Janju",
        "64.01.04.2002",
        "agraria_warga",
        "terbatas",
        -1.9071067,
        116.1732050,
        "Kebun sawit di belakang SD Negeri 012 Janju",
    ),
    Filed(
        "rahasia",
        "desa_reporter",
        "Dugaan gudang sabu di Desa Pait",
        "64.01.06.2007",
        "narkoba",
        "rahasia",
        -1.5772156,
        116.3495052,
        "Rumah panggung bercat hijau di ujung gang Masjid Nurul Huda",
        alert_level="siaga",
        informant=True,
    ),
    Filed(
        "fkub",
        "desa_reporter",
        "Penolakan renovasi rumah ibadah di Desa Lombok",
        "64.01.06.2006",
        "agama",
        "biasa",
        -1.6094379,
        116.2302585,
        "Halaman balai desa, tempat warga berkumpul malam hari",
    ),
    Filed(
        "bnk",
        "bnk_officer",
        "Peredaran obat daftar G di sekitar pasar Tanah Grogot",
        "64.01.04.1001",
        "narkoba",
        "biasa",
        -1.9129931,
        116.1986123,
        "Lapak kosong di belakang Pasar Induk Senaken",
    ),
)
FILED_BY_KEY = {filed.key: filed for filed in FILED}
ALL_REPORTS = frozenset(FILED_BY_KEY)

SEES_REPORTS: dict[str, frozenset[str]] = {
    ANONIM: frozenset(),
    "desa_reporter": frozenset({"lombok", "rahasia", "fkub"}),
    "kecamatan_fkdm_chair": frozenset({"lombok", "lombok_kecamatan", "fkub"}),
    "kesbangpol_analyst": ALL_REPORTS,
    "kesbangpol_admin": ALL_REPORTS,
    "tkd_head": ALL_REPORTS,
    "fkub_officer": frozenset({"fkub"}),
    "bnk_officer": frozenset({"bnk"}),
    "regent": frozenset({"rahasia"}),
    "outsider": frozenset(),
}
SEES_EXACT_SPOT: dict[str, frozenset[str]] = {
    **{persona: frozenset() for persona in PERSONAS},
    "desa_reporter": frozenset({"lombok", "rahasia", "fkub"}),  # her own reports
    "kecamatan_fkdm_chair": frozenset({"lombok_kecamatan"}),
    "kesbangpol_analyst": ALL_REPORTS,
    "kesbangpol_admin": ALL_REPORTS,
    "tkd_head": ALL_REPORTS,
    "bnk_officer": frozenset({"bnk"}),
}
# Incidents: "ins_lombok" holds lombok and lombok_kecamatan, "ins_fkub" and "ins_rahasia" one each;
# "ins_kecamatan" was merged into "ins_lombok" and holds none: only the TKD sees it.
INCIDENTS = ("ins_lombok", "ins_kecamatan", "ins_fkub", "ins_rahasia")
INCIDENT_REPORTS = {
    "ins_lombok": frozenset({"lombok", "lombok_kecamatan"}),
    "ins_kecamatan": frozenset(),
    "ins_fkub": frozenset({"fkub"}),
    "ins_rahasia": frozenset({"rahasia"}),
}
SEES_INCIDENTS: dict[str, frozenset[str]] = {
    ANONIM: frozenset(),
    "desa_reporter": frozenset({"ins_lombok", "ins_fkub", "ins_rahasia"}),
    "kecamatan_fkdm_chair": frozenset({"ins_lombok", "ins_fkub"}),
    "kesbangpol_analyst": frozenset(INCIDENTS),
    "kesbangpol_admin": frozenset(INCIDENTS),
    "tkd_head": frozenset(INCIDENTS),
    "fkub_officer": frozenset({"ins_fkub"}),
    "bnk_officer": frozenset(),
    "regent": frozenset({"ins_rahasia"}),
    "outsider": frozenset(),
}
# Dispositions, made by routing when the analyst verified: TIMDU PKS for lombok and
# lombok_kecamatan, FKUB for fkub, BNK for rahasia, and a copy (tembusan) of each for the TKD.
# Members see their forum's; the TKD's senior roles see all. A disposition of a rahasia report
# is, like the report itself, for senior roles only: the BNK's anggota does not see it.
SEES_DISPOSITIONS_OF: dict[str, frozenset[str]] = {
    **{persona: frozenset() for persona in PERSONAS},
    "kesbangpol_analyst": frozenset({"lombok", "lombok_kecamatan", "fkub", "rahasia"}),
    "kesbangpol_admin": frozenset({"lombok", "lombok_kecamatan", "fkub", "rahasia"}),
    "tkd_head": frozenset({"lombok", "lombok_kecamatan", "fkub", "rahasia"}),
    "fkub_officer": frozenset({"fkub"}),
    "bnk_officer": frozenset(),
}
# Who sees some of those dispositions, one by one.
SEES_DISPOSITION: dict[str, frozenset[str]] = {
    "disp_fkub": frozenset({*TKD, "fkub_officer"}),
    "disp_bnk_rahasia": frozenset(TKD),
    "disp_timdu_lombok": frozenset(TKD),
    "disp_tkd_rahasia": frozenset(TKD),
}


# ---------------------------------------------------------------------------------------------
# The world
# ---------------------------------------------------------------------------------------------


@task()
def queued_example() -> None:
    """A queued task, so that the admin's task-result pages have a row; never run."""


@dataclass
class World:
    people: dict[str, Person]
    reports: dict[str, Report]
    ids: dict[str, Any]  # what the URL templates of the matrix are filled with
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)


def _build_world() -> World:
    load_bundled_regions("64.01")
    paser = Region.objects.get(code="64.01")
    # The bundled code list has no centroids; the nearest-village row needs Lombok's.
    Region.objects.filter(code="64.01.06.2006").update(latitude=-1.581678, longitude=116.095874)
    ensure_default_forums(regency=paser)
    people: dict[str, Person] = dict(ensure_all_personas(regency=paser).all())
    people[HANDLER] = update_person(person=people[HANDLER], by=None, is_informant_handler=True)
    rudi = create_person(
        username="anggota.fkdm.tanahgrogot",
        full_name="Rudi Hartono",
        email="anggota.fkdm.tanahgrogot@waspada.test",
        position="Anggota FKDM Kecamatan Tanah Grogot",
    )
    add_membership(person=rudi, forum=Forum.objects.get(code="FKDM-640104"), role=Role.ANGGOTA, by=None)
    reporters = {**people, "rudi": rudi}

    reports: dict[str, Report] = {}
    for filed in FILED:
        extra = (
            {"informant_name": INFORMANT_NAME, "informant_contact": INFORMANT_CONTACT}
            if filed.informant
            else {}
        )
        reports[filed.key] = submit(
            reporters[filed.reporter],
            title=filed.title,
            region_code=filed.region_code,
            isu=filed.isu,
            classification=filed.classification,
            alert_level=filed.alert_level,
            latitude=filed.latitude,
            longitude=filed.longitude,
            where_detail=filed.where_detail,
            **extra,
        ).report

    analyst = people["kesbangpol_analyst"]
    share_report(report=reports["rahasia"], forum=Forum.objects.get(code="FKPD-6401"), by=analyst)
    share_report(report=reports["rahasia"], forum=Forum.objects.get(code="FKUB-6401"), by=analyst)
    share_report(report=reports["fkub"], forum=Forum.objects.get(code="FKUB-6401"), by=analyst)
    ins_lombok = verify_report(report=reports["lombok"], by=analyst)
    # The same blockade, verified on its own first, then merged: the merged incident keeps its
    # reference and title but holds no reports any more.
    ins_kecamatan = verify_report(report=reports["lombok_kecamatan"], by=analyst)
    merge_incidents(target=ins_lombok, sources=[ins_kecamatan], by=analyst, reason="Kejadian yang sama")
    ins_fkub = verify_report(report=reports["fkub"], by=analyst)
    ins_rahasia = verify_report(report=reports["rahasia"], by=analyst)

    def disposition(report: str, forum: str) -> Disposition:
        return Disposition.objects.get(report=reports[report], forum__code=forum)

    photo = attach_file(
        report=reports["lombok"],
        uploader=people["desa_reporter"],
        data=jpeg_with_gps(),
        original_name="foto-lokasi.jpg",
    )
    token, _raw = create_token(person=people["desa_reporter"], name="Ponsel Siti", by=None)
    # Paser's own day off, which Paser's Kesbangpol administrator manages.
    day_off = DayOff.objects.create(
        date="2026-03-21", name="Hari Jadi Kabupaten Paser (contoh)", region=paser
    )
    ids: dict[str, Any] = {
        **{key: report.reference for key, report in reports.items()},
        "ins_lombok": ins_lombok.reference,
        "ins_kecamatan": ins_kecamatan.reference,
        "ins_fkub": ins_fkub.reference,
        "ins_rahasia": ins_rahasia.reference,
        "disp_timdu_lombok": disposition("lombok", "TIMDU_PKS-6401").pk,
        "disp_fkub": disposition("fkub", "FKUB-6401").pk,
        "disp_bnk_rahasia": disposition("rahasia", "BNK-6401").pk,
        "disp_tkd_rahasia": disposition("rahasia", "TKD-6401").pk,
        "desa_reporter_pk": people["desa_reporter"].pk,
        "report_content_type": ContentType.objects.get_for_model(Report).pk,
        "lombok_pk": reports["lombok"].pk,
        "lombok_photo": photo.pk,
        # one object of every model in the admin
        "admin_auth_group": Group.objects.get(name=KESBANGPOL_ADMIN_GROUP).pk,
        "admin_forums_forum": Forum.objects.get(code="FKUB-6401").pk,
        "admin_forums_membership": Membership.objects.get(person=people["desa_reporter"]).pk,
        "admin_people_person": people["desa_reporter"].pk,
        "admin_people_apitoken": token.pk,
        "admin_regions_region": "64.01.06.2006",
        "admin_audit_auditentry": AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0],
        "admin_response_routingrule": RoutingRule.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "admin_response_deadlinepolicy": DeadlinePolicy.objects.order_by("id").first().pk,  # type: ignore[union-attr]
        "admin_response_dayoff": day_off.pk,
        "admin_response_disposition": disposition("fkub", "FKUB-6401").pk,
        "admin_briefs_lapsit": _lapsit_draft(),
        "admin_django_tasks_database_dbtaskresult": queued_example.enqueue().id,
        "signal": _signal_in_long_ikis(),
        "lapsit": _lapsit_draft(),
        **_alerts(analyst),
    }
    return World(people=people, reports=reports, ids=ids)


def _alerts(analyst: Person) -> dict[str, str]:
    """A Public alert and a Restricted one (ethnic tension: for the TKD and Forkopimda only)."""
    from waspada.exchange.actions import AlertInput, issue_alert
    from waspada.exchange.tests.helpers import published

    def issue(isu: str, headline: str) -> str:
        data = AlertInput(
            headline=headline,
            description="Uji matriks.",
            level="siaga",
            expires_at=timezone.now() + timedelta(days=1),
        )
        # the Public one needs the second key (the ketua TKD approves it)
        return published(
            issue_alert(by=analyst, region=Region.objects.get(code="64.01.06"), isu=isu, data=data)
        ).identifier

    waiting = issue_alert(
        by=analyst,
        region=Region.objects.get(code="64.01.06"),
        isu="bencana",
        data=AlertInput(
            headline="Banjir di Long Ikis",
            description="Usulan menunggu persetujuan.",
            level="waspada",
            expires_at=timezone.now() + timedelta(days=1),
        ),
    )
    return {
        "alert_public": issue("agraria_korporasi", "Blokade jalan hauling di Long Ikis"),
        "alert_restricted": issue("sara_etnis", "Ketegangan antarkelompok di Long Ikis"),
        "alert_proposal": str(waiting.pk),  # an Actual, Public alert waiting for the second key
    }


def _lapsit_draft() -> int:
    """Paser's weekly Lapsit of last week, a draft (nothing written, nothing sent)."""
    from waspada.briefs.actions import draft_lapsit
    from waspada.briefs.periods import BriefKind, calendar_period

    return draft_lapsit(
        period=calendar_period(BriefKind.MINGGUAN, timezone.localdate() - timedelta(days=7)), by=None
    ).pk


def _signal_in_long_ikis() -> int:
    from waspada.detection.models import Signal

    today = timezone.localdate()
    return Signal.objects.create(
        region_id="64.01.06",
        isu="narkoba",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation="Laporan narkoba di Kec. Long Ikis minggu ini 9, biasanya 2.",
    ).pk


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once; each test's own savepoint undoes what the test wrote."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world()
        yield built
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request, asked by every persona.

    ``route`` is the resolver's pattern (``laporan/<str:reference>/``) for pages, or the
    OpenAPI operation (``GET /api/v1/reports/{reference}``) for the API.
    """

    route: str
    name: str
    path: str  # filled from World.ids with str.format
    expect: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] | None = None
    json: bool = False  # send ``data`` as a JSON body
    upload: bool = False  # send an attachment as multipart form data
    shows_reports: dict[str, frozenset[str]] | None = None  # the world's reports named in the answer
    shows_incidents: dict[str, frozenset[str]] | None = None
    reveals: bool = False  # the handler's answer carries the informant: the only place it may
    report: str | None = None  # the one world report the answer is about (report pages and details)
    arrange: Callable[[World], None] | None = None  # run before the request, in the test's savepoint


def outcomes(default: Outcome, anonim: Outcome, **persona: Outcome) -> dict[str, Outcome]:
    unknown = set(persona) - set(PERSONAS)
    assert not unknown, unknown
    return {ANONIM: anonim, **dict.fromkeys(SIGNED_IN, default), **persona}


def page(default: Outcome = 200, **persona: Outcome) -> dict[str, Outcome]:
    """A page behind the login."""
    return outcomes(default, LOGIN, **persona)


def api(default: Outcome = 200, **persona: Outcome) -> dict[str, Outcome]:
    """An API operation: without a token or session, 401."""
    return outcomes(default, 401, **persona)


def by_sight(seers: frozenset[str], seen: Outcome, unseen: Outcome = 404) -> dict[str, Outcome]:
    """Those in ``seers`` get ``seen``, everyone else signed in ``unseen``."""
    return {persona: seen if persona in seers else unseen for persona in SIGNED_IN}


def who_sees_report(key: str) -> frozenset[str]:
    return frozenset(p for p, keys in SEES_REPORTS.items() if key in keys)


def who_sees_incident(key: str) -> frozenset[str]:
    return frozenset(p for p, keys in SEES_INCIDENTS.items() if key in keys)


def triage_only(seers: frozenset[str], done: Outcome, anonim: Outcome) -> dict[str, Outcome]:
    """TKD analysts and leadership act; others who see it are refused (403), the rest get 404."""
    return {ANONIM: anonim, **by_sight(seers, 403), **dict.fromkeys(TKD, done)}


def _acknowledge_fkub(world: World) -> None:
    response_actions.acknowledge(
        disposition=Disposition.objects.get(pk=world.ids["disp_fkub"]), by=world.people["kesbangpol_analyst"]
    )


def _fkub_officer_chairs_fkub(world: World) -> None:
    """The FKUB member becomes the forum's chair: the one who may assign its dispositions."""
    seat = Membership.objects.current().get(person=world.people["fkub_officer"], forum__code="FKUB-6401")
    change_role(membership=seat, role=Role.KETUA, by=None)


def _pause_fkub(world: World) -> None:
    _acknowledge_fkub(world)
    response_actions.pause(
        disposition=Disposition.objects.get(pk=world.ids["disp_fkub"]),
        reason="Menunggu hasil mediasi Timdu PKS",
        by=world.people["kesbangpol_analyst"],
    )


def _prove_fkub(world: World) -> None:
    """The FKUB officer records a step with a photo as proof (each asker gets a new one)."""
    _acknowledge_fkub(world)
    entry = response_actions.add_action(
        disposition=Disposition.objects.get(pk=world.ids["disp_fkub"]),
        text="Mediasi di balai desa.",
        by=world.people["fkub_officer"],
        proofs=[response_actions.Proof(name="mediasi.jpg", data=jpeg_with_gps())],
    )
    world.ids["fkub_proof"] = entry.proofs.get().pk


def _close_fkub(world: World) -> None:
    _acknowledge_fkub(world)
    response_actions.close(
        disposition=Disposition.objects.get(pk=world.ids["disp_fkub"]),
        outcome="tertangani",
        text="Musyawarah warga dan panitia renovasi menghasilkan kesepakatan.",
        by=world.people["kesbangpol_analyst"],
    )


def _notify_reporter(world: World) -> None:
    """A notification of the village reporter's own (each asker gets a new one to open)."""
    from waspada.notify.models import Event, Notification

    event = Event.objects.create(kind="report.submitted", title="Laporan baru", url="/")
    notification = Notification.objects.create(event=event, person=world.people["desa_reporter"])
    world.ids["notif_reporter"] = notification.pk


def _in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def _set_override(world: World) -> None:
    """A live override of Long Ikis for the lift to act on (each asker gets a new one)."""
    override = situation_actions.set_status_override(
        region=Region.objects.get(code="64.01.06"),
        status="siaga",
        reason="Rapat TKD",
        expires_at=timezone.now() + timedelta(days=3),
        by=world.people["kesbangpol_analyst"],
    )
    world.ids["override"] = override.pk


def _page_cases() -> list[Case]:
    cases = [
        Case("", "beranda", "/", page()),
        Case("akun/masuk/", "halaman masuk", "/akun/masuk/", outcomes(200, 200)),
        Case("akun/keluar/", "keluar", "/akun/keluar/", outcomes(LOGIN, LOGIN), method="POST"),
        Case("akun/sandi/lupa/", "lupa sandi", "/akun/sandi/lupa/", outcomes(200, 200)),
        Case(
            "akun/sandi/lupa/terkirim/",
            "lupa sandi terkirim",
            "/akun/sandi/lupa/terkirim/",
            outcomes(200, 200),
        ),
        Case("akun/sandi/atur/tautan/", "tautan atur sandi", "/akun/sandi/atur/tautan/", outcomes(200, 200)),
        Case(
            "akun/sandi/atur/<uidb64>/<token>/",
            "atur sandi dengan tautan palsu",
            "/akun/sandi/atur/MQ/tautan-palsu/",
            outcomes(200, 200),
        ),
        Case(
            "akun/sandi/atur/selesai/", "atur sandi selesai", "/akun/sandi/atur/selesai/", outcomes(200, 200)
        ),
        Case("akun/sandi/ubah/", "ubah sandi", "/akun/sandi/ubah/", page()),
        Case("akun/sandi/ubah/selesai/", "ubah sandi selesai", "/akun/sandi/ubah/selesai/", page()),
        Case("akun/profil/", "profil", "/akun/profil/", page()),
        Case("akun/dua-langkah/", "verifikasi dua langkah", "/akun/dua-langkah/", page(REDIRECT)),
        Case(
            "akun/dua-langkah/daftar/", "daftar verifikasi dua langkah", "/akun/dua-langkah/daftar/", page()
        ),
        Case(
            "akun/dua-langkah/kelola/", "kelola verifikasi dua langkah", "/akun/dua-langkah/kelola/", page()
        ),
        Case("sehat/", "kesehatan untuk pemantauan", "/sehat/", outcomes(503, 503)),
        # The WhatsApp webhook: no login; a handshake without the verify token and a POST without
        # the platform's signature are refused whoever asks (chat/whatsapp_webhook.py).
        Case(
            "obrolan/whatsapp/webhook/",
            "jabat tangan webhook whatsapp tanpa token",
            "/obrolan/whatsapp/webhook/?hub.mode=subscribe&hub.challenge=123",
            outcomes(403, 403),
        ),
        Case(
            "obrolan/whatsapp/webhook/",
            "webhook whatsapp tanpa tanda tangan",
            "/obrolan/whatsapp/webhook/",
            outcomes(403, 403),
            method="POST",
            data={"object": "whatsapp_business_account", "entry": []},
            json=True,
        ),
        # The SMS gateways' webhooks: no login; without the gateway's signature (SMS Gateway for
        # Android) or the aggregator's token, refused whoever asks (chat/sms_webhook.py).
        Case(
            "obrolan/sms/android/",
            "webhook sms android tanpa tanda tangan",
            "/obrolan/sms/android/",
            outcomes(403, 403),
            method="POST",
            data={"event": "sms:received", "payload": {"sender": "+6281234500001", "message": "LAPOR"}},
            json=True,
        ),
        Case(
            "obrolan/sms/http/",
            "webhook sms agregator tanpa token",
            "/obrolan/sms/http/",
            outcomes(403, 403),
            method="POST",
            data={"from": "6281234500001", "text": "LAPOR", "id": "1"},
        ),
        Case("laporan/", "daftar laporan", "/laporan/", page(), shows_reports=SEES_REPORTS),
        Case("laporan/baru/", "formulir laporan baru", "/laporan/baru/", page()),
        Case(
            "laporan/insiden/", "daftar insiden", "/laporan/insiden/", page(), shows_incidents=SEES_INCIDENTS
        ),
        # The situation picture: for forum members (an account without a seat gets 403).
        Case("situasi/", "dasbor situasi", "/situasi/", page(outsider=403)),
        Case("situasi/peta/", "peta situasi", "/situasi/peta/", page(outsider=403)),
        Case(
            "situasi/laporan/",
            "cari laporan",
            "/situasi/laporan/",
            page(outsider=403),
            shows_reports=SEES_REPORTS,
        ),
        Case(
            "situasi/insiden/",
            "cari insiden",
            "/situasi/insiden/",
            page(outsider=403),
            shows_incidents=SEES_INCIDENTS,
        ),
        Case(
            "situasi/pencarian/",
            "simpan pencarian",
            "/situasi/pencarian/",
            page(REDIRECT, outsider=403),
            method="POST",
            data={"name": "Agama", "target": "laporan", "query": "isu=agama"},
        ),
        Case(
            "situasi/pencarian/<int:pk>/hapus/",
            "hapus pencarian orang lain atau yang tidak ada",
            "/situasi/pencarian/999999/hapus/",
            page(404, outsider=403),
            method="POST",
        ),
        Case(
            "situasi/wilayah/<str:code>/", "status wilayah", "/situasi/wilayah/64.01.06/", page(outsider=403)
        ),
        Case(
            "situasi/wilayah/<str:code>/",
            "tetapkan status wilayah",
            "/situasi/wilayah/64.01.06/",
            {**page(403), **dict.fromkeys(TKD, REDIRECT)},
            method="POST",
            data={"status": "siaga", "reason": "Uji matriks", "expires_at": "2099-01-01T00:00"},
        ),
        Case("situasi/langsung.json", "cap pembaruan langsung", "/situasi/langsung.json", page(outsider=403)),
        # Briefs: the situation reports need a seat; each person downloads only their own copies.
        Case("ringkasan/", "daftar laporan situasi", "/ringkasan/", page(outsider=403)),
        Case(
            "ringkasan/",
            "minta laporan situasi dengan jenis tak dikenal",
            "/ringkasan/",
            page(400, outsider=403),
            method="POST",
            data={"kind": "harian", "start": "2026-01-05"},
        ),
        Case(
            "ringkasan/<int:pk>/unduh/",
            "unduh laporan situasi orang lain atau yang tidak ada",
            "/ringkasan/999999/unduh/",
            page(404, outsider=403),
        ),
        # Release to the province (rilis): the senior roles of Paser's deciding TKD only (all three
        # TKD personas are senior); everyone else with a seat is refused (403), bad input is a 400.
        Case(
            "ringkasan/rilis/",
            "rilis laporan situasi ke provinsi",
            "/ringkasan/rilis/",
            {**page(403), **dict.fromkeys(TKD, REDIRECT)},
            method="POST",
            data={"regency": "64.01", "kind": "bulanan", "day": "2026-01-05", "assessment": "Uji matriks"},
        ),
        Case(
            "ringkasan/rilis/",
            "rilis laporan situasi tanpa penilaian",
            "/ringkasan/rilis/",
            {**page(403), **dict.fromkeys(TKD, 400)},
            method="POST",
            data={"regency": "64.01", "kind": "bulanan", "day": "2026-01-05", "assessment": ""},
        ),
        # Paser's Lapsit draft: its drafters (Paser's TKD seniors) read and write it; only the
        # ketua of Paser's TKD approves (refused here with 400: the analyst has not written yet).
        Case(
            "ringkasan/lapsit/<int:pk>/",
            "konsep lapsit",
            "/ringkasan/lapsit/{lapsit}/",
            {**page(403), **dict.fromkeys(TKD, 200)},
        ),
        Case(
            "ringkasan/lapsit/<int:pk>/",
            "tulis analisa lapsit",
            "/ringkasan/lapsit/{lapsit}/",
            {**page(403), **dict.fromkeys(TKD, REDIRECT)},
            method="POST",
            data={"analisa": "Uji matriks", "prakiraan": "", "saran": ""},
        ),
        Case(
            "ringkasan/lapsit/<int:pk>/konsep.pdf",
            "PDF konsep lapsit",
            "/ringkasan/lapsit/{lapsit}/konsep.pdf",
            {**page(403), **dict.fromkeys(TKD, 200)},
        ),
        Case(
            "ringkasan/lapsit/<int:pk>/setujui/",
            "setujui lapsit yang belum ditulis",
            "/ringkasan/lapsit/{lapsit}/setujui/",
            {**page(403), "tkd_head": 400},
            method="POST",
        ),
        Case(
            "ringkasan/lapsit/<int:pk>/ajukan/",
            "ajukan lapsit yang belum ditulis",
            "/ringkasan/lapsit/{lapsit}/ajukan/",
            {**page(403), **dict.fromkeys(TKD, 400)},
            method="POST",
        ),
        Case(
            "ringkasan/lapsit/<int:pk>/kembalikan/",
            "kembalikan lapsit kepada analis",
            "/ringkasan/lapsit/{lapsit}/kembalikan/",
            {**page(403), "tkd_head": REDIRECT},
            method="POST",
            data={"note": "Uji matriks"},
        ),
        # The province Lapsit: the province TKD's senior roles only; nobody of Paser.
        Case("ringkasan/provinsi/", "laporan situasi provinsi", "/ringkasan/provinsi/", page(403)),
        Case(
            "ringkasan/provinsi/",
            "buat laporan situasi provinsi",
            "/ringkasan/provinsi/",
            page(403),
            method="POST",
            data={"provinsi": "64", "kind": "bulanan", "day": "2026-01-05", "assessment": ""},
        ),
        # Sending it to the Gubernur's Forkopimda ("Kirim ke Forkopimda provinsi"): the same seniors.
        Case(
            "ringkasan/provinsi/kirim/",
            "kirim laporan situasi provinsi ke Forkopimda provinsi",
            "/ringkasan/provinsi/kirim/",
            page(403),
            method="POST",
            data={"provinsi": "64", "kind": "bulanan", "day": "2026-01-05", "assessment": ""},
        ),
        # Exchange: exports for forum members, of what each may see; alerts by their scope.
        Case("pertukaran/", "halaman pertukaran data", "/pertukaran/", page(outsider=403)),
        *[
            Case(
                "pertukaran/ekspor/<str:target>.<str:fmt>",
                f"ekspor laporan {fmt}",
                f"/pertukaran/ekspor/laporan.{fmt}",
                page(outsider=403),
                # the xlsx is compressed: its rows are checked in exchange's own tests
                shows_reports=SEES_REPORTS if fmt != "xlsx" else None,
            )
            for fmt in ("csv", "hxl", "geojson", "xlsx")
        ],
        Case(
            "pertukaran/ekspor/<str:target>.<str:fmt>",
            "ekspor insiden csv",
            "/pertukaran/ekspor/insiden.csv",
            page(outsider=403),
            shows_incidents=SEES_INCIDENTS,
        ),
        Case("pertukaran/peringatan/", "daftar peringatan", "/pertukaran/peringatan/", outcomes(200, 200)),
        Case(
            "pertukaran/peringatan/baru/",
            "formulir peringatan",
            "/pertukaran/peringatan/baru/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), 200, 403)},
        ),
        Case(
            "pertukaran/peringatan/usulan/",
            "daftar usulan peringatan",
            "/pertukaran/peringatan/usulan/",
            page(),
        ),
        Case(
            "pertukaran/peringatan/usulan/<int:pk>/",
            "usulan peringatan publik yang menunggu",
            "/pertukaran/peringatan/usulan/{alert_proposal}/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), 200)},
        ),
        Case(
            "pertukaran/peringatan/usulan/<int:pk>/",
            "setujui usulan peringatan publik (kunci kedua: ketua TKD, bukan pengusul)",
            "/pertukaran/peringatan/usulan/{alert_proposal}/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), 403), "tkd_head": REDIRECT},
            method="POST",
            data={"action": "approve"},
        ),
        Case(
            "pertukaran/peringatan/atom.xml",
            "umpan atom peringatan publik",
            "/pertukaran/peringatan/atom.xml",
            outcomes(200, 200),
        ),
        Case(
            "pertukaran/peringatan/<str:identifier>/",
            "halaman peringatan publik",
            "/pertukaran/peringatan/{alert_public}/",
            outcomes(200, 200),
        ),
        Case(
            "pertukaran/peringatan/<str:identifier>/",
            "halaman peringatan terbatas",
            "/pertukaran/peringatan/{alert_restricted}/",
            {ANONIM: 404, **by_sight(frozenset({*TKD, "regent"}), 200)},
        ),
        Case(
            "pertukaran/peringatan/<str:identifier>.xml",
            "dokumen CAP terbatas",
            "/pertukaran/peringatan/{alert_restricted}.xml",
            {ANONIM: 404, **by_sight(frozenset({*TKD, "regent"}), 200)},
        ),
    ]
    for key in INCIDENTS:
        cases.append(
            Case(
                "ringkasan/insiden/<str:reference>.pdf",
                f"laporan insidentil PDF insiden {key}",
                f"/ringkasan/insiden/{{{key}}}.pdf",
                {ANONIM: LOGIN, **by_sight(who_sees_incident(key), 200)},
                shows_reports={p: SEES_REPORTS[p] & INCIDENT_REPORTS[key] for p in PERSONAS},
            )
        )
    for key in FILED_BY_KEY:
        cases.append(
            Case(
                "ringkasan/laporan/<str:reference>.pdf",
                f"laporan insidentil PDF laporan {key}",
                f"/ringkasan/laporan/{{{key}}}.pdf",
                {ANONIM: LOGIN, **by_sight(who_sees_report(key), 200)},
                report=key,
            )
        )
    for key in INCIDENTS:
        cases.append(
            Case(
                "laporan/insiden/<str:reference>/",
                f"halaman insiden {key}",
                f"/laporan/insiden/{{{key}}}/",
                {ANONIM: LOGIN, **by_sight(who_sees_incident(key), 200)},
                shows_reports={p: SEES_REPORTS[p] & INCIDENT_REPORTS[key] for p in PERSONAS},
            )
        )
    cases.append(
        Case(
            "laporan/insiden/<str:reference>/",
            "tetapkan tingkat insiden lewat halaman",
            "/laporan/insiden/{ins_lombok}/",
            triage_only(who_sees_incident("ins_lombok"), REDIRECT, LOGIN),
            method="POST",
            data={"action": "level", "alert_level": "siaga", "reason": "Massa bertambah menjadi 200 orang"},
        )
    )
    cases.append(
        Case(
            "laporan/insiden/<str:reference>/",
            "ubah insiden yang sudah digabung lewat halaman",
            "/laporan/insiden/{ins_kecamatan}/",
            # the TKD is sent back to the page with a message; see the test of the merged incident
            {ANONIM: LOGIN, **by_sight(who_sees_incident("ins_kecamatan"), REDIRECT)},
            method="POST",
            data={"action": "level", "alert_level": "awas", "reason": "Bentrok fisik"},
        )
    )
    for key in FILED_BY_KEY:
        cases.append(
            Case(
                "laporan/<str:reference>/",
                f"halaman laporan {key}",
                f"/laporan/{{{key}}}/",
                {ANONIM: LOGIN, **by_sight(who_sees_report(key), 200)},
                report=key,
            )
        )
    cases += [
        Case(
            "laporan/verifikasi/",
            "antrean verifikasi",
            "/laporan/verifikasi/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), 200, 403)},
        ),
        Case(
            "laporan/<str:reference>/pratinjau-disposisi/",
            "pratinjau disposisi",
            "/laporan/{bnk}/pratinjau-disposisi/",
            triage_only(who_sees_report("bnk"), 200, LOGIN),
            method="POST",
            data={"isu": "kriminalitas", "alert_level": "siaga"},
        ),
        Case(
            "laporan/<str:reference>/triase/",
            "pratinjau disposisi tanpa JavaScript",
            "/laporan/{bnk}/triase/",
            triage_only(who_sees_report("bnk"), 200, LOGIN),
            method="POST",
            data={"action": "preview", "isu": "kriminalitas"},
        ),
        Case(
            "laporan/<str:reference>/triase/",
            "bagikan laporan lewat halaman",
            "/laporan/{lombok}/triase/",
            triage_only(who_sees_report("lombok"), REDIRECT, LOGIN),
            method="POST",
            data={"action": "share", "forum": "BNK-6401"},
        ),
        Case(
            "laporan/<str:reference>/informan/",
            "buka informan lewat halaman",
            "/laporan/{rahasia}/informan/",
            {ANONIM: LOGIN, **by_sight(who_sees_report("rahasia"), 403), HANDLER: 200},
            method="POST",
            reveals=True,
        ),
        Case(
            "laporan/<str:reference>/informan/",
            "buka informan laporan tanpa informan",
            "/laporan/{lombok}/informan/",
            {ANONIM: LOGIN, **by_sight(who_sees_report("lombok"), 404)},
            method="POST",
        ),
        Case(
            "laporan/<str:reference>/informan/",
            "buka informan dengan GET",
            "/laporan/{rahasia}/informan/",
            page(405),
        ),
        Case(
            "tindak-lanjut/",
            "kotak disposisi",
            "/tindak-lanjut/",
            page(),
            shows_reports=SEES_DISPOSITIONS_OF,
        ),
        Case("tindak-lanjut/metrik/", "metrik tanggapan", "/tindak-lanjut/metrik/", page()),
        Case("notifikasi/", "pusat notifikasi", "/notifikasi/", page()),
        Case("notifikasi/baca/", "tandai dibaca", "/notifikasi/baca/", page(REDIRECT), method="POST"),
        Case(
            "notifikasi/buka/<int:pk>/",
            "buka notifikasi milik pelapor desa",
            "/notifikasi/buka/{notif_reporter}/",
            page(404, desa_reporter=REDIRECT),
            arrange=_notify_reporter,
        ),
        Case("notifikasi/pengaturan/", "pengaturan notifikasi", "/notifikasi/pengaturan/", page()),
        Case(
            "notifikasi/pengiriman-gagal/",
            "pengiriman gagal",
            "/notifikasi/pengiriman-gagal/",
            page(403, kesbangpol_admin=200),
        ),
        Case(
            "notifikasi/tautan/",
            "tautan akun obrolan",
            "/notifikasi/tautan/",
            page(403, kesbangpol_admin=200),
        ),
    ]
    # Files open for whoever sees their report or disposition; everyone else gets a missing file's 404.
    cases += [
        Case(
            "laporan/<str:reference>/lampiran/<int:pk>/",
            "foto laporan lombok",
            "/laporan/{lombok}/lampiran/{lombok_photo}/",
            {ANONIM: LOGIN, **by_sight(who_sees_report("lombok"), 200)},
        ),
        Case(
            "laporan/<str:reference>/lampiran/<int:pk>/",
            "foto laporan lombok di bawah laporan lain",
            "/laporan/{fkub}/lampiran/{lombok_photo}/",
            {ANONIM: LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
        ),
        Case(
            "laporan/<str:reference>/lampiran/<int:pk>/kecil/",
            "miniatur foto laporan lombok",
            "/laporan/{lombok}/lampiran/{lombok_photo}/kecil/",
            {ANONIM: LOGIN, **by_sight(who_sees_report("lombok"), 200)},
        ),
        Case(
            "tindak-lanjut/<int:pk>/bukti/<int:proof_pk>/",
            "bukti tindak lanjut FKUB",
            "/tindak-lanjut/{disp_fkub}/bukti/{fkub_proof}/",
            {ANONIM: LOGIN, **by_sight(SEES_DISPOSITION["disp_fkub"], 200)},
            arrange=_prove_fkub,
        ),
        Case(
            "tindak-lanjut/<int:pk>/bukti/<int:proof_pk>/",
            "bukti tindak lanjut FKUB di bawah disposisi lain",
            "/tindak-lanjut/{disp_tkd_rahasia}/bukti/{fkub_proof}/",
            {ANONIM: LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
            arrange=_prove_fkub,
        ),
        Case(
            "tindak-lanjut/<int:pk>/bukti/<int:proof_pk>/kecil/",
            "miniatur bukti tindak lanjut FKUB",
            "/tindak-lanjut/{disp_fkub}/bukti/{fkub_proof}/kecil/",
            {ANONIM: LOGIN, **by_sight(SEES_DISPOSITION["disp_fkub"], 200)},
            arrange=_prove_fkub,
        ),
    ]
    for key, seers in SEES_DISPOSITION.items():
        cases.append(
            Case(
                "tindak-lanjut/<int:pk>/",
                f"halaman disposisi {key}",
                f"/tindak-lanjut/{{{key}}}/",
                {ANONIM: LOGIN, **by_sight(seers, 200)},
            )
        )
    cases += [
        Case(
            "tindak-lanjut/<int:pk>/aksi/",
            "terima disposisi lewat halaman",
            "/tindak-lanjut/{disp_fkub}/aksi/",
            {ANONIM: LOGIN, **by_sight(SEES_DISPOSITION["disp_fkub"], REDIRECT)},
            method="POST",
            data={"action": "terima"},
        ),
        Case(
            "tindak-lanjut/<int:pk>/aksi/",
            "tugaskan disposisi lewat halaman",
            "/tindak-lanjut/{disp_fkub}/aksi/",
            {ANONIM: LOGIN, **by_sight(SEES_DISPOSITION["disp_fkub"], 403), "fkub_officer": REDIRECT},
            method="POST",
            data={"action": "tugaskan", "member": "anggota.fkub"},
            arrange=_fkub_officer_chairs_fkub,
        ),
        Case("deteksi/", "daftar sinyal deteksi dini", "/deteksi/", page()),
        Case(
            "deteksi/<int:pk>/",
            "halaman sinyal",
            "/deteksi/{signal}/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), 200)},
        ),
        Case(
            "deteksi/<int:pk>/tinjau/",
            "konfirmasi sinyal",
            "/deteksi/{signal}/tinjau/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), REDIRECT)},
            method="POST",
            data={"decision": "konfirmasi"},
        ),
        Case(
            "deteksi/riwayat/", "impor riwayat kejadian", "/deteksi/riwayat/", page(403, kesbangpol_admin=200)
        ),
        Case(
            "deteksi/riwayat/",
            "impor riwayat tanpa berkas",
            "/deteksi/riwayat/",
            page(403, kesbangpol_admin=400),
            method="POST",
            data={},
        ),
        Case(
            "deteksi/tinjau/",
            "konfirmasi sinyal sekaligus",
            "/deteksi/tinjau/",
            {ANONIM: LOGIN, **by_sight(frozenset(TKD), REDIRECT)},
            method="POST",
            data={"signal": "{signal}", "decision": "konfirmasi"},
        ),
        Case("sw.js", "service worker", "/sw.js", outcomes(200, 200)),
        Case("manifest.webmanifest", "manifes aplikasi", "/manifest.webmanifest", outcomes(200, 200)),
        Case("luring/", "halaman luring (tanpa data siapa pun)", "/luring/", outcomes(200, 200)),
        Case(
            "i18n/setlang/",
            "ganti bahasa",
            "/i18n/setlang/",
            outcomes(REDIRECT, REDIRECT),
            method="POST",
            data={"language": "en"},
        ),
        Case("api/openapi.json", "dokumen OpenAPI", "/api/openapi.json", outcomes(200, 200)),
        Case("api/docs", "dokumentasi API", "/api/docs", outcomes(200, 200)),
        Case("api/", "akar API", "/api/", outcomes(404, 404)),
    ]
    return cases


# The admin: only the Kesbangpol administrator is staff; everyone else is sent to the admin's login.
# What the "Admin Kesbangpol" group may do (people/actions.py KESBANGPOL_ADMIN_PERMISSIONS), per
# model: the changelist, add, history, delete and change pages, and the bare object URL.
ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change", "object")
# The bare object URL redirects staff to the change page, which then answers for the model.
NO_ACCESS = {**dict.fromkeys(ADMIN_VIEWS, 403), "object": REDIRECT}
ADD_CHANGE_VIEW = {
    "changelist": 200,
    "add": 200,
    "history": 200,
    "delete": 403,
    "change": 200,
    "object": REDIRECT,
}
VIEW_ONLY = {**ADD_CHANGE_VIEW, "add": 403}
ADMIN_MODELS: dict[str, dict[str, Outcome]] = {
    "auth/group": NO_ACCESS,
    "forums/forum": ADD_CHANGE_VIEW,
    "forums/membership": ADD_CHANGE_VIEW,
    "people/person": ADD_CHANGE_VIEW,  # accounts are deactivated, never deleted
    "people/apitoken": NO_ACCESS,
    "regions/region": VIEW_ONLY,
    "audit/auditentry": NO_ACCESS,  # the trail, with who looked at which informant, is for auditors
    "response/routingrule": ADD_CHANGE_VIEW,  # deactivated, never deleted
    "response/deadlinepolicy": VIEW_ONLY,  # one per level: changed, never added
    "response/dayoff": {**ADD_CHANGE_VIEW, "delete": 200},
    "response/disposition": VIEW_ONLY,
    "briefs/lapsit": VIEW_ONLY,  # read only: its flow's actions are the only way to change it
    "django_tasks_database/dbtaskresult": NO_ACCESS,
}
ADMIN_SUFFIX = {
    "changelist": "",
    "add": "add/",
    "history": "<path:object_id>/history/",
    "delete": "<path:object_id>/delete/",
    "change": "<path:object_id>/change/",
    "object": "<path:object_id>/",
}


def admin(kesbangpol_admin: Outcome, anonim: Outcome = ADMIN_LOGIN) -> dict[str, Outcome]:
    return outcomes(ADMIN_LOGIN, anonim, kesbangpol_admin=kesbangpol_admin)


def _admin_id(model: str) -> str:
    """The World.ids key of the admin's sample object of ``model`` ("forums/forum")."""
    return "admin_" + model.replace("/", "_")


def _admin_cases() -> list[Case]:
    cases = [
        Case("admin/", "beranda admin", "/admin/", admin(200)),
        Case(
            "admin/login/", "masuk admin", "/admin/login/", outcomes(LOGIN, LOGIN, kesbangpol_admin=REDIRECT)
        ),
        Case(
            "admin/logout/",
            "keluar admin",
            "/admin/logout/",
            # the admin sends whoever is not staff to its index, which sends them to its login
            outcomes(REDIRECT, REDIRECT, kesbangpol_admin=LOGIN),
            method="POST",
        ),
        Case("admin/password_change/", "ubah sandi di admin", "/admin/password_change/", admin(200)),
        Case(
            "admin/password_change/done/",
            "ubah sandi admin selesai",
            "/admin/password_change/done/",
            admin(200),
        ),
        Case("admin/autocomplete/", "autocomplete admin tanpa parameter", "/admin/autocomplete/", admin(403)),
        Case("admin/jsi18n/", "terjemahan javascript admin", "/admin/jsi18n/", admin(200)),
        Case(
            "admin/r/<path:content_type_id>/<path:object_id>/",
            "lihat laporan di situs dari admin",
            "/admin/r/{report_content_type}/{lombok_pk}/",
            admin(404),
        ),
        Case("admin/<app_label>/", "aplikasi forum di admin", "/admin/forums/", admin(200)),
        Case("admin/<app_label>/", "aplikasi audit di admin", "/admin/audit/", admin(404)),
        Case("admin/(?P<url>.*)$", "halaman admin yang tidak ada", "/admin/tidak-ada/", admin(404)),
        Case(
            "admin/people/person/<id>/password/",
            "ganti sandi orang lain di admin",
            "/admin/people/person/{desa_reporter_pk}/password/",
            admin(200),
        ),
    ]
    for model, allowed in ADMIN_MODELS.items():
        for view in ADMIN_VIEWS:
            suffix = ADMIN_SUFFIX[view].replace("<path:object_id>", "{" + _admin_id(model) + "}")
            cases.append(
                Case(
                    f"admin/{model}/{ADMIN_SUFFIX[view]}",
                    f"admin {model} {view}",
                    f"/admin/{model}/{suffix}",
                    admin(allowed[view]),
                )
            )
    return cases


REPORT_PAYLOAD = {
    "title": "Jalan poros Long Ikis amblas, truk logistik tertahan",
    "what": "Badan jalan amblas sepanjang 20 meter; antrean truk pengangkut bahan pokok ke IKN.",
    "athg": "hambatan",
    "isu": "infrastruktur_logistik",
    "alert_level": "waspada",
    "region_code": "64.01.06.2006",
    "occurred_at": "2026-01-05T07:30:00+08:00",
}


def _api_cases() -> list[Case]:
    reports = "/api/v1/reports"
    incidents = "/api/v1/incidents"
    dispositions = "/api/v1/dispositions"
    situation = "/api/v1/situation"
    fkub_acts = SEES_DISPOSITION["disp_fkub"]  # FKUB members act on it, and the TKD
    cases = [
        Case("GET /api/v1/regions/", "cari wilayah", "/api/v1/regions/?q=Lombok", api()),
        Case("GET /api/v1/regions/{code}", "satu wilayah", "/api/v1/regions/64.01.06.2006", api()),
        Case(
            "GET /api/v1/regions/nearest",
            "desa terdekat dari titik GPS",
            "/api/v1/regions/nearest?lat=-1.58&lon=116.1",
            api(),
        ),
        Case(
            "GET /api/v1/regions/{code}/children",
            "desa di kecamatan",
            "/api/v1/regions/64.01.06/children",
            api(),
        ),
        Case(
            "POST /api/v1/reports/",
            "kirim laporan lewat API",
            f"{reports}/",
            api(201),
            method="POST",
            data=REPORT_PAYLOAD,
            json=True,
        ),
        Case(
            "GET /api/v1/reports/",
            "daftar laporan lewat API",
            f"{reports}/",
            api(),
            shows_reports=SEES_REPORTS,
        ),
    ]
    for key in FILED_BY_KEY:
        cases.append(
            Case(
                "GET /api/v1/reports/{reference}",
                f"laporan {key} lewat API",
                f"{reports}/{{{key}}}",
                {ANONIM: 401, **by_sight(who_sees_report(key), 200)},
                report=key,
            )
        )
    cases += [
        Case(
            "POST /api/v1/reports/{reference}/attachments",
            "lampirkan foto lewat API",
            f"{reports}/{{lombok}}/attachments",
            {ANONIM: 401, **by_sight(who_sees_report("lombok"), 403), "desa_reporter": 201},
            method="POST",
            upload=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/verify",
            "verifikasi laporan lewat API",
            f"{reports}/{{bnk}}/verify",
            triage_only(who_sees_report("bnk"), 200, 401),
            method="POST",
            data={},
            json=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/reject",
            "tolak laporan lewat API",
            f"{reports}/{{bnk}}/reject",
            triage_only(who_sees_report("bnk"), 200, 401),
            method="POST",
            data={"reason": "Tidak dapat dikonfirmasi di lapangan"},
            json=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/casualties",
            "perbarui jumlah korban lewat API",
            f"{reports}/{{bnk}}/casualties",
            triage_only(who_sees_report("bnk"), 200, 401),
            method="POST",
            data={
                "casualties_dead": 1,
                "casualties_injured": None,
                "casualties_displaced": 0,
                "reason": "Data puskesmas",
            },
            json=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/share",
            "bagikan laporan lewat API",
            f"{reports}/{{bnk}}/share",
            triage_only(who_sees_report("bnk"), 200, 401),
            method="POST",
            data={"forum_code": "FKUB-6401"},
            json=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/informant/reveal",
            "buka informan lewat API",
            f"{reports}/{{rahasia}}/informant/reveal",
            {ANONIM: 401, **by_sight(who_sees_report("rahasia"), 403), HANDLER: 200},
            method="POST",
            reveals=True,
        ),
        Case(
            "POST /api/v1/reports/{reference}/informant/reveal",
            "buka informan laporan tanpa informan lewat API",
            f"{reports}/{{lombok}}/informant/reveal",
            {ANONIM: 401, **by_sight(who_sees_report("lombok"), 404)},
            method="POST",
        ),
        Case(
            "GET /api/v1/incidents/",
            "daftar insiden lewat API",
            f"{incidents}/",
            api(),
            shows_incidents=SEES_INCIDENTS,
        ),
    ]
    for key in INCIDENTS:
        cases.append(
            Case(
                "GET /api/v1/incidents/{reference}",
                f"insiden {key} lewat API",
                f"{incidents}/{{{key}}}",
                {ANONIM: 401, **by_sight(who_sees_incident(key), 200)},
                shows_reports={p: SEES_REPORTS[p] & INCIDENT_REPORTS[key] for p in PERSONAS},
            )
        )
    cases += [
        Case(
            "POST /api/v1/incidents/{reference}/merge",
            "gabungkan insiden lewat API",
            f"{incidents}/{{ins_lombok}}/merge",
            # both incidents must be visible: the FKUB officer does not see the target
            triage_only(who_sees_incident("ins_lombok") & who_sees_incident("ins_fkub"), 200, 401),
            method="POST",
            data={"sources": ["{ins_fkub}"], "reason": "Kejadian yang sama"},
            json=True,
        ),
        Case(
            "POST /api/v1/incidents/{reference}/split",
            "pisahkan insiden lewat API",
            f"{incidents}/{{ins_lombok}}/split",
            # the desa reporter sees the incident but not the kecamatan chair's report in it
            triage_only(who_sees_incident("ins_lombok") & who_sees_report("lombok_kecamatan"), 200, 401),
            method="POST",
            data={"reports": ["{lombok_kecamatan}"], "title": "Blokade hari kedua"},
            json=True,
        ),
        Case(
            "POST /api/v1/incidents/{reference}/level",
            "tetapkan tingkat insiden lewat API",
            f"{incidents}/{{ins_lombok}}/level",
            triage_only(who_sees_incident("ins_lombok"), 200, 401),
            method="POST",
            data={"alert_level": "siaga", "reason": "Massa bertambah menjadi 200 orang"},
            json=True,
        ),
        Case(
            "GET /api/v1/dispositions/",
            "daftar disposisi lewat API",
            f"{dispositions}/",
            api(),
            shows_reports=SEES_DISPOSITIONS_OF,
        ),
        Case(
            "POST /api/v1/dispositions/",
            "buat disposisi lewat API",
            f"{dispositions}/",
            triage_only(who_sees_report("bnk"), 201, 401),
            method="POST",
            data={"report_reference": "{bnk}", "forum_code": "FKUB-6401", "reason": "Ada unsur rumah ibadah"},
            json=True,
        ),
        Case(
            "GET /api/v1/dispositions/metrik", "metrik tanggapan lewat API", f"{dispositions}/metrik", api()
        ),
        Case(
            "POST /api/v1/triage/suggest",
            "saran triase lewat API",
            "/api/v1/triage/suggest",
            api(),
            method="POST",
            data={"text": "Warga Desa Lombok blokir jalan hauling"},
            json=True,
        ),
        Case(
            "POST /api/v1/triage/corrections",
            "koreksi triase lewat API",
            "/api/v1/triage/corrections",
            api(201),
            method="POST",
            data={
                "text": "Warga blokir jalan",
                "suggested": {"isu": "lainnya"},
                "final": {"isu": "agraria_korporasi"},
            },
            json=True,
        ),
        # The situation API: read with a forum seat; set and lift for the TKD's senior roles.
        Case(
            "GET /api/v1/situation/langsung",
            "cap langsung lewat API",
            f"{situation}/langsung",
            api(outsider=403),
        ),
        Case(
            "GET /api/v1/situation/penetapan-status",
            "penetapan status lewat API",
            f"{situation}/penetapan-status",
            api(outsider=403),
        ),
        Case(
            "POST /api/v1/situation/penetapan-status",
            "tetapkan status wilayah lewat API",
            f"{situation}/penetapan-status",
            {ANONIM: 401, **dict.fromkeys(SIGNED_IN, 403), **dict.fromkeys(TKD, 201)},
            method="POST",
            data={
                "region_code": "64.01.06",
                "status": "siaga",
                "reason": "Uji matriks",
                "expires_at": _in_days(3),
            },
            json=True,
        ),
        Case(
            "POST /api/v1/situation/penetapan-status/{override_id}/cabut",
            "cabut status wilayah lewat API",
            f"{situation}/penetapan-status/{{override}}/cabut",
            {ANONIM: 401, **dict.fromkeys(SIGNED_IN, 403), **dict.fromkeys(TKD, 200)},
            method="POST",
            data={"reason": "Sudah dimediasi"},
            json=True,
            arrange=_set_override,
        ),
    ]
    cases += [
        Case(
            "GET /api/v1/reports/{reference}/attachments/{attachment_id}",
            "foto laporan lombok lewat API",
            f"{reports}/{{lombok}}/attachments/{{lombok_photo}}",
            {ANONIM: 401, **by_sight(who_sees_report("lombok"), 200)},
        ),
        Case(
            "GET /api/v1/reports/{reference}/attachments/{attachment_id}/thumbnail",
            "miniatur foto laporan lombok lewat API",
            f"{reports}/{{lombok}}/attachments/{{lombok_photo}}/thumbnail",
            {ANONIM: 401, **by_sight(who_sees_report("lombok"), 200)},
        ),
        Case(
            "GET /api/v1/dispositions/{disposition_id}/proofs/{proof_id}",
            "bukti tindak lanjut FKUB lewat API",
            f"{dispositions}/{{disp_fkub}}/proofs/{{fkub_proof}}",
            {ANONIM: 401, **by_sight(SEES_DISPOSITION["disp_fkub"], 200)},
            arrange=_prove_fkub,
        ),
        Case(
            "GET /api/v1/dispositions/{disposition_id}/proofs/{proof_id}/thumbnail",
            "miniatur bukti tindak lanjut FKUB lewat API",
            f"{dispositions}/{{disp_fkub}}/proofs/{{fkub_proof}}/thumbnail",
            {ANONIM: 401, **by_sight(SEES_DISPOSITION["disp_fkub"], 200)},
            arrange=_prove_fkub,
        ),
    ]
    for key, seers in SEES_DISPOSITION.items():
        cases.append(
            Case(
                "GET /api/v1/dispositions/{disposition_id}",
                f"disposisi {key} lewat API",
                f"{dispositions}/{{{key}}}",
                {ANONIM: 401, **by_sight(seers, 200)},
            )
        )
    forum_work = {
        "terima": ({}, None),
        "tindakan": ({"text": "Pertemuan dengan panitia renovasi di balai desa."}, _acknowledge_fkub),
        "jeda": ({"reason": "Menunggu hasil mediasi Timdu PKS"}, _acknowledge_fkub),
        "lanjut": ({}, _pause_fkub),
        "selesai": (
            {"outcome": "tertangani", "text": "Kesepakatan tertulis ditandatangani."},
            _acknowledge_fkub,
        ),
        "buka": ({"reason": "Penolakan muncul lagi"}, _close_fkub),
        "kembalikan": ({"reason": "Bukan kewenangan FKUB"}, None),
    }
    for verb, (data, arrange) in forum_work.items():
        cases.append(
            Case(
                f"POST /api/v1/dispositions/{{disposition_id}}/{verb}",
                f"disposisi {verb} lewat API",
                f"{dispositions}/{{disp_fkub}}/{verb}",
                {ANONIM: 401, **by_sight(fkub_acts, 200)},
                method="POST",
                data=data,
                json=True,
                arrange=arrange,
            )
        )
    # Only the forum's chair assigns: the TKD, who sees and acts on it, is refused.
    cases.append(
        Case(
            "POST /api/v1/dispositions/{disposition_id}/tugaskan",
            "disposisi tugaskan lewat API",
            f"{dispositions}/{{disp_fkub}}/tugaskan",
            {ANONIM: 401, **by_sight(fkub_acts, 403), "fkub_officer": 200},
            method="POST",
            data={"username": "anggota.fkub"},
            json=True,
            arrange=_fkub_officer_chairs_fkub,
        )
    )
    for verb, data in (
        ("alihkan", {"forum_code": "FPK-6401", "reason": "Menyangkut hubungan antaretnis"}),
        ("tarik", {"reason": "Disposisi keliru"}),
    ):
        cases.append(
            Case(
                f"POST /api/v1/dispositions/{{disposition_id}}/{verb}",
                f"disposisi {verb} lewat API",
                f"{dispositions}/{{disp_fkub}}/{verb}",
                triage_only(fkub_acts, 200, 401),
                method="POST",
                data=data,
                json=True,
            )
        )
    cases += [
        Case(
            "GET /api/v1/exports/{target}",
            "ekspor laporan lewat API",
            "/api/v1/exports/reports?format=csv",
            api(outsider=403),
            shows_reports=SEES_REPORTS,
        ),
        Case("GET /api/v1/signals/", "daftar sinyal lewat API", "/api/v1/signals/", api()),
        Case(
            "GET /api/v1/signals/{signal_id}",
            "sinyal lewat API",
            "/api/v1/signals/{signal}",
            {ANONIM: 401, **by_sight(frozenset(TKD), 200)},
        ),
        Case(
            "POST /api/v1/signals/{signal_id}/review",
            "tinjau sinyal lewat API",
            "/api/v1/signals/{signal}/review",
            {ANONIM: 401, **by_sight(frozenset(TKD), 200)},
            method="POST",
            data={"decision": "konfirmasi"},
            json=True,
        ),
        Case("GET /api/v1/alerts/", "daftar peringatan lewat API", "/api/v1/alerts/", api()),
        Case("GET /api/v1/alerts/atom", "umpan atom peringatan lewat API", "/api/v1/alerts/atom", api()),
        Case(
            "GET /api/v1/alerts/{identifier}/cap",
            "dokumen CAP terbatas lewat API",
            "/api/v1/alerts/{alert_restricted}/cap",
            {ANONIM: 401, **by_sight(frozenset({*TKD, "regent"}), 200)},
        ),
    ]
    return cases


CASES: list[Case] = [*_page_cases(), *_admin_cases(), *_api_cases()]


# The province's roll-up (issue 18 part 3): only the province's TKD and Forkopimda (and
# superusers) open it; every regency persona is refused, page and API alike. Province personas
# answer 200 (waspada/situation/tests/test_the_province_sees_its_regencies_rolled_up.py).
def _province_rollup_cases() -> list[Case]:
    refused = {persona: 403 for persona in SIGNED_IN}
    return [
        Case("situasi/provinsi/", "rekap provinsi", "/situasi/provinsi/", {ANONIM: LOGIN, **refused}),
        Case(
            "GET /api/v1/situation/provinsi",
            "rekap provinsi lewat API",
            "/api/v1/situation/provinsi",
            {ANONIM: 401, **refused},
        ),
    ]


CASES.extend(_province_rollup_cases())


# The command-room wall (issue 19 part 2): TKD and Forkopimda members open their own picture's
# wall; a display token opens it for a screen (waspada/situation/tests/test_the_command_room_wall.py
# asks every other route with a display session); only Kesbangpol's administrator makes tokens.
def _wall_cases() -> list[Case]:
    members = {p: 200 for p in ("kesbangpol_analyst", "kesbangpol_admin", "tkd_head", "regent")}
    return [
        Case("situasi/layar/", "layar situasi", "/situasi/layar/", page(403, **members)),
        Case("situasi/layar/isi/", "isi layar situasi", "/situasi/layar/isi/", outcomes(403, 403, **members)),
        Case(
            "situasi/layar/t/<str:token>/",
            "buka layar dengan token tak dikenal",
            "/situasi/layar/t/wsl_tidak_ada/",
            outcomes(403, 403),
        ),
        Case("situasi/layar/token/", "token layar", "/situasi/layar/token/", page(403, kesbangpol_admin=200)),
        Case(
            "situasi/layar/token/<int:pk>/cabut/",
            "cabut token layar yang tidak ada",
            "/situasi/layar/token/999999/cabut/",
            page(403, kesbangpol_admin=404),
            method="POST",
        ),
    ]


CASES.extend(_wall_cases())


# Cross-border sharing (docs/cross-border.md): an incident shared with the TKD of Penajam Paser
# Utara, loaded beside Paser inside the row's savepoint. Only Paser's TKD seniors share or revoke.
def _ppu_tkd(world: World) -> None:
    load_bundled_regions("64.09")
    ensure_default_forums(regency=Region.objects.get(code="64.09"))
    world.ids["ppu_tkd"] = Forum.objects.get(kind="TKD", jurisdiction_id="64.09").pk


def _ins_lombok_shared_with_ppu(world: World) -> None:
    from waspada.reports.sharing import share_incident

    _ppu_tkd(world)
    share_incident(
        incident=Incident.objects.get(reference=world.ids["ins_lombok"]),
        forum=Forum.objects.get(pk=world.ids["ppu_tkd"]),
        reason="Truk hauling melintas ke Penajam Paser Utara",
        by=world.people["kesbangpol_analyst"],
    )


CASES += [
    Case(
        "laporan/insiden/<str:reference>/",
        "bagikan insiden ke TKD tetangga lewat halaman",
        "/laporan/insiden/{ins_lombok}/",
        triage_only(who_sees_incident("ins_lombok"), REDIRECT, LOGIN),
        method="POST",
        data={"action": "share", "forum": "{ppu_tkd}", "reason": "Truk hauling melintas ke Babulu"},
        arrange=_ppu_tkd,
    ),
    Case(
        "laporan/insiden/<str:reference>/",
        "cabut berbagi insiden ke TKD tetangga lewat halaman",
        "/laporan/insiden/{ins_lombok}/",
        triage_only(who_sees_incident("ins_lombok"), REDIRECT, LOGIN),
        method="POST",
        data={"action": "unshare", "forum": "{ppu_tkd}"},
        arrange=_ins_lombok_shared_with_ppu,
    ),
]
assert len({case.name for case in CASES}) == len(CASES), "every row needs its own name"
assert all(set(case.expect) == set(PERSONAS) for case in CASES), "every row answers every persona"

# Bugs the matrix found in files this module's author may not change; strict, so each flips
# to a failure once fixed. (case name, persona) → reason.
KNOWN_WRONG_ANSWERS: dict[tuple[str, str], str] = {}
# Leaks and cached reveals the matrix found are fixed; a new one is listed here, with the file
# and the fix, as a strict xfail until it is fixed.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}
KNOWN_CACHED_REVEALS: dict[str, str] = {}


def _params(known: dict[tuple[str, str], str], cases: list[Case]) -> list[Any]:
    params = []
    for case in cases:
        for persona in PERSONAS:
            reason = known.get((case.name, persona))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(case, persona, marks=marks, id=f"{persona}:{case.name}"))
    return params


# ---------------------------------------------------------------------------------------------
# Asking
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str
    cache_control: str

    @property
    def outcome(self) -> Outcome:
        if self.status in (301, 302, 303):
            if self.location.startswith("/admin/login/"):
                return ADMIN_LOGIN
            if self.location.startswith("/akun/masuk/"):
                return LOGIN
            return REDIRECT
        return self.status


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format_map(ids)
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def ask(world: World, case: Case, persona: str) -> Answer:
    """The answer ``persona`` gets for ``case`` (asked once per module: the world is the same)."""
    key = (case.name, persona)
    if key not in world.answers:
        if case.arrange is not None:
            case.arrange(world)
        client = Client(raise_request_exception=False)
        if persona != ANONIM:
            client.force_login(world.people[persona])
        path = _fill(case.path, world.ids)
        data = _fill(case.data, world.ids)
        if case.method == "GET":
            response = client.get(path)
        elif case.upload:
            response = client.post(
                path, {"file": SimpleUploadedFile("foto-lokasi.jpg", jpeg_with_gps(), "image/jpeg")}
            )
        elif case.json:
            response = client.post(path, data or {}, content_type="application/json")
        else:
            response = client.post(path, data or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = body.decode("utf-8", errors="replace")
        if response.get("Content-Type") == "application/pdf":
            # a PDF's text is compressed and set in font glyphs: read it as a person would
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
            ).stdout.decode()
        world.answers[key] = Answer(
            status=response.status_code,
            location=response.get("Location", ""),
            body=text,
            cache_control=response.get("Cache-Control", ""),
        )
    return world.answers[key]


def _fraction_digits(value: float) -> str:
    return repr(value).split(".")[1]


def secrets_for(persona: str, case: Case) -> dict[str, str]:
    """What must not appear in ``persona``'s answer: text → why."""
    secrets: dict[str, str] = {}
    if not (case.reveals and persona == HANDLER):
        secrets[INFORMANT_NAME.lower()] = "nama informan"
        secrets[INFORMANT_CONTACT] = "kontak informan"
        secrets[INFORMANT_CONTACT.replace("-", "")] = "kontak informan"
    for filed in FILED:
        if filed.key not in SEES_REPORTS[persona]:
            secrets[filed.title.lower()] = f"judul laporan {filed.key} yang tidak boleh dilihat"
        if filed.key not in SEES_EXACT_SPOT[persona]:
            secrets[_fraction_digits(filed.latitude)] = f"lintang titik laporan {filed.key}"
            secrets[_fraction_digits(filed.longitude)] = f"bujur titik laporan {filed.key}"
            secrets[filed.where_detail.lower()] = f"keterangan tempat laporan {filed.key}"
    return secrets


def leaks_in(text: str, secrets: dict[str, str]) -> list[str]:
    lowered = text.lower()
    return sorted({why for secret, why in secrets.items() if secret in lowered})


def named_in(text: str, references: dict[str, str]) -> frozenset[str]:
    return frozenset(key for key, reference in references.items() if reference in text)


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _route_key(prefix: str, pattern: Any) -> str:
    text = prefix + str(pattern)
    return re.sub(r"\^\(\?P<app_label>[^)]*\)/\$$", "<app_label>/", text)


def _resolver_routes(patterns: Any = None, prefix: str = "") -> Iterator[str]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _resolver_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield _route_key(prefix, entry.pattern)


def _api_path(route: str) -> str:
    """``api/v1/reports/<reference>`` → ``/api/v1/reports/{reference}``, as OpenAPI writes it."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_page_route_has_a_row_in_the_matrix() -> None:
    covered = {case.route for case in CASES}
    api_paths = {case.route.split(" ", 1)[1] for case in CASES if " /api/" in case.route}
    missing = []
    for route in _resolver_routes():
        if route.startswith("api/v1/"):
            if _api_path(route) not in api_paths:
                missing.append(route)
        elif route not in covered:
            missing.append(route)
    assert missing == [], "routes without a row in the permission matrix"


def test_every_api_operation_has_a_row_in_the_matrix(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    operations = {
        f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods
    }
    api_rows = {case.route for case in CASES if " /api/" in case.route}
    assert sorted(operations - api_rows) == [], "API operations without a row in the permission matrix"
    assert sorted(api_rows - operations) == [], "rows for API operations that no longer exist"


def test_every_row_of_the_matrix_names_a_route_that_exists() -> None:
    pages = set(_resolver_routes())
    stale = sorted({case.route for case in CASES if " /api/" not in case.route} - pages)
    assert stale == []


@pytest.mark.parametrize(("case", "persona"), _params(KNOWN_WRONG_ANSWERS, CASES))
def test_each_persona_gets_the_answer_the_rules_give(world: World, case: Case, persona: str) -> None:
    answer = ask(world, case, persona)
    expected = case.expect[persona]
    assert answer.outcome == expected, f"{answer.outcome!r}, not {expected!r}: {answer.body[:300]}"


LISTING_CASES = [case for case in CASES if case.shows_reports or case.shows_incidents]


@pytest.mark.parametrize(("case", "persona"), _params({}, LISTING_CASES))
def test_lists_name_exactly_the_reports_and_incidents_the_persona_may_see(
    world: World, case: Case, persona: str
) -> None:
    answer = ask(world, case, persona)
    report_refs = {key: world.ids[key] for key in FILED_BY_KEY}
    incident_refs = {key: world.ids[key] for key in INCIDENTS}
    if case.shows_reports is not None:
        assert named_in(answer.body, report_refs) == case.shows_reports[persona]
    if case.shows_incidents is not None:
        assert named_in(answer.body, incident_refs) == case.shows_incidents[persona]


@pytest.mark.parametrize(("case", "persona"), _params(KNOWN_LEAKS, CASES))
def test_no_answer_shows_an_informant_a_hidden_report_or_a_hidden_exact_spot(
    world: World, case: Case, persona: str
) -> None:
    answer = ask(world, case, persona)
    assert leaks_in(answer.body, secrets_for(persona, case)) == []


REVEAL_CASES = [case for case in CASES if case.reveals]


@pytest.mark.parametrize("case", REVEAL_CASES, ids=lambda case: case.name)
def test_the_handler_reads_the_informant_in_the_reveal_answer(world: World, case: Case) -> None:
    answer = ask(world, case, HANDLER)
    assert INFORMANT_NAME in answer.body
    assert INFORMANT_CONTACT in answer.body


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_CACHED_REVEALS[case.name])]
            if case.name in KNOWN_CACHED_REVEALS
            else [],
        )
        for case in REVEAL_CASES
    ],
)
def test_the_revealed_identity_is_not_kept_in_any_cache(world: World, case: Case) -> None:
    assert "no-store" in ask(world, case, HANDLER).cache_control


@pytest.mark.parametrize(
    ("case", "persona"),
    [
        pytest.param(case, persona, id=f"{persona}:{case.name}")
        for case in CASES
        for persona in PERSONAS
        if case.report in SEES_EXACT_SPOT[persona]
    ],
)
def test_the_reporter_and_the_tkd_do_see_the_exact_spot(world: World, case: Case, persona: str) -> None:
    """The other side of the leak check: where the spot may be shown, it is (so a check for its
    digits that never finds them cannot pass for the wrong reason)."""
    filed = FILED_BY_KEY[str(case.report)]
    body = ask(world, case, persona).body
    assert _fraction_digits(filed.latitude) in body
    assert _fraction_digits(filed.longitude) in body


def test_a_merged_incident_is_read_by_the_tkd_but_changed_only_through_its_target(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.people["kesbangpol_analyst"])
    merged = Incident.objects.get(reference=world.ids["ins_kecamatan"])
    page = client.get(f"/laporan/insiden/{merged.reference}/").content.decode()
    assert world.ids["ins_lombok"] in page  # "digabung ke INS-…"
    assert 'value="level"' not in page and 'value="merge"' not in page

    answer = client.post(
        f"/laporan/insiden/{merged.reference}/",
        {"action": "level", "alert_level": "awas", "reason": "Bentrok fisik"},
    )
    assert answer.status_code == 302
    assert Incident.objects.get(pk=merged.pk).alert_level == merged.alert_level
    assert not AuditEntry.objects.filter(action="incident.level_set", object_id=str(merged.pk)).exists()

    report = world.reports["terbatas_grogot"]
    client.post(f"/laporan/{report.reference}/triase/", {"action": "verify", "incident": merged.reference})
    assert Report.objects.get(pk=report.pk).incident_id is None  # not into the merged incident


def test_an_ordinary_report_joined_to_a_secret_incident_does_not_reveal_that_incident(world: World) -> None:
    """The BNK's market report is linked to the secret warehouse tip: the BNK officer keeps reading
    their report, but not the incident, whose title is the secret report's."""
    secret = Incident.objects.get(reference=world.ids["ins_rahasia"])
    verify_report(report=world.reports["bnk"], by=world.people["kesbangpol_analyst"], incident=secret)
    secret_title = FILED_BY_KEY["rahasia"].title.lower()

    client = Client(raise_request_exception=False)
    client.force_login(world.people["bnk_officer"])
    for path in ("/laporan/insiden/", "/api/v1/incidents/", "/laporan/{bnk}/", "/api/v1/reports/{bnk}"):
        answer = client.get(_fill(path, world.ids))
        assert answer.status_code == 200, path
        assert secret_title not in answer.content.decode().lower(), path
    assert client.get(f"/laporan/insiden/{secret.reference}/").status_code == 404
    assert client.get(f"/api/v1/incidents/{secret.reference}").status_code == 404

    for cleared in ("desa_reporter", "kesbangpol_analyst", "regent"):  # they see the secret report
        client.force_login(world.people[cleared])
        assert client.get(f"/laporan/insiden/{secret.reference}/").status_code == 200, cleared


def test_the_audit_trail_records_each_reveal_without_the_identity(world: World) -> None:
    """After the handler reveals through the page and the API: the trail names the look, never
    the identity, neither in ``waspada audit tail`` nor in the audit pages of the admin."""
    handler = world.people[HANDLER]
    before = AuditEntry.objects.filter(action="informant.revealed").count()
    client = Client(raise_request_exception=False)
    client.force_login(handler)
    assert client.post(_fill("/laporan/{rahasia}/informan/", world.ids)).status_code == 200
    assert client.post(_fill("/api/v1/reports/{rahasia}/informant/reveal", world.ids)).status_code == 200
    assert AuditEntry.objects.filter(action="informant.revealed", actor=handler).count() == before + 2

    tail = io.StringIO()
    call_command("audit", "tail", "-n", "1000", stdout=tail)
    assert "informant.revealed" in tail.getvalue()
    identity = {INFORMANT_NAME.lower(): "nama informan", INFORMANT_CONTACT: "kontak informan"}
    assert leaks_in(tail.getvalue(), identity) == []

    auditor = Person.objects.create_superuser(
        username="auditor.inspektorat", email="auditor@waspada.test", password=None
    )
    client.force_login(auditor)
    pages = [client.get("/admin/audit/auditentry/?all=")]
    for entry_id in AuditEntry.objects.values_list("id", flat=True):
        pages.append(client.get(f"/admin/audit/auditentry/{entry_id}/change/"))
    assert {page.status_code for page in pages} == {200}
    for page in pages:
        assert leaks_in(page.content.decode(), identity) == []


FILE_API_CASES = [case for case in CASES if "/attachments/{" in case.route or "/proofs/{" in case.route]


@pytest.mark.parametrize("case", FILE_API_CASES, ids=lambda case: case.name)
def test_a_token_opens_the_files_its_person_may_see_and_no_other(world: World, case: Case) -> None:
    """The file routes of the API asked with each persona's personal token (``Bearer``) instead of
    the session: the same answers as the session gets, and a 401 for a token that is not valid."""
    if case.arrange is not None:
        case.arrange(world)
    path = _fill(case.path, world.ids)
    answers = {}
    for persona in SIGNED_IN:
        _token, raw = create_token(person=world.people[persona], name="Matriks", by=None)
        answers[persona] = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
    assert answers == {persona: case.expect[persona] for persona in SIGNED_IN}
    assert Client().get(path, HTTP_AUTHORIZATION="Bearer wsp_bukan-token").status_code == 401
