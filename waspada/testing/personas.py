"""The named people every test (and the demo) uses, defined once as data.

Each persona is a realistic member of the Paser early-warning group with one seat, so that
permission checks can be written as "the FKUB officer does not see this". The tests get them
as pytest fixtures (root ``conftest.py``); ``waspada demo`` creates the same people with its
own password. Creating them is idempotent: an existing account is brought back to its
definition (password, admin flag, seat) and nothing is duplicated.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from waspada.forums.actions import add_membership, change_role, create_forum, forum_code
from waspada.forums.models import Forum, ForumKind, ForumLevel, Membership, Role
from waspada.people.actions import create_person, set_kesbangpol_admin, set_person_password, update_person
from waspada.people.models import Person
from waspada.regions.models import Level, Region

PERSONA_PASSWORD = "Waspada-Uji-2026!"  # noqa: S105 - the shared password of test personas

# Long Ikis, the district the seed's examples come from, and Lombok, one of its villages.
PERSONA_KECAMATAN_SUFFIX = "06"
PERSONA_DESA_NAME = "Lombok"


@dataclass(frozen=True)
class Persona:
    key: str  # the fixture name
    username: str
    full_name: str
    position: str
    description: str  # what the demo prints next to the account
    forum_kind: str | None  # None: no seat (the outsider)
    forum_level: str = ForumLevel.KABUPATEN
    role: str = Role.ANGGOTA
    is_kesbangpol_admin: bool = False
    # Where the seat is when it is not the regency the personas are made for: a kabupaten code
    # ("64.09", the neighbouring regency) or a province code ("64", Kalimantan Timur).
    region_code: str | None = None
    is_informant_handler: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@waspada.test"


PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="desa_reporter",
        username="reporter.lombok",
        full_name="Siti Rahmawati",
        position="Anggota FKDM Desa Lombok",
        description="pelapor FKDM tingkat desa (Desa Lombok, Long Ikis)",
        forum_kind=ForumKind.FKDM,
        forum_level=ForumLevel.DESA,
        role=Role.ANGGOTA,
    ),
    Persona(
        key="kecamatan_fkdm_chair",
        username="ketua.fkdm.longikis",
        full_name="Muhammad Yusuf",
        position="Ketua FKDM Kecamatan Long Ikis",
        description="ketua FKDM Kecamatan Long Ikis",
        forum_kind=ForumKind.FKDM,
        forum_level=ForumLevel.KECAMATAN,
        role=Role.KETUA,
    ),
    Persona(
        key="kesbangpol_analyst",
        username="analis.kesbangpol",
        full_name="Rina Marlina",
        position="Analis Kebijakan, Badan Kesbangpol",
        description="analis Tim Kewaspadaan Dini (Kesbangpol)",
        forum_kind=ForumKind.TKD,
        role=Role.ANALIS,
    ),
    Persona(
        key="kesbangpol_admin",
        username="admin.kesbangpol",
        full_name="Andi Pratama",
        position="Sekretaris Badan Kesbangpol",
        description="admin Kesbangpol, sekretaris Tim Kewaspadaan Dini",
        forum_kind=ForumKind.TKD,
        role=Role.SEKRETARIS,
        is_kesbangpol_admin=True,
    ),
    Persona(
        key="tkd_head",
        username="ketua.tkd",
        full_name="Yohanes Saragih",
        position="Kepala Badan Kesbangpol, Ketua Tim Kewaspadaan Dini",
        description="ketua Tim Kewaspadaan Dini (diberi tahu bila verifikasi terlambat)",
        forum_kind=ForumKind.TKD,
        role=Role.KETUA,
    ),
    Persona(
        key="fkub_officer",
        username="anggota.fkub",
        full_name="Ketut Wirawan",
        position="Anggota FKUB",
        description="anggota Forum Kerukunan Umat Beragama",
        forum_kind=ForumKind.FKUB,
    ),
    Persona(
        key="bnk_officer",
        username="anggota.bnk",
        full_name="Dewi Lestari",
        position="Penyuluh Narkoba, BNK",
        description="anggota Badan Narkotika Kabupaten",
        forum_kind=ForumKind.BNK,
    ),
    Persona(
        key="regent",
        username="bupati",
        full_name="Hendra Gunawan",
        position="Bupati",
        description="bupati, pimpinan Forkopimda",
        forum_kind=ForumKind.FKPD,
        role=Role.PIMPINAN,
    ),
    Persona(
        key="outsider",
        username="warga.luar",
        full_name="Bambang Sutrisno",
        position="",
        description="akun tanpa forum (untuk menguji penolakan akses)",
        forum_kind=None,
    ),
)

# A second regency of the same province, Penajam Paser Utara (Paser's northern neighbour), and
# the province, Kalimantan Timur: the people who must not see across a jurisdiction, and those
# who see the province's roll-up. Not created by the stock demo (its regions are Paser's only).
NEIGHBOUR_REGENCY_CODE = "64.09"
PROVINCE_CODE = "64"

OTHER_JURISDICTION_PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="ppu_analyst",
        username="analis.ppu",
        full_name="Fajar Nugroho",
        position="Analis, Badan Kesbangpol Penajam Paser Utara",
        description="analis Tim Kewaspadaan Dini Kabupaten Penajam Paser Utara (penangan informan)",
        forum_kind=ForumKind.TKD,
        role=Role.ANALIS,
        region_code=NEIGHBOUR_REGENCY_CODE,
        is_informant_handler=True,
    ),
    Persona(
        key="ppu_regent",
        username="bupati.ppu",
        full_name="Agus Salim",
        position="Bupati Penajam Paser Utara",
        description="bupati Penajam Paser Utara, pimpinan Forkopimda",
        forum_kind=ForumKind.FKPD,
        role=Role.PIMPINAN,
        region_code=NEIGHBOUR_REGENCY_CODE,
    ),
    Persona(
        key="ppu_reporter",
        username="pelapor.ppu",
        full_name="Nur Aini",
        position="Anggota FKDM desa, Penajam Paser Utara",
        description="pelapor FKDM tingkat desa di Penajam Paser Utara",
        forum_kind=ForumKind.FKDM,
        forum_level=ForumLevel.DESA,
        region_code=NEIGHBOUR_REGENCY_CODE,
    ),
    Persona(
        key="province_analyst",
        username="analis.kaltim",
        full_name="Maria Ulfa",
        position="Analis, Badan Kesbangpol Provinsi Kalimantan Timur",
        description="analis Tim Kewaspadaan Dini Provinsi Kalimantan Timur",
        forum_kind=ForumKind.TKD,
        forum_level=ForumLevel.PROVINSI,
        role=Role.ANALIS,
        region_code=PROVINCE_CODE,
    ),
    Persona(
        key="province_fkdm_chair",
        username="ketua.fkdm.kaltim",
        full_name="Rudi Hartono",
        position="Ketua FKDM Provinsi Kalimantan Timur",
        description="ketua FKDM Provinsi Kalimantan Timur",
        forum_kind=ForumKind.FKDM,
        forum_level=ForumLevel.PROVINSI,
        role=Role.KETUA,
        region_code=PROVINCE_CODE,
    ),
    Persona(
        key="governor",
        username="gubernur",
        full_name="Lukas Bonar",
        position="Gubernur Kalimantan Timur",
        description="gubernur, pimpinan Forkopimda provinsi",
        forum_kind=ForumKind.FKPD,
        forum_level=ForumLevel.PROVINSI,
        role=Role.PIMPINAN,
        region_code=PROVINCE_CODE,
    ),
)

PERSONAS_BY_KEY: dict[str, Persona] = {
    persona.key: persona for persona in (*PERSONAS, *OTHER_JURISDICTION_PERSONAS)
}


@dataclass(frozen=True)
class PersonaSet:
    """All personas at once, by name, for tests that run one check as everybody."""

    desa_reporter: Person
    kecamatan_fkdm_chair: Person
    kesbangpol_analyst: Person
    kesbangpol_admin: Person
    tkd_head: Person
    fkub_officer: Person
    bnk_officer: Person
    regent: Person
    outsider: Person

    def all(self) -> dict[str, Person]:
        return {persona.key: getattr(self, persona.key) for persona in PERSONAS}


@functools.lru_cache(maxsize=8)
def _password_hash(password: str) -> str:
    """Hash a persona password once per process.

    Argon2 is deliberately slow (about 0.2 s); hashing it for every persona of every test
    would dominate the test run. Personas share one hash of the same password, which is
    harmless for accounts whose password is published anyway.
    """
    validate_password(password)
    return make_password(password)


def persona_kecamatan(regency: Region) -> Region:
    """The kecamatan the district personas sit in: Long Ikis in Paser, else the first one."""
    kecamatan = regency.children.filter(level=Level.KECAMATAN).order_by("code")
    preferred = kecamatan.filter(code=f"{regency.code}.{PERSONA_KECAMATAN_SUFFIX}").first()
    found = preferred or kecamatan.first()
    if found is None:
        raise ValueError(f"{regency} has no kecamatan loaded")
    return found


def persona_desa(regency: Region) -> Region:
    """The village of the village reporter: Desa Lombok in Long Ikis, else the district's first desa."""
    kecamatan = persona_kecamatan(regency)
    villages = kecamatan.children.filter(level=Level.DESA).order_by("code")
    found = villages.filter(name=PERSONA_DESA_NAME).first() or villages.filter(type="desa").first()
    if found is None:
        raise ValueError(f"{kecamatan} has no desa loaded")
    return found


