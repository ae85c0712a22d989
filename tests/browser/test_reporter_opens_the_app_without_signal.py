"""A village reporter on a 360 px phone opens Waspada where there is no signal, in a real Chromium.

After one visit with signal, the report form, her list of reports, her own report's page and her
inbox open offline under the offline banner; a page she never opened shows the offline page; a
report written offline waits, is listed in the banner, and is stored exactly once when the signal
returns. Logging out removes her pages from the phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_report_form_survives_a_dropped_connection import (
    OUTBOX_WAIT_MS,
    TITLE,
    fill_in,
    log_in_and_open_the_form,
)
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.testing.browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
OWN_TITLE = "Jalan desa longsor di RT 03"
BANNER = "Anda sedang luring"

KEPT_PATHS = """async () => {
  const names = (await caches.keys()).filter(n => n.startsWith('waspada-halaman-'));
  const paths = [];
  for (const name of names) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) { paths.push(new URL(request.url).pathname); }
  }
  return {names, paths};
}"""


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"offline-{name}.png"))


def kept(page: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = page.evaluate(KEPT_PATHS)
    return result


def visit_online(page: Any, url: str, path: str) -> None:
    """Open ``path`` with signal and wait until the service worker has kept it."""
    page.goto(url + path)
    page.wait_for_function(f"({KEPT_PATHS})().then(k => k.paths.includes({path!r}))")


def banner(page: Any) -> Any:
    return page.locator("#offline-banner")


def test_after_one_visit_her_pages_open_offline_and_a_report_written_offline_is_stored_once(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    own = submit(desa_reporter, title=OWN_TITLE).report
    url = live_server.url
    log_in_and_open_the_form(phone, live_server, desa_reporter)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    # Installable: a manifest with the icons Android asks for, and a theme colour.
    manifest = phone.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    assert manifest["lang"] == "id" and manifest["short_name"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert phone.evaluate(
            f"fetch({icon['src']!r}).then(r => r.status + ' ' + r.headers.get('content-type'))"
        ) == ("200 image/png")

    # One visit with signal: the form, her list, her report, her inbox.
    for path in ("/laporan/baru/", "/laporan/", f"/laporan/{own.reference}/", "/tindak-lanjut/"):
        visit_online(phone, url, path)
    phone.goto(url + "/situasi/")  # not hers to keep
    assert banner(phone).is_hidden()
    pages = kept(phone)
    assert len(pages["names"]) == 1
    assert "/situasi/" not in pages["paths"]

    # No signal.
    phone.context.set_offline(True)
    phone.goto(url + "/laporan/")
    banner(phone).wait_for()
    assert BANNER in banner(phone).inner_text()
    assert "Tidak ada laporan yang menunggu dikirim." in banner(phone).inner_text()
    assert phone.get_by_role("link", name=OWN_TITLE).count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("link", name=OWN_TITLE).scroll_into_view_if_needed()
    assert banner(phone).is_visible()  # it stays at the top while she scrolls
    shot(phone, "1-laporan-saya")

    phone.goto(url + f"/laporan/{own.reference}/")
    banner(phone).wait_for()
    assert OWN_TITLE in phone.locator("h1").inner_text()

    phone.goto(url + "/tindak-lanjut/")
    banner(phone).wait_for()

    phone.goto(url + "/situasi/")  # never kept: the offline page, which names nobody
    assert "Halaman ini belum tersimpan di perangkat" in phone.locator("h1").inner_text()
    assert desa_reporter.display_name not in phone.content()
    assert banner(phone).is_visible()
    shot(phone, "2-halaman-belum-tersimpan")

    # She writes a report with no signal: it waits on the phone and the banner lists it.
    phone.goto(url + "/laporan/baru/")
    banner(phone).wait_for()
    phone.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")
    fill_in(phone, choose_the_place=False)
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.locator("#outbox-status").filter(has_text="Menunggu dikirim").wait_for()
    banner(phone).locator("li", has_text=TITLE).wait_for()
    assert "Laporan yang menunggu dikirim (1)" in banner(phone).inner_text()
    assert not Report.objects.filter(title=TITLE).exists()
    phone.evaluate("window.scrollTo(0, 0)")
    shot(phone, "3-formulir-menunggu")

    # The same list on another kept page.
    phone.goto(url + "/laporan/")
    banner(phone).locator("li", has_text=TITLE).wait_for()

    # Signal again: the report goes once.
    phone.goto(url + "/laporan/baru/")
    banner(phone).wait_for()
    phone.context.set_offline(False)
    phone.locator("#outbox-sent li").first.wait_for(timeout=OUTBOX_WAIT_MS)
    assert Report.objects.filter(title=TITLE).count() == 1
    assert phone.evaluate("WaspadaOutbox.all().then(items => items.length)") == 0
    banner(phone).locator("li", has_text=TITLE).wait_for(state="detached")
    assert "Tersambung kembali" in banner(phone).inner_text()
    assert "Tidak ada laporan yang menunggu dikirim." in banner(phone).inner_text()
    shot(phone, "4-terkirim-saat-online")

    # Logging out removes her pages from the phone: offline, her list is gone.
    phone.goto(url + "/laporan/")
    assert banner(phone).is_hidden()
    phone.get_by_role("button", name="Keluar").click()
    phone.wait_for_url("**/akun/masuk/**")
    phone.wait_for_function(f"({KEPT_PATHS})().then(k => k.names.length === 0)")
    phone.context.set_offline(True)
    phone.goto(url + "/laporan/")
    assert OWN_TITLE not in phone.content()
    assert "Halaman ini belum tersimpan di perangkat" in phone.locator("h1").inner_text()
    phone.context.set_offline(False)
