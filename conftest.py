"""Fixtures shared by every test in the project: Kabupaten Paser, the personas, a real SMTP server.

Personas (defined in waspada/testing/personas.py) all log in with ``PERSONA_PASSWORD``:

    desa_reporter         anggota of the FKDM of Desa Lombok (Kecamatan Long Ikis)
    kecamatan_fkdm_chair  ketua of FKDM-640106 (Kecamatan Long Ikis)
    kesbangpol_analyst    analis in TKD-6401
    kesbangpol_admin      sekretaris in TKD-6401, Kesbangpol administrator (admin site)
    tkd_head              ketua of TKD-6401 (told when a report is late for verification)
    fkub_officer          anggota of FKUB-6401
    bnk_officer           anggota of BNK-6401
    regent                pimpinan of FKPD-6401
    outsider              an account with no forum
    personas              all of the above, e.g. ``personas.regent`` or ``personas.all()``
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from waspada.forums.defaults import ensure_default_forums, ensure_province_forums
from waspada.people.models import Person
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.response.defaults import ensure_defaults as ensure_response_defaults
from waspada.testing.browser import chromium, phone  # noqa: F401 - one Playwright session for all
from waspada.testing.personas import (
    NEIGHBOUR_REGENCY_CODE,
    PROVINCE_CODE,
    PersonaSet,
    ensure_all_personas,
    ensure_persona,
)
from waspada.testing.replica import ENV as REPLICA_ENV
from waspada.testing.replica import StreamingReplica
from waspada.testing.smtp import SmtpServer, running_smtp_server
from waspada.testing.two_factor import logins_complete_the_second_factor


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """On SQLite the test database is a file in a temporary folder, as in production (WAL, a busy
    timeout), not Django's shared in-memory database.

    With an in-memory database the live server's request threads all borrow the test thread's
    one connection; pages polling every second while a form was posted then failed with "cannot
    open savepoint - SQL statements in progress", and a run once hung there until CI's limit.
    With a file each thread opens its own connection and SQLite's locking orders them.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _static_files_without_a_manifest(settings: Settings) -> None:
    """Render pages without running collectstatic first.

    The production storage looks every {% static %} file up in the manifest collectstatic
    writes; tests render pages from the source folders instead.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _each_test_starts_in_indonesian() -> Iterator[None]:
    """The active language is per thread: a test that switched to English (a page with
    ``Accept-Language: en``) must not leave the next test's messages in English."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _test_client_logins_pass_the_second_step() -> Iterator[None]:
    """``client.login()``/``force_login()`` log a person in completely, both steps, as if they had
    typed a valid code (analysts and administrators must use a second factor). Tests of the
    two-step login itself use the login page; see waspada/testing/two_factor.py."""
    with logins_complete_the_second_factor():
        yield


@pytest.fixture
def paser(db: None) -> Region:
    """Kabupaten Paser (64.01) with its 10 kecamatan and 144 villages, and its default forums."""
    load_bundled_regions("64.01")
    regency = Region.objects.get(code="64.01")
    ensure_default_forums(regency=regency)
    # The routing rules and deadlines come with a data migration; a test that flushed the
    # database (transaction=True) needs them back.
    ensure_response_defaults()
    return regency


@pytest.fixture
def kaltim(paser: Region) -> Region:
    """A second regency and the province beside Paser: Penajam Paser Utara (64.09) with its
    kecamatan, villages and default forums, and Kalimantan Timur's own forums (TKD, FKDM and
    Forkopimda provinsi). Returns the province (64)."""
    load_bundled_regions(NEIGHBOUR_REGENCY_CODE)
    ensure_default_forums(regency=Region.objects.get(code=NEIGHBOUR_REGENCY_CODE))
    province = Region.objects.get(code=PROVINCE_CODE)
    ensure_province_forums(province=province)
    return province


@pytest.fixture
def ppu_analyst(kaltim: Region, paser: Region) -> Person:
    """Analyst of the neighbouring regency's TKD, and an informant handler there."""
    return ensure_persona("ppu_analyst", regency=paser)


@pytest.fixture
def ppu_regent(kaltim: Region, paser: Region) -> Person:
    return ensure_persona("ppu_regent", regency=paser)


@pytest.fixture
def ppu_reporter(kaltim: Region, paser: Region) -> Person:
    return ensure_persona("ppu_reporter", regency=paser)


@pytest.fixture
def province_analyst(kaltim: Region, paser: Region) -> Person:
    return ensure_persona("province_analyst", regency=paser)


@pytest.fixture
def province_fkdm_chair(kaltim: Region, paser: Region) -> Person:
    return ensure_persona("province_fkdm_chair", regency=paser)


@pytest.fixture
def governor(kaltim: Region, paser: Region) -> Person:
    return ensure_persona("governor", regency=paser)


@pytest.fixture
def desa_reporter(paser: Region) -> Person:
    return ensure_persona("desa_reporter", regency=paser)


@pytest.fixture
def kecamatan_fkdm_chair(paser: Region) -> Person:
    return ensure_persona("kecamatan_fkdm_chair", regency=paser)


@pytest.fixture
def kesbangpol_analyst(paser: Region) -> Person:
    return ensure_persona("kesbangpol_analyst", regency=paser)


@pytest.fixture
def kesbangpol_admin(paser: Region) -> Person:
    return ensure_persona("kesbangpol_admin", regency=paser)


@pytest.fixture
def tkd_head(paser: Region) -> Person:
    return ensure_persona("tkd_head", regency=paser)


@pytest.fixture
def fkub_officer(paser: Region) -> Person:
    return ensure_persona("fkub_officer", regency=paser)


@pytest.fixture
def bnk_officer(paser: Region) -> Person:
    return ensure_persona("bnk_officer", regency=paser)


@pytest.fixture
def regent(paser: Region) -> Person:
    return ensure_persona("regent", regency=paser)


@pytest.fixture
def outsider(paser: Region) -> Person:
    return ensure_persona("outsider", regency=paser)


@pytest.fixture
def personas(paser: Region) -> PersonaSet:
    return ensure_all_personas(regency=paser)


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), with Django's email settings pointed at it."""
    with running_smtp_server() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
        yield server


@pytest.fixture
def streaming_replica(settings: Settings) -> Iterator[StreamingReplica]:
    """The running PostgreSQL standby that ``DATABASE_REPLICA_URL`` points at, with the router's
    checks made at every read (no cached health) and a lag budget of a minute (tests lower it).

    The standby belongs to a primary started for the run by ``python -m waspada.testing.replica``
    (``scripts/test`` does it); without one the test is skipped, naming the command. Replay is
    resumed and the standby started again after the test, whatever the test did to it.
    """
    import os

    from waspada.core.dbrouter import forget_replica_health

    state = os.environ.get(REPLICA_ENV)
    if not state or "replica" not in settings.DATABASES:
        pytest.skip(
            "no streaming replica: run `python -m waspada.testing.replica .venv/bin/pytest PATH` "
            "(scripts/test does)"
        )
    pair = StreamingReplica.from_env(state)
    settings.REPLICA_LAG_BUDGET = 60
    settings.REPLICA_CHECK_INTERVAL = 0
    forget_replica_health()
    pair.wait_caught_up()
    yield pair
    from pathlib import Path

    if not Path(pair.standby_dir, "postmaster.pid").exists():
        pair.start_standby()
    pair.resume_replay()
    forget_replica_health()