def _region_for(persona: Persona, regency: Region) -> Region:
    if persona.region_code is not None:
        regency = Region.objects.get(code=persona.region_code)
        if persona.forum_level == ForumLevel.PROVINSI:
            return regency
    if persona.forum_level == ForumLevel.KECAMATAN:
        return persona_kecamatan(regency)
    if persona.forum_level == ForumLevel.DESA:
        return persona_desa(regency)
    return regency


def _forum_for(persona: Persona, regency: Region) -> Forum | None:
    """The persona's forum: a default forum of the regency, or the village FKDM (created here,
    because village FKDMs exist only where formed and are not among the defaults)."""
    if persona.forum_kind is None:
        return None
    region = _region_for(persona, regency)
    code = forum_code(persona.forum_kind, region)
    forum = Forum.objects.filter(code=code).first()
    if forum is not None:
        return forum
    if persona.forum_level != ForumLevel.DESA:
        raise LookupError(f"forum {code} is missing: run ensure_default_forums(regency={regency.code}) first")
    return create_forum(
        name=f"FKDM {region.label}",
        kind=persona.forum_kind,
        level=ForumLevel.DESA,
        jurisdiction=region,
        remit="Anggota masyarakat desa yang melaporkan; tidak menangani perkara.",
        by=None,
    )


