"""`waspada demo`: a ready-to-try installation for Kabupaten Paser on SQLite, then serve it.

Steps, in order, each idempotent so that running the demo twice duplicates nothing:
1. migrate the database (SQLite in the data folder unless DATABASE_URL is set);
2. load Kabupaten Paser's regions from the bundled Kemendagri code list (``--country`` loads all);
3. create the default forums of the regency, with one FKDM per kecamatan;
4. create one demo person per persona, with a known password, and print the credentials;
5. file the sample reports (``waspada.reports.samples``), some verified into incidents;
6. start the web server and the background worker and wait until Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from waspada.forums.defaults import ensure_default_forums
from waspada.forums.models import Forum
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Level, Region
from waspada.reports.models import Incident, Report
from waspada.reports.samples import ensure_sample_reports
from waspada.response.defaults import ensure_defaults as ensure_response_defaults
from waspada.security.two_factor import requires_second_factor
from waspada.testing.personas import PERSONAS, create_demo_personas

DEMO_PASSWORD = "Waspada-Demo-2026"  # noqa: S105 - printed on purpose: this is the demo


class Command(BaseCommand):
    help = "Menyiapkan dan menjalankan demo Kabupaten Paser / set up and run the Paser demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regency", default=settings.WASPADA_HOME_REGION, help="Kode kabupaten (64.01).")
        parser.add_argument("--country", action="store_true", help="Muat seluruh wilayah Indonesia.")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Siapkan data saja, jangan jalankan server."
        )

    def handle(
        self, *args: Any, regency: str, country: bool, bind: str, no_serve: bool, **options: Any
    ) -> None:
        self.stdout.write(f"Basis data / database: {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("✓ Migrasi basis data selesai / database migrated"))

        result = load_bundled_regions(None if country else regency)
        self.stdout.write(self.style.SUCCESS(f"✓ Wilayah dimuat / regions loaded: {result.summary()}"))
        try:
            regency_region = Region.objects.get(code=regency, level=Level.KABUPATEN)
        except Region.DoesNotExist as exc:
            raise CommandError(f"Kabupaten {regency} tidak ditemukan dalam daftar kode wilayah.") from exc
        kecamatan = regency_region.children.count()
        villages = Region.objects.within(regency_region).filter(level=Level.DESA).count()
        self.stdout.write(f"  {regency_region.name}: {kecamatan} kecamatan, {villages} desa/kelurahan")

        with transaction.atomic():
            forums = ensure_default_forums(regency=regency_region)
            ensure_response_defaults()
        self.stdout.write(self.style.SUCCESS(f"✓ Forum bawaan / default forums: {len(forums)}"))
        self.stdout.write(f"  total forum aktif: {Forum.objects.active().count()}")

        people = create_demo_personas(regency=regency_region, password=DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(f"✓ Akun demo / demo accounts (kata sandi / password: {DEMO_PASSWORD}):")
        )
        for person, description in people:
            step = " [2 langkah / two-step]" if requires_second_factor(person) else ""
            self.stdout.write(f"  {person.username:<28} {description}{step}")
        self.stdout.write(
            "  [2 langkah]: pada login pertama pasang aplikasi autentikator (TOTP) dengan kode QR yang\n"
            "  ditampilkan, lalu simpan kode pemulihannya. / at first login, enrol an authenticator app\n"
            "  (TOTP) from the QR code shown, and keep the recovery codes."
        )

        by_key = {persona.key: person for persona, (person, _d) in zip(PERSONAS, people, strict=True)}
        added = ensure_sample_reports(by_key)
        self.stdout.write(
            self.style.SUCCESS(
                f"✓ Contoh laporan / sample reports: {added} baru; "
                f"{Report.objects.count()} laporan, {Incident.objects.count()} insiden"
            )
        )

        call_command("collectstatic", interactive=False, verbosity=0)
        if no_serve:
            return
        self._serve(bind)

    def _serve(self, bind: str) -> None:
        python = sys.executable
        env = dict(os.environ)
        web = subprocess.Popen(
            [python, "-m", "waspada", "serve", "--bind", bind, "--no-collectstatic"], env=env
        )
        worker = subprocess.Popen([python, "-m", "waspada", "worker", "--verbosity", "0"], env=env)
        children = [web, worker]

        def stop(signum: int, frame: FrameType | None) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Waspada berjalan / is running: http://{bind}/akun/masuk/"))
        self.stdout.write("Tekan Ctrl-C untuk berhenti / press Ctrl-C to stop.")
        self.stdout.flush()
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.args for child in children if child.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            raise CommandError(f"Proses berhenti dengan galat: {failed}")
