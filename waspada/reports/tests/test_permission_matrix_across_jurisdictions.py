"""The permission matrix asked across jurisdictions: every page and API operation of
``test_permission_matrix.CASES``, in the same Paser world, asked by the people of the neighbouring
regency (Penajam Paser Utara) and of the province (Kalimantan Timur).

The world is the matrix's own (``_build_world``) with, beside it, PPU's regions and forums, the
province's forums, the six personas of OTHER_JURISDICTION_PERSONAS, and one PPU report (filed by
PPU's village reporter, verified by PPU's analyst, so that it has PPU dispositions).

What the rules (issue 18's access model) give them in Paser's world:

    persona              seat                    Paser reports seen        may in Paser
    ppu_analyst          TKD-6409 analis,        none                      nothing: 404 for every
                         informant handler                                 Paser object
    ppu_regent           FKPD-6409 pimpinan      none                      nothing
    ppu_reporter         FKDM of a PPU village   none                      nothing
    province_analyst     TKD-64 analis           all (rahasia too), every  view only: every triage,
                                                 incident and disposition, override, reveal, act,
                                                 every exact spot,         publish and review is
                                                 Long Ikis's signal        refused (403)
    province_fkdm_chair  FKDM-64 ketua           the biasa reports filed   nothing: 403 where seen
                                                 through FKDMs below it
                                                 (rule 4, as a kecamatan
                                                 FKDM sees its villages')
    governor             FKPD-64 pimpinan        none (none is shared      nothing
                                                 with FKPD-64)

Restricted alerts (ethnic tension) reach the TKD/FKPD members whose area overlaps Long Ikis: the
province analyst and the governor; PPU's people do not. Every one of them has a seat, so the pages
for any forum member (the situation picture, exports, briefs) answer them as they answer Paser's
people, with nothing of Paser they may not see in the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from waspada.people.tokens import create_token
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.reports.tests.jurisdictions import (
    OTHER_PERSONAS,
    ensure_other_personas,
    load_kaltim,
)
from waspada.reports.tests.test_permission_matrix import (
    ALL_REPORTS,
    CASES,
    FILED,
    FILED_BY_KEY,
    INCIDENT_REPORTS,
    INCIDENTS,
    INFORMANT_CONTACT,
    INFORMANT_NAME,
    LOGIN,
    REDIRECT,
    SEES_DISPOSITIONS_OF,
    SEES_INCIDENTS,
    SEES_REPORTS,
    Case,
    Outcome,
    World,
    _build_world,
    _fill,
    _fraction_digits,
    ask,
    leaks_in,
    named_in,
)
from waspada.testing.personas import NEIGHBOUR_REGENCY_CODE

pytestmark = pytest.mark.django_db

PASER_PERSONAS = tuple(sorted(SEES_REPORTS))  # the matrix's own, "anonim" included

# ---------------------------------------------------------------------------------------------
# What each of them may see of the world (written from the rules, not observed)
# ---------------------------------------------------------------------------------------------

NOTHING: frozenset[str] = frozenset()
FKDM_FILED_BIASA = frozenset({"lombok", "lombok_kecamatan", "fkub"})  # through village/kecamatan FKDMs

SEES_REPORTS_X: dict[str, frozenset[str]] = {
    "ppu_analyst": NOTHING,
    "ppu_regent": NOTHING,
    "ppu_reporter": NOTHING,
    "province_analyst": ALL_REPORTS,
    "province_fkdm_chair": FKDM_FILED_BIASA,
    "governor": NOTHING,
}
SEES_INCIDENTS_X: dict[str, frozenset[str]] = {
    **dict.fromkeys(OTHER_PERSONAS, NOTHING),
    "province_analyst": frozenset(INCIDENTS),
    # an incident is seen through a report of it: ins_kecamatan (merged, empty) only by the TKD
    "province_fkdm_chair": frozenset({"ins_lombok", "ins_fkub"}),
}
SEES_EXACT_SPOT_X: dict[str, frozenset[str]] = {
    **dict.fromkeys(OTHER_PERSONAS, NOTHING),
    "province_analyst": ALL_REPORTS,  # a TKD whose area covers the report
}
SEES_DISPOSITIONS_OF_X: dict[str, frozenset[str]] = {
    **dict.fromkeys(OTHER_PERSONAS, NOTHING),
    "province_analyst": frozenset({"lombok", "lombok_kecamatan", "fkub", "rahasia"}),
}
SEES_DISPOSITIONS_X = frozenset({"province_analyst"})  # every disposition of the world
SEES_SIGNAL_X = frozenset({"province_analyst"})  # TKD seniors whose area covers Long Ikis
SEES_RESTRICTED_ALERT_X = frozenset({"province_analyst", "governor"})  # TKD/FKPD overlapping
TKD_SENIORS_X = frozenset({"ppu_analyst", "province_analyst"})  # decide in their own area


def who_sees_report_x(key: str) -> frozenset[str]:
    return frozenset(p for p, keys in SEES_REPORTS_X.items() if key in keys)


def who_sees_incident_x(key: str) -> frozenset[str]:
    return frozenset(p for p, keys in SEES_INCIDENTS_X.items() if key in keys)


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(OTHER_PERSONAS, outcome)


def seen_by(seers: frozenset[str], seen: Outcome, unseen: Outcome = 404) -> dict[str, Outcome]:
    """Those in ``seers`` get ``seen``; the others get ``unseen`` (by default a 404: they cannot
    even tell the object exists)."""
    return {persona: seen if persona in seers else unseen for persona in OTHER_PERSONAS}


def refused_where_seen(seers: frozenset[str]) -> dict[str, Outcome]:
    """A change none of them may make in Paser: 403 for whoever sees the object, 404 for the rest."""
    return seen_by(seers, 403)


# Rows whose answer does not depend on Paser's objects: what any signed-in person with a seat gets.
NOT_ABOUT_PASER_OBJECTS: dict[str, Outcome] = {
    "beranda": 200,
    "halaman masuk": 200,
    "keluar": LOGIN,
    "lupa sandi": 200,
    "lupa sandi terkirim": 200,
    "tautan atur sandi": 200,
    "atur sandi dengan tautan palsu": 200,
    "atur sandi selesai": 200,
    "ubah sandi": 200,
    "ubah sandi selesai": 200,
    "profil": 200,
    "verifikasi dua langkah": REDIRECT,
    "daftar verifikasi dua langkah": 200,
    "kelola verifikasi dua langkah": 200,
    "kesehatan untuk pemantauan": 503,
    "jabat tangan webhook whatsapp tanpa token": 403,
    "webhook whatsapp tanpa tanda tangan": 403,
    "webhook sms android tanpa tanda tangan": 403,
    "webhook sms agregator tanpa token": 403,
    "daftar laporan": 200,
    "formulir laporan baru": 200,
    "daftar insiden": 200,
    "dasbor situasi": 200,
    "peta situasi": 200,
    "cari laporan": 200,
    "cari insiden": 200,
    "simpan pencarian": REDIRECT,
    "hapus pencarian orang lain atau yang tidak ada": 404,
    "status wilayah": 200,  # regions are public; the status comes from what each may see
    "cap pembaruan langsung": 200,
    "daftar laporan situasi": 200,
    "minta laporan situasi dengan jenis tak dikenal": 400,
    "unduh laporan situasi orang lain atau yang tidak ada": 404,
    "halaman pertukaran data": 200,
    "ekspor laporan csv": 200,
    "ekspor laporan hxl": 200,
    "ekspor laporan geojson": 200,
    "ekspor laporan xlsx": 200,
    "ekspor insiden csv": 200,
    "daftar peringatan": 200,
    "umpan atom peringatan publik": 200,
    "halaman peringatan publik": 200,
    "buka informan laporan tanpa informan": 404,
    "buka informan dengan GET": 405,
    "kotak disposisi": 200,
    "metrik tanggapan": 200,
    "pusat notifikasi": 200,
    "tandai dibaca": REDIRECT,
    "buka notifikasi milik pelapor desa": 404,
    "pengaturan notifikasi": 200,
    "pengiriman gagal": 403,  # Kesbangpol's administrator only
    "tautan akun obrolan": 403,
    "foto laporan lombok di bawah laporan lain": 404,
    "bukti tindak lanjut FKUB di bawah disposisi lain": 404,
    "daftar sinyal deteksi dini": 200,
    "impor riwayat kejadian": 403,  # Kesbangpol's administrator only
    "impor riwayat tanpa berkas": 403,
    "service worker": 200,
    "manifes aplikasi": 200,
    "halaman luring (tanpa data siapa pun)": 200,
    "ganti bahasa": REDIRECT,
    "dokumen OpenAPI": 200,
    "dokumentasi API": 200,
    "akar API": 404,
    "cari wilayah": 200,
    "satu wilayah": 200,
    "desa terdekat dari titik GPS": 200,
    "desa di kecamatan": 200,
    "kirim laporan lewat API": 201,  # anyone signed in may report, anywhere
    "daftar laporan lewat API": 200,
    "daftar sinyal lewat API": 200,  # each sees the signals of their own area (none of Paser's for PPU)
    "buka informan laporan tanpa informan lewat API": 404,
    "daftar insiden lewat API": 200,
    "daftar disposisi lewat API": 200,
    "metrik tanggapan lewat API": 200,
    "saran triase lewat API": 200,
    "koreksi triase lewat API": 201,
    "cap langsung lewat API": 200,
    "penetapan status lewat API": 200,
    "ekspor laporan lewat API": 200,
    "daftar peringatan lewat API": 200,
    "umpan atom peringatan lewat API": 200,
}


WALL_MEMBERS_X = frozenset({"ppu_analyst", "ppu_regent", "province_analyst", "governor"})


def _expected_x() -> dict[str, dict[str, Outcome]]:
    rows: dict[str, dict[str, Outcome]] = {
        name: everyone(out) for name, out in NOT_ABOUT_PASER_OBJECTS.items()
    }
    for key in FILED_BY_KEY:
        for name in (
            f"laporan insidentil PDF laporan {key}",
            f"halaman laporan {key}",
            f"laporan {key} lewat API",
        ):
            rows[name] = seen_by(who_sees_report_x(key), 200)
    for key in INCIDENTS:
        for name in (
            f"laporan insidentil PDF insiden {key}",
            f"halaman insiden {key}",
            f"insiden {key} lewat API",
        ):
            rows[name] = seen_by(who_sees_incident_x(key), 200)
    for key in ("disp_fkub", "disp_bnk_rahasia", "disp_timdu_lombok", "disp_tkd_rahasia"):
        rows[f"halaman disposisi {key}"] = seen_by(SEES_DISPOSITIONS_X, 200)
        rows[f"disposisi {key} lewat API"] = seen_by(SEES_DISPOSITIONS_X, 200)
    lombok = who_sees_report_x("lombok")
    bnk = who_sees_report_x("bnk")
    ins_lombok = who_sees_incident_x("ins_lombok")
    rows.update(
        {
            # Long Ikis's status is decided by Paser's TKD only: a refusal (the region is public).
            "tetapkan status wilayah": everyone(403),
            "tetapkan status wilayah lewat API": everyone(403),
            "cabut status wilayah lewat API": everyone(403),
            # Pages of a TKD's senior roles, for the work in their own area (none of it Paser's).
            "formulir peringatan": seen_by(TKD_SENIORS_X, 200, 403),
            # Two keys for a public alert (docs/exchange.md): the list of proposals is everyone's
            # own (none of them sees Paser's); Paser's waiting proposal is seen by its proposer and
            # Paser's TKD seniors only, so to them it does not exist, to read or to approve.
            "daftar usulan peringatan": everyone(200),
            "usulan peringatan publik yang menunggu": everyone(404),
            "setujui usulan peringatan publik (kunci kedua: ketua TKD, bukan pengusul)": everyone(404),
            "antrean verifikasi": seen_by(TKD_SENIORS_X, 200, 403),
            "halaman peringatan terbatas": seen_by(SEES_RESTRICTED_ALERT_X, 200),
            "dokumen CAP terbatas": seen_by(SEES_RESTRICTED_ALERT_X, 200),
            "dokumen CAP terbatas lewat API": seen_by(SEES_RESTRICTED_ALERT_X, 200),
            # Triage of Paser's objects: refused to all of them.
            "tetapkan tingkat insiden lewat halaman": refused_where_seen(ins_lombok),
            "ubah insiden yang sudah digabung lewat halaman": refused_where_seen(
                who_sees_incident_x("ins_kecamatan")
            ),
            "pratinjau disposisi": refused_where_seen(bnk),
            "pratinjau disposisi tanpa JavaScript": refused_where_seen(bnk),
            "bagikan laporan lewat halaman": refused_where_seen(lombok),
            "verifikasi laporan lewat API": refused_where_seen(bnk),
            "tolak laporan lewat API": refused_where_seen(bnk),
            "perbarui jumlah korban lewat API": refused_where_seen(bnk),
            "bagikan laporan lewat API": refused_where_seen(bnk),
            "buat disposisi lewat API": refused_where_seen(bnk),
            "gabungkan insiden lewat API": refused_where_seen(ins_lombok & who_sees_incident_x("ins_fkub")),
            "pisahkan insiden lewat API": refused_where_seen(
                ins_lombok & who_sees_report_x("lombok_kecamatan")
            ),
            "tetapkan tingkat insiden lewat API": refused_where_seen(ins_lombok),
            # Sharing an incident across the border is Paser's TKD's to give and to take back;
            # once shared, PPU's TKD reads it (a summary, rule 11) but cannot revoke the share.
            "bagikan insiden ke TKD tetangga lewat halaman": refused_where_seen(ins_lombok),
            "cabut berbagi insiden ke TKD tetangga lewat halaman": refused_where_seen(
                ins_lombok | {"ppu_analyst"}
            ),
            # Only the reporter attaches to her report.
            "lampirkan foto lewat API": refused_where_seen(lombok),
            # The informant: PPU's handler is not of the deciding TKD; nobody else is a handler.
            "buka informan lewat halaman": refused_where_seen(who_sees_report_x("rahasia")),
            "buka informan lewat API": refused_where_seen(who_sees_report_x("rahasia")),
            # Files open for whoever sees their report or disposition.
            "foto laporan lombok": seen_by(lombok, 200),
            "miniatur foto laporan lombok": seen_by(lombok, 200),
            "foto laporan lombok lewat API": seen_by(lombok, 200),
            "miniatur foto laporan lombok lewat API": seen_by(lombok, 200),
            "bukti tindak lanjut FKUB": seen_by(SEES_DISPOSITIONS_X, 200),
            "miniatur bukti tindak lanjut FKUB": seen_by(SEES_DISPOSITIONS_X, 200),
            "bukti tindak lanjut FKUB lewat API": seen_by(SEES_DISPOSITIONS_X, 200),
            "miniatur bukti tindak lanjut FKUB lewat API": seen_by(SEES_DISPOSITIONS_X, 200),
            # Acting on a Paser disposition: its forum's members and Paser's TKD only.
            "terima disposisi lewat halaman": refused_where_seen(SEES_DISPOSITIONS_X),
            "tugaskan disposisi lewat halaman": refused_where_seen(SEES_DISPOSITIONS_X),
            # The province's roll-up: the province's TKD and the Gubernur's Forkopimda open it
            # (docs/province.md); PPU's people and the province's FKDM are refused.
            "rekap provinsi": seen_by(frozenset({"province_analyst", "governor"}), 200, 403),
            "rekap provinsi lewat API": seen_by(frozenset({"province_analyst", "governor"}), 200, 403),
            # The wall: each TKD and Forkopimda member opens their own jurisdiction's (PPU's, the
            # province's); the others are refused; nobody of them makes display tokens.
            "layar situasi": seen_by(WALL_MEMBERS_X, 200, 403),
            "isi layar situasi": seen_by(WALL_MEMBERS_X, 200, 403),
            "buka layar dengan token tak dikenal": everyone(403),
            "token layar": everyone(403),
            "cabut token layar yang tidak ada": everyone(403),
            # Releasing Paser's Lapsit is Paser's TKD's (access_of(...).decides("64.01")): PPU's
            # analyst and the province's analyst are refused like everyone else (docs/briefs.md).
            "rilis laporan situasi ke provinsi": everyone(403),
            "rilis laporan situasi tanpa penilaian": everyone(403),
            # Paser's Lapsit draft is Paser's TKD's to write and its ketua's to approve: PPU's
            # analyst and the province's analyst are refused like everyone else.
            "konsep lapsit": everyone(403),
            "tulis analisa lapsit": everyone(403),
            "PDF konsep lapsit": everyone(403),
            "setujui lapsit yang belum ditulis": everyone(403),
            "ajukan lapsit yang belum ditulis": everyone(403),
            "kembalikan lapsit kepada analis": everyone(403),
            # The province Lapsit: the province TKD's senior roles; the Gubernur is refused.
            "laporan situasi provinsi": seen_by(frozenset({"province_analyst"}), 200, 403),
            "buat laporan situasi provinsi": seen_by(frozenset({"province_analyst"}), REDIRECT, 403),
            # ... and sends it to the Gubernur's Forkopimda (a copy each); the Gubernur cannot send.
            "kirim laporan situasi provinsi ke Forkopimda provinsi": seen_by(
                frozenset({"province_analyst"}), REDIRECT, 403
            ),
            # Signals: seen by the TKD seniors covering Long Ikis, reviewed by Paser's TKD only.
            "halaman sinyal": seen_by(SEES_SIGNAL_X, 200),
            "konfirmasi sinyal": refused_where_seen(SEES_SIGNAL_X),
            "konfirmasi sinyal sekaligus": refused_where_seen(SEES_SIGNAL_X),
            "sinyal lewat API": seen_by(SEES_SIGNAL_X, 200),
            "tinjau sinyal lewat API": refused_where_seen(SEES_SIGNAL_X),
        }
    )
    for verb in ("terima", "tindakan", "jeda", "lanjut", "selesai", "buka", "kembalikan", "tugaskan"):
        rows[f"disposisi {verb} lewat API"] = refused_where_seen(SEES_DISPOSITIONS_X)
    for verb in ("alihkan", "tarik"):
        rows[f"disposisi {verb} lewat API"] = refused_where_seen(SEES_DISPOSITIONS_X)
    return rows


EXPECTED_X = _expected_x()


def expected_x(case: Case, persona: str) -> Outcome:
    """The answer ``persona`` (of PPU or the province) gets for ``case`` in Paser's world."""
    if case.route.startswith("admin/"):
        # None of them is staff: the admin answers them as it answers any account without it.
        return case.expect["outsider"]
    return EXPECTED_X[case.name][persona]


