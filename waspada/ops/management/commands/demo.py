"""`waspada demo`: a ready-to-try installation for Kabupaten Paser on SQLite, then serve it.

Steps, in order, each idempotent so that running the demo twice duplicates nothing:
1. migrate the database (SQLite in the data folder unless DATABASE_URL is set);
2. load Kabupaten Paser's regions from the bundled Kemendagri code list (``--country`` loads all);
3. create the default forums of the regency, with one FKDM per kecamatan;
4. create one demo person per persona, with a known password, and print the credentials;
5. create a demo account for every other default forum and an informant handler, then file about
   a year of backdated history with two surges, a late disposition escalated by the real sweep
   (``waspada.ops.demo_story``), and the sample reports (``waspada.reports.samples``);
6. load Paser's boundaries and print who to log in as for each story (the worker runs the
   detection as soon as it starts);
7. with more than one ``--regency``: the other regencies, their forums and their province's, the
   neighbouring regency's and the province's personas, a few reports there (``ops/province_demo.py``);
8. start the web server and the background worker and wait until Ctrl-C.
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
from waspada.ops.demo_story import ensure_demo_accounts, ensure_history, late_disposition
from waspada.ops.province_demo import ensure_province_demo
from waspada.regions.importers import load_bundled_regions, load_paser_boundaries
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
        parser.add_argument(
            "--regency",
            action="append",
            dest="regencies",
            help="Kode kabupaten (64.01); ulangi untuk instalasi provinsi (--regency 64.01 --regency 64.09).",
        )
        parser.add_argument("--country", action="store_true", help="Muat seluruh wilayah Indonesia.")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Siapkan data saja, jangan jalankan server."
        )
        parser.add_argument(
            "--tanpa-riwayat",
            action="store_true",
            help="Tanpa riwayat setahun (lebih cepat; tren, peta dan deteksi nyaris kosong).",
        )

    def handle(
        self,
        *args: Any,
        regencies: list[str] | None,  # the first is the stock demo's regency; more make a province
        country: bool,
        bind: str,
        no_serve: bool,
        tanpa_riwayat: bool = False,
        **options: Any,
    ) -> None:
        regency, *other_regencies = regencies or [settings.WASPADA_HOME_REGION]
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

        accounts = ensure_demo_accounts(regency=regency_region, password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS("✓ Anggota forum lain / members of the other forums:"))
        for person, forum_name in accounts:
            handler = " [penangan informan / informant handler]" if person.is_informant_handler else ""
            step = " [2 langkah / two-step]" if requires_second_factor(person) else ""
            self.stdout.write(f"  {person.username:<28} {forum_name}{handler}{step}")

        by_key = {persona.key: person for persona, (person, _d) in zip(PERSONAS, people, strict=True)}
        by_key.update({person.username: person for person, _f in accounts})
        with_history = regency == "64.01" and not tanpa_riwayat
        history = ensure_history(regency=regency_region, people=by_key) if with_history else 0
        added = ensure_sample_reports(by_key)
        self.stdout.write(
            self.style.SUCCESS(
                f"✓ Riwayat setahun dan contoh laporan / a year of history and sample reports: "
                f"{history + added} baru; {Report.objects.count()} laporan, "
                f"{Incident.objects.count()} insiden"
            )
        )
        if regency == "64.01":
            if not Region.objects.filter(code="64.01.06", boundary__isnull=False).exists():
                load_paser_boundaries()
            self.stdout.write(self.style.SUCCESS("✓ Batas wilayah Paser / Paser's boundaries: 1 + 10 + 144"))
        if other_regencies:
            self._province(regency_region, other_regencies)
        self.stdout.write(
            "  Deteksi dini berjalan di worker begitu demo berjalan (atau: waspada detect).\n"
            "  Detection runs in the worker as soon as the demo runs (or: waspada detect)."
        )
        self._print_stories()

        call_command("collectstatic", interactive=False, verbosity=0)
        if no_serve:
            return
        self._serve(bind)

    def _province(self, first: Region, others: list[str]) -> None:
        try:
            demo = ensure_province_demo(first=first, others=others, password=DEMO_PASSWORD)
        except LookupError as exc:
            raise CommandError(f"Kabupaten {exc} tidak ditemukan dalam daftar kode wilayah.") from exc
        names = ", ".join(r.name for r in demo.regencies)
        self.stdout.write(self.style.SUCCESS(f"✓ Instalasi provinsi / province installation: {names}"))
        self.stdout.write(
            f"  {demo.forums} forum; {demo.reports_added} laporan contoh baru di kabupaten lain"
        )
        for person, description in demo.people:
            self.stdout.write(f"  {person.username:<28} {description}")
        self.stdout.write(
            "  Rekap provinsi / the province's roll-up: masuk sebagai analis.kaltim, /situasi/provinsi/"
        )

    def _print_stories(self) -> None:
        late = late_disposition()
        late_forum = late.forum.name if late else "Tim Terpadu PKS"
        stories = (
            ("cara mengirim laporan dari ponsel, juga tanpa sinyal", "reporter.lombok"),
            ("antrean verifikasi, tren setahun, peta dan sinyal deteksi dini", "analis.kesbangpol"),
            (f"disposisi yang terlambat ({late_forum}) dan eskalasinya", "anggota.timdu"),
            ("disposisi hasil eskalasi di Tim Kewaspadaan Dini", "admin.kesbangpol"),
            ("identitas informan yang dirahasiakan", "penangan.informan"),
            ("gambaran situasi untuk pimpinan daerah", "bupati"),
            ("laporan dari kecamatan lain (mis. Muara Komam)", "fkdm.muarakomam"),
        )
        self.stdout.write(self.style.SUCCESS("✓ Cerita demo / demo stories:"))
        for what, username in stories:
            self.stdout.write(f"  Untuk melihat {what}, masuk sebagai {username}.")

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