def ensure_persona(key: str, *, regency: Region, password: str = PERSONA_PASSWORD) -> Person:
    """Create the persona named ``key`` (or bring it back to its definition) and return it.

    Preconditions: the regency's regions are loaded and ``ensure_default_forums`` has run (for a
    persona of another jurisdiction: that regency's or province's forums, ``ensure_province_forums``).
    """
    persona = PERSONAS_BY_KEY[key]
    encoded = _password_hash(password)
    with transaction.atomic():
        person = Person.objects.filter(username=persona.username).first()
        if person is None:
            person = create_person(
                username=persona.username,
                full_name=persona.full_name,
                email=persona.email,
                password_hash=encoded,
                position=persona.position,
                home_region=_region_for(persona, regency) if persona.forum_kind else None,
                is_kesbangpol_admin=persona.is_kesbangpol_admin,
            )
            if persona.is_informant_handler:
                person = update_person(person=person, is_informant_handler=True, by=None)
        else:
            if not person.check_password(password):
                # The demo's password may differ from the one of an earlier run.
                person = set_person_password(person=person, password=password, by=None)
            if person.is_kesbangpol_admin != persona.is_kesbangpol_admin:
                person = set_kesbangpol_admin(person=person, value=persona.is_kesbangpol_admin, by=None)
        forum = _forum_for(persona, regency)
        if forum is not None:
            seat = Membership.objects.filter(person=person, forum=forum, ended_at__isnull=True).first()
            if seat is None:
                add_membership(person=person, forum=forum, role=persona.role, by=None)
            elif seat.role != persona.role:
                change_role(membership=seat, role=persona.role, by=None)
    return person


def ensure_all_personas(*, regency: Region, password: str = PERSONA_PASSWORD) -> PersonaSet:
    """Every persona, for the ``personas`` fixture."""
    return PersonaSet(
        **{
            persona.key: ensure_persona(persona.key, regency=regency, password=password)
            for persona in PERSONAS
        }
    )


def create_demo_personas(*, regency: Region, password: str) -> list[tuple[Person, str]]:
    """Every persona, created or brought up to date, with a one-line description for printing.

    Used by ``waspada demo``; idempotent, so running the demo twice duplicates nothing.
    """
    return [
        (ensure_persona(persona.key, regency=regency, password=password), persona.description)
        for persona in PERSONAS
    ]


def create_other_jurisdiction_demo_personas(*, regency: Region, password: str) -> list[tuple[Person, str]]:
    """The personas of the neighbouring regency and of the province whose forums exist here.

    Used by ``waspada demo --regency 64.01 --regency 64.09``: a persona whose regency or province
    was not loaded (so whose forum does not exist) is skipped, not an error. ``regency`` is the
    demo's first regency (the one the Paser personas sit in). Idempotent.
    """
    created = []
    for persona in OTHER_JURISDICTION_PERSONAS:
        # the regency's (or province's) own forums say whether it was loaded; a village FKDM
        # is created with its persona
        if not Forum.objects.filter(jurisdiction_id=persona.region_code or regency.code).exists():
            continue
        created.append((ensure_persona(persona.key, regency=regency, password=password), persona.description))
    return created