def shows_reports_x(case: Case) -> dict[str, frozenset[str]] | None:
    """Which world reports ``case``'s answer names, for each of them (None: not checked)."""
    if case.shows_reports is None:
        return None
    if case.shows_reports is SEES_REPORTS:
        return SEES_REPORTS_X
    if case.shows_reports is SEES_DISPOSITIONS_OF:
        return SEES_DISPOSITIONS_OF_X
    incident = case.name.split()[-1] if case.name.split()[-1] in INCIDENTS else case.name.split()[-3]
    assert incident in INCIDENT_REPORTS, case.name
    return {p: SEES_REPORTS_X[p] & INCIDENT_REPORTS[incident] for p in OTHER_PERSONAS}


def shows_incidents_x(case: Case) -> dict[str, frozenset[str]] | None:
    if case.shows_incidents is None:
        return None
    assert case.shows_incidents is SEES_INCIDENTS, case.name
    return SEES_INCIDENTS_X


def secrets_x(persona: str) -> dict[str, str]:
    """What must not appear in an answer to ``persona``: text → why. None of them ever reads the
    Paser informant (PPU's analyst is a handler, but not of Paser's TKD)."""
    secrets = {
        INFORMANT_NAME.lower(): "nama informan",
        INFORMANT_CONTACT: "kontak informan",
        INFORMANT_CONTACT.replace("-", ""): "kontak informan",
    }
    for filed in FILED:
        if filed.key not in SEES_REPORTS_X[persona]:
            secrets[filed.title.lower()] = f"judul laporan Paser {filed.key} yang tidak boleh dilihat"
        if filed.key not in SEES_EXACT_SPOT_X[persona]:
            secrets[_fraction_digits(filed.latitude)] = f"lintang titik laporan {filed.key}"
            secrets[_fraction_digits(filed.longitude)] = f"bujur titik laporan {filed.key}"
            secrets[filed.where_detail.lower()] = f"keterangan tempat laporan {filed.key}"
    return secrets


