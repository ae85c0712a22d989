"""Issue 17, part 4: the analyst opens her home page at 1366x768, sees the verification queue with
the late siaga report on top, opens it, corrects the isu, sees which forums routing will task and
copy with their deadlines, and verifies. Screenshots go to docs/screenshots/journeys/verify-*.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import submit
from waspada.reports.verification import verification_deadline
from waspada.response.models import Disposition
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page
from waspada.triage.models import Correction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
DESKTOP = {"width": 1366, "height": 768}


def test_the_analyst_verifies_the_late_siaga_report_first_after_correcting_its_isu(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    waiting = submit(desa_reporter, title="Jalan hauling ditutup warga, truk tertahan", alert_level="normal")
    late = submit(
        desa_reporter,
        title="Ketegangan warga soal renovasi rumah ibadah di Lombok",
        what="Warga menolak renovasi rumah ibadah; dua kelompok berkumpul di depan balai desa.",
        isu="agraria_warga",
        alert_level="siaga",
    ).report
    # The siaga report came in six hours ago: its four hours ran out two hours ago.
    arrived = timezone.now() - timedelta(hours=6, minutes=10)
    Report.objects.filter(pk=late.pk).update(
        occurred_at=arrived - timedelta(hours=1),
        reported_at=arrived,
        received_at=arrived,
        verify_due_at=verification_deadline("siaga", arrived),
    )
    Report.objects.filter(pk=waiting.report.pk).update(verify_due_at=timezone.now() + timedelta(hours=30))

    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    log_in_on_the_page(page, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)

    # Home: the queue, the late siaga report on top with how late it is and where, by name.
    queue = page.locator("section.verification-queue")
    first = queue.locator("ul.queue > li").first
    assert late.title in first.inner_text()
    assert "terlambat 2 jam" in first.inner_text() and "masuk 6 jam lalu" in first.inner_text()
    assert "Siaga" in first.inner_text()
    assert "Desa Lombok, Kecamatan Long Ikis" in first.inner_text()
    assert "sisa 29 jam" in queue.locator("ul.queue > li").nth(1).inner_text()
    assert "64.01.06" not in queue.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "verify-1-queue.png"), full_page=True)

    # The report: its clock, and the routing of the reporter's classification (land: Timdu PKS).
    first.get_by_role("link").click()
    page.wait_for_url(f"**/laporan/{late.reference}/")
    preview = page.locator("#routing-preview")
    assert "Tim Terpadu Penanganan Konflik Sosial" in preview.inner_text()
    assert "terlambat 2 jam" in page.locator(".verify-clock").inner_text()

    # Corrected to a religious matter, the preview follows without a reload: FKUB and Timdu PKS
    # act, each with the date it must acknowledge by; Forkopimda gets a copy.
    page.get_by_label("Isu").select_option("agama")
    fkub = preview.locator("li", has_text="Forum Kerukunan Umat Beragama")
    fkub.wait_for()
    assert "terima sebelum" in fkub.inner_text() and "Perlu tindakan" in fkub.inner_text()
    assert "Tembusan" in preview.locator("li", has_text="Forum Koordinasi Pimpinan Daerah").inner_text()
    assert not Disposition.objects.exists()  # a preview writes nothing
    page.locator("#verifikasi").screenshot(path=str(SCREENSHOTS / "verify-2-preview.png"))

    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.wait_for_url(f"**/laporan/{late.reference}/")
    assert "Laporan diverifikasi." in page.locator("main").inner_text()
    assert page.locator("form.verify-form").count() == 0  # not offered again
    page.screenshot(path=str(SCREENSHOTS / "verify-3-verified.png"), full_page=True)

    late.refresh_from_db()
    assert (late.status, late.isu) == (ReportStatus.TERVERIFIKASI, "agama")
    forums = set(Disposition.objects.filter(report=late).values_list("forum__code", flat=True))
    assert {"FKUB-6401", "TIMDU_PKS-6401", "FKPD-6401"} <= forums
    assert Correction.objects.get(report=late).changed == ["isu"]

    # Back home, the queue holds only the report still waiting.
    page.goto(f"{live_server.url}/")
    assert late.title not in queue.inner_text()
    assert waiting.report.title in queue.inner_text()
    context.close()
