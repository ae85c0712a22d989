"""Back up one installation, restore it on a fresh one, and everything is there, byte for byte.

The source is the test run's own database (SQLite or PostgreSQL). The fresh installation is a
new data folder with a new database of the same engine, and of the other engine too (a SQLite
backup restores onto PostgreSQL and back), migrated and restored by the real `waspada`
command in its own process with the source's encryption key.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from waspada.ops.tests.backup_helpers import (
    backup_key,
    clean_env,
    encryption_keys,
    fresh_postgres_database,
    must,
    snapshot_of,
    state_snapshot,
    waspada,
)
from waspada.reports.actions import attach_file, reject_report, verify_report
from waspada.reports.tests.factories import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db

SECRET_INFORMANT = "Pak Rahmat (tokoh adat Lombok)"
SECRET_CONTACT = "0812-5555-0199"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 20), "teal").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def installation_in_use(
    settings, tmp_path, desa_reporter, kesbangpol_analyst, fkub_officer
) -> dict[str, Any]:
    """Reports in every state, photos, a secret and an open informant, dispositions, audit entries."""
    settings.MEDIA_ROOT = tmp_path / "media-sumber"
    secret = submit(
        desa_reporter,
        title="Isu sengketa lahan adat memanas",
        informant_name=SECRET_INFORMANT,
        informant_contact=SECRET_CONTACT,
        informant_secret=True,
        latitude=-1.8712345678,
        longitude=116.1987654321,
    ).report
    open_source = submit(
        fkub_officer,
        title="Penolakan rumah ibadah",
        isu="agama",
        informant_name="Ibu Warsini",
        informant_secret=False,
    ).report
    awas = submit(desa_reporter, title="Bentrok di jalan hauling", alert_level="awas").report
    rejected = submit(desa_reporter, title="Kabar burung", alert_level="normal").report

    attach_file(report=secret, uploader=desa_reporter, data=jpeg_with_gps(), original_name="lokasi.jpg")
    attach_file(report=secret, uploader=desa_reporter, data=_png(), original_name="sketsa.png")
    incident = verify_report(report=secret, by=kesbangpol_analyst, title="Sengketa lahan adat Lombok")
    verify_report(report=open_source, by=kesbangpol_analyst)
    verify_report(report=awas, by=kesbangpol_analyst, incident=incident)
    reject_report(report=rejected, by=kesbangpol_analyst, reason="Tidak dapat dikonfirmasi di lapangan")
    return {"secret": secret, "incident": incident}


def _other_engine() -> str:
    return "sqlite" if connection.vendor == "postgresql" else "postgresql"


@pytest.mark.parametrize("target", ["same", "other"])
def test_every_report_attachment_audit_entry_and_secret_informant_comes_back(
    installation_in_use, tmp_path: Path, target: str
) -> None:
    engine = connection.vendor if target == "same" else _other_engine()
    source = json.loads(json.dumps(state_snapshot()))
    # The test would prove nothing on an empty installation.
    assert len(source["tables"]["reports.report"]) == 4
    assert len(source["files"]) == 2
    secret_informant = {"name": SECRET_INFORMANT, "contact": SECRET_CONTACT, "secret": True}
    assert {"report": installation_in_use["secret"].pk, **secret_informant} in source["informants"]
    assert source["audit"]["ok"] and source["audit"]["checked"] > 10
    assert any(row["status"] == "ditolak" for row in source["tables"]["reports.report"])
    assert source["tables"]["response.disposition"]

    out = io.StringIO()
    call_command("backup", output=f"{tmp_path}/cadangan/", stdout=out)
    archives = list((tmp_path / "cadangan").glob("waspada-cadangan-*.tar.gz"))
    assert len(archives) == 1, out.getvalue()
    archive = archives[0]
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = tar.getnames()
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers())  # type: ignore[union-attr]
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["migrations"]["audit"] == ["0001_initial", "0002_append_only_guards"]
    assert {t["model"]: t["rows"] for t in manifest["tables"]}["reports.report"] == 4
    assert set(manifest["files"]) == set(names) - {"manifest.json", "manifest.sig"}
    # Neither the encryption key nor the secret key, nor the informant in clear text, is in the archive.
    for secret in [*encryption_keys().split(","), str(settings.SECRET_KEY), backup_key()]:
        assert secret.encode() not in everything
    assert SECRET_INFORMANT.encode() not in everything

    data = tmp_path / "baru"
    if engine == "postgresql":
        with fresh_postgres_database() as url:
            env = clean_env(
                WASPADA_DATA_DIR=str(data),
                DATABASE_URL=url,
                WASPADA_ENCRYPTION_KEY=encryption_keys(),
                WASPADA_BACKUP_KEY=backup_key(),
            )
            restored = _restore(env, archive, source)
    else:
        env = clean_env(
            WASPADA_DATA_DIR=str(data),
            WASPADA_ENCRYPTION_KEY=encryption_keys(),
            WASPADA_BACKUP_KEY=backup_key(),
        )
        restored = _restore(env, archive, source)

    assert restored["audit"]["ok"]
    assert restored["files"] == source["files"]
    assert restored["informants"] == source["informants"]
    assert restored["audit"] == source["audit"]
    for label, rows in source["tables"].items():
        assert restored["tables"][label] == rows, label
    assert restored == source


def _restore(env: dict[str, str], archive: Path, source: dict[str, Any]) -> dict[str, Any]:
    must(waspada("migrate", "--verbosity", "0", env=env))
    result = must(waspada("restore", str(archive), env=env))
    assert "Arsip utuh" in result.stdout
    assert "Jejak audit utuh" in result.stdout
    verified = must(waspada("audit", "verify", env=env))
    assert "Jejak audit utuh" in verified.stdout
    # the reports rollup came back with the reports it counts (reports/rollups.py)
    must(waspada("rebuild_rollups", "--check", env=env))
    restored = snapshot_of(env)

    # It is now an installation in use: a second restore is refused unless forced.
    again = waspada("restore", str(archive), env=env)
    assert again.returncode == 1
    assert "sudah berisi data" in again.stderr and "--force" in again.stderr
    must(waspada("restore", "--force", str(archive), env=env))
    assert snapshot_of(env) == restored

    # New work continues the numbering and the audit chain.
    code = (
        "import django; django.setup();"
        "from waspada.people.models import Person;"
        "from waspada.reports.tests.factories import submit;"
        "report = submit(Person.objects.get(username='reporter.lombok')).report;"
        "print(report.pk, report.reference)"
    )
    after = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "waspada.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert after.returncode == 0, after.stderr
    new_pk, new_reference = after.stdout.split()[-2:]
    reports = source["tables"]["reports.report"]
    assert int(new_pk) == max(row["id"] for row in reports) + 1
    assert new_reference > max(row["reference"] for row in reports)
    must(waspada("audit", "verify", env=env))
    return restored