# ---------------------------------------------------------------------------------------------
# The world: the matrix's, with PPU and the province beside it
# ---------------------------------------------------------------------------------------------

PPU_TITLE = "Bentrok nelayan dan kapal tongkang di Teluk Balikpapan sisi Penajam"


def _build_world_x() -> World:
    world = _build_world()
    paser = Region.objects.get(code="64.01")
    load_kaltim()
    world.people.update(ensure_other_personas(paser))
    ppu_desa = world.people["ppu_reporter"].home_region
    assert ppu_desa is not None and ppu_desa.code.startswith(NEIGHBOUR_REGENCY_CODE + ".")
    ppu = submit(world.people["ppu_reporter"], title=PPU_TITLE, region_code=ppu_desa.code).report
    verify_report(report=ppu, by=world.people["ppu_analyst"])
    world.ids["ppu_report"] = ppu.reference
    return world


@pytest.fixture(scope="module")
def world_x(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world_x()
        yield built
        transaction.set_rollback(True)


def _params(cases: list[Case], personas: tuple[str, ...] = OTHER_PERSONAS) -> list[Any]:
    return [
        pytest.param(case, persona, id=f"{persona}:{case.name}") for case in cases for persona in personas
    ]


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_every_row_of_the_matrix_has_an_answer_for_each_other_jurisdiction() -> None:
    """A row added to the matrix must say what PPU's and the province's people get too."""
    rows = {case.name for case in CASES if not case.route.startswith("admin/")}
    assert sorted(rows - set(EXPECTED_X)) == [], "rows without an answer for PPU and the province"
    assert sorted(set(EXPECTED_X) - rows) == [], "answers for rows the matrix no longer has"
    assert all(set(EXPECTED_X[name]) == set(OTHER_PERSONAS) for name in rows)


@pytest.mark.parametrize(("case", "persona"), _params(CASES))
def test_each_persona_of_another_jurisdiction_gets_the_answer_the_rules_give(
    world_x: World, case: Case, persona: str
) -> None:
    answer = ask(world_x, case, persona)
    expected = expected_x(case, persona)
    assert answer.outcome == expected, f"{answer.outcome!r}, not {expected!r}: {answer.body[:300]}"


@pytest.mark.parametrize(("case", "persona"), _params(CASES))
def test_no_answer_to_another_jurisdiction_shows_a_hidden_paser_report_spot_or_informant(
    world_x: World, case: Case, persona: str
) -> None:
    answer = ask(world_x, case, persona)
    assert leaks_in(answer.body, secrets_x(persona)) == []


LISTING_CASES = [case for case in CASES if case.shows_reports or case.shows_incidents]


@pytest.mark.parametrize(("case", "persona"), _params(LISTING_CASES))
def test_lists_name_exactly_the_paser_reports_and_incidents_the_other_jurisdiction_may_see(
    world_x: World, case: Case, persona: str
) -> None:
    answer = ask(world_x, case, persona)
    reports, incidents = shows_reports_x(case), shows_incidents_x(case)
    if reports is not None:
        assert named_in(answer.body, {key: world_x.ids[key] for key in FILED_BY_KEY}) == reports[persona]
    if incidents is not None:
        assert named_in(answer.body, {key: world_x.ids[key] for key in INCIDENTS}) == incidents[persona]


@pytest.mark.parametrize(
    ("case", "persona"),
    [
        pytest.param(case, persona, id=f"{persona}:{case.name}")
        for case in CASES
        for persona in OTHER_PERSONAS
        if case.report in SEES_EXACT_SPOT_X[persona]
    ],
)
def test_the_province_analyst_does_see_the_exact_spot(world_x: World, case: Case, persona: str) -> None:
    """The other side of the leak check, as the matrix does it for Paser's TKD."""
    filed = FILED_BY_KEY[str(case.report)]
    body = ask(world_x, case, persona).body
    assert _fraction_digits(filed.latitude) in body
    assert _fraction_digits(filed.longitude) in body


@pytest.mark.parametrize(("case", "persona"), _params(LISTING_CASES, PASER_PERSONAS))
def test_no_list_of_a_paser_persona_names_the_ppu_report(world_x: World, case: Case, persona: str) -> None:
    """The other direction: Paser's people (its TKD too) see nothing of Penajam Paser Utara."""
    body = ask(world_x, case, persona).body
    assert world_x.ids["ppu_report"] not in body
    assert PPU_TITLE.lower() not in body.lower()


@pytest.mark.parametrize("persona", ["ppu_analyst", "province_analyst"])
def test_the_lists_of_ppu_and_the_province_do_name_the_ppu_report(world_x: World, persona: str) -> None:
    """The control of the check above: where the PPU report may be seen, the lists name it."""
    for case in [case for case in LISTING_CASES if case.shows_reports is SEES_REPORTS]:
        assert world_x.ids["ppu_report"] in ask(world_x, case, persona).body, case.name


@pytest.mark.parametrize("persona", ["ppu_analyst", "province_analyst"])
def test_the_verification_queue_of_another_tkd_holds_no_paser_report(world_x: World, persona: str) -> None:
    """The queue is the work to triage: Paser's unverified reports are Paser's TKD's, not theirs."""
    queue = next(case for case in CASES if case.name == "antrean verifikasi")
    body = ask(world_x, queue, persona).body
    assert named_in(body, {key: world_x.ids[key] for key in FILED_BY_KEY}) == NOTHING
    paser_queue = ask(world_x, queue, "kesbangpol_analyst").body
    assert named_in(paser_queue, {key: world_x.ids[key] for key in FILED_BY_KEY}) != NOTHING


FILE_API_CASES = [case for case in CASES if "/attachments/{" in case.route or "/proofs/{" in case.route]


@pytest.mark.parametrize("case", FILE_API_CASES, ids=lambda case: case.name)
def test_a_token_of_another_jurisdiction_opens_the_files_its_person_may_see_and_no_other(
    world_x: World, case: Case
) -> None:
    if case.arrange is not None:
        case.arrange(world_x)
    path = _fill(case.path, world_x.ids)
    answers = {}
    for persona in OTHER_PERSONAS:
        _token, raw = create_token(person=world_x.people[persona], name="Matriks", by=None)
        answers[persona] = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
    assert answers == {persona: expected_x(case, persona) for persona in OTHER_PERSONAS}
