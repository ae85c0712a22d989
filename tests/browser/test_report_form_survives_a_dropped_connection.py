"""A village reporter on a 360 px phone loses the connection while reporting, in a real Chromium.

The draft survives a reload; a report sent offline waits on the phone, says so, and goes when
the network returns, with its reference number; a report whose answer is lost, or that is sent
again, is stored once because every attempt carries the same Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from waspada.reports.models import IdempotencyRecord, Report
from waspada.testing.browser import ARTIFACTS, PHONE
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.report_form import PLACE_LABEL, choose_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOMBOK = "64.01.06.2006"
TITLE = "Jembatan gantung putus di Dusun II"
WHAT = "Jembatan gantung menuju kebun putus setelah hujan deras; warga tidak bisa menyeberang."
WHO = "Warga Dusun II dan pekebun sawit"
# Playwright waits this long at most for the outbox; it passes as soon as the page shows it.
OUTBOX_WAIT_MS = 30_000


def shot(page: Any, name: str) -> None:
    """What the phone's screen shows, kept in test-results/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"offline-{name}.png"))


def log_in_and_open_the_form(page: Any, live_server: Any, person: Any) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    open_form(page, live_server)


def open_form(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/laporan/baru/")
    page.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")


# The policy the site is about to send: the form and its outbox must work under it.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
)


def under_strict_csp(page: Any) -> list[str]:
    """Serve the report form with STRICT_CSP; returns the list that collects any violation."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def add_policy(route: Any) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/laporan/baru/", add_policy)
    return violations


def fill_in(page: Any, *, choose_the_place: bool = True) -> None:
    """The form as she fills it; without ``choose_the_place`` she keeps the village it opened at
    (offline the place search cannot answer, so that is what a reporter without signal does)."""
    page.get_by_label("Judul singkat").fill(TITLE)
    page.get_by_role("radio", name="Siaga").check()
    page.get_by_label("Isu").select_option("infrastruktur_logistik")
    page.get_by_label("Kelas ATHG").select_option("hambatan")
    if choose_the_place:
        choose_place(page, "Lombok", "Desa Lombok")
    else:
        assert page.get_by_label(PLACE_LABEL).input_value() == "Desa Lombok"
        assert page.locator("input[name=region_code]").input_value() != ""
    page.get_by_label("Apa yang terjadi").fill(WHAT)
    page.get_by_label("Siapa yang terlibat").fill(WHO)
    page.get_by_role("checkbox", name="Ekonomi").check()


def waiting_items(page: Any) -> list[dict[str, Any]]:
    """The outbox in the phone's IndexedDB, without the files."""
    items: list[dict[str, Any]] = page.evaluate(
        "WaspadaOutbox.all().then(items => items.map(i => ({key: i.key, url: i.url, fields: i.fields,"
        " csrf: i.csrf, title: i.title, rejected: !!i.rejected})))"
    )
    return items


def sent_notices(page: Any) -> Any:
    return page.locator("#outbox-sent li")


def test_the_draft_survives_a_reload_and_an_offline_report_goes_once_when_the_network_returns(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    violations = under_strict_csp(phone)
    log_in_and_open_the_form(phone, live_server, desa_reporter)
    # The service worker registers and takes charge (localhost is a secure context).
    script = phone.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)")
    assert script == f"{live_server.url}/sw.js"

    fill_in(phone)
    key = phone.locator("input[name=idempotency_key]").input_value()
    phone.reload()
    phone.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")
    phone.get_by_label("Judul singkat").scroll_into_view_if_needed()
    shot(phone, "1-draft-after-reload")
    assert phone.get_by_label("Judul singkat").input_value() == TITLE
    assert phone.get_by_label("Apa yang terjadi").input_value() == WHAT
    assert phone.get_by_label("Siapa yang terlibat").input_value() == WHO
    assert phone.get_by_label("Isu").input_value() == "infrastruktur_logistik"
    assert phone.get_by_label("Kelas ATHG").input_value() == "hambatan"
    assert phone.get_by_role("radio", name="Siaga").is_checked()
    assert phone.get_by_role("checkbox", name="Ekonomi").is_checked()
    assert not phone.get_by_role("checkbox", name="Politik").is_checked()
    assert phone.locator("input[name=idempotency_key]").input_value() == key

    # The signal drops; the reporter sends anyway.
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Kirim laporan").click()
    status = phone.locator("#outbox-status")
    status.filter(has_text="Menunggu dikirim").wait_for()
    # The message is on the screen, not only somewhere on the page.
    phone.wait_for_function(
        "document.getElementById('outbox-status').getBoundingClientRect().bottom <= window.innerHeight"
        " && document.getElementById('outbox-status').getBoundingClientRect().top >= 0"
    )
    shot(phone, "2-waiting-offline")
    assert "1 laporan tersimpan di ponsel ini" in status.inner_text()
    assert "Belum ada jaringan" in status.inner_text()
    queued = waiting_items(phone)
    assert [(item["key"], item["title"]) for item in queued] == [(key, TITLE)]
    assert Report.objects.count() == 0
    # The form is free for the next report, under a new key.
    assert phone.get_by_label("Judul singkat").input_value() == ""
    assert phone.locator("input[name=idempotency_key]").input_value() not in ("", key)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The signal returns: the report goes by itself, and the page says it arrived.
    phone.context.set_offline(False)
    sent_notices(phone).first.wait_for(timeout=OUTBOX_WAIT_MS)
    report = Report.objects.get()
    notice = sent_notices(phone).first.inner_text()
    shot(phone, "3-sent-when-online")
    assert report.reference.startswith("SKD-6401-")
    assert f"Laporan terkirim dan diterima dengan nomor {report.reference}." in notice
    link = sent_notices(phone).first.get_by_role("link", name="Lihat laporan")
    assert link.get_attribute("href") == f"/laporan/{report.reference}/"
    assert (report.title, report.what, report.who) == (TITLE, WHAT, WHO)
    assert (report.alert_level, report.isu, report.athg, report.gatra) == (
        "siaga",
        "infrastruktur_logistik",
        "hambatan",
        ["ekonomi"],
    )
    assert phone.locator("#outbox-status").is_hidden()
    assert phone.evaluate("WaspadaOutbox.all().then(items => items.length)") == 0

    # The same submission again, as a phone would send it if it never heard the first answer:
    # through the outbox twice, then straight to the server twice. Still one report.
    answers = phone.evaluate(
        """async item => {
             await WaspadaOutbox.add(item);
             const flushes = await Promise.all([WaspadaOutbox.flush(), WaspadaOutbox.flush()]);
             const sends = [await WaspadaOutbox.send(item), await WaspadaOutbox.send(item)];
             return [...flushes, ...sends];
           }""",
        queued[0],
    )
    if connection.vendor == "postgresql":
        # Twice at the same moment, bypassing the outbox's lock. (The test database on SQLite
        # lives in shared memory, where a second writer fails at once instead of waiting.)
        answers += phone.evaluate(
            "item => Promise.all([WaspadaOutbox.send(item), WaspadaOutbox.send(item)])", queued[0]
        )
    assert answers[:2] == [{"sent": 1, "waiting": 0}, {"sent": 0, "waiting": 0}]
    for answer in answers[2:]:
        assert (answer["type"], answer["reference"], answer["created"]) == ("sent", report.reference, False)
    assert Report.objects.count() == 1
    assert IdempotencyRecord.objects.filter(key=key).count() == 1

    assert violations == []
    # The policy was in force: an inline script is refused.
    phone.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), {text: 'window.x = 1'}))"
    )
    assert phone.evaluate("window.x") is None and violations

    link.click()
    phone.wait_for_url(f"{live_server.url}/laporan/{report.reference}/")
    assert TITLE in phone.locator("h1").inner_text()
    shot(phone, "4-report-page")


def test_a_report_whose_answer_is_lost_is_sent_again_and_stored_once(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    log_in_and_open_the_form(phone, live_server, desa_reporter)
    phone.evaluate("navigator.serviceWorker.ready")
    fill_in(phone)
    key = phone.locator("input[name=idempotency_key]").input_value()

    posts: list[str] = []

    def lose_the_first_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.headers.get("idempotency-key", ""))
        if len(posts) == 1:
            route.fetch()  # the server gets it and stores it...
            route.abort("connectionreset")  # ...and the answer never reaches the phone
        else:
            route.continue_()

    phone.route("**/laporan/baru/", lose_the_first_answer)
    # The service worker may resend within milliseconds, so every message shown is recorded.
    phone.evaluate(
        """() => { const status = document.getElementById("outbox-status"); window.shown = [];
             new MutationObserver(() => { if (!status.hidden) window.shown.push(status.textContent); })
               .observe(status, {childList: true, characterData: true, subtree: true, attributes: true}); }"""
    )
    phone.get_by_role("button", name="Kirim laporan").click()

    # The page tries again by itself (or the service worker does, by Background Sync).
    sent_notices(phone).first.wait_for(timeout=OUTBOX_WAIT_MS)
    shot(phone, "5-sent-after-the-answer-was-lost")
    first = Report.objects.get()
    shown = phone.evaluate("window.shown")
    assert any("Menunggu dikirim" in text and "Server belum dapat dihubungi" in text for text in shown), shown
    assert f"nomor {first.reference}." in sent_notices(phone).first.inner_text()
    assert Report.objects.count() == 1
    assert IdempotencyRecord.objects.get(key=key).report_id == first.pk
    assert posts[0] == key and all(post == key for post in posts)
    assert phone.locator("#outbox-status").is_hidden()


def test_a_waiting_report_the_server_refuses_comes_back_into_the_form_with_its_errors(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    log_in_and_open_the_form(phone, live_server, desa_reporter)
    phone.evaluate("navigator.serviceWorker.ready")
    fill_in(phone)
    phone.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill("64.01.99")  # no such kecamatan
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.locator("#outbox-status").filter(has_text="Menunggu dikirim").wait_for()
    assert phone.get_by_label("Judul singkat").input_value() == ""

    phone.context.set_offline(False)
    status = phone.locator("#outbox-status").filter(has_text="ditolak server")
    status.wait_for(timeout=OUTBOX_WAIT_MS)
    # The outbox looks again (the network flickers, the worker reports late): the message stands.
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_timeout(1_000)
    assert "ditolak server" in phone.locator("#outbox-status").inner_text()
    assert phone.locator("#outbox-status").is_visible()
    # Nothing typed is lost: the report is back in the form, its error by the field.
    assert phone.get_by_label("Judul singkat").input_value() == TITLE
    assert phone.get_by_label("Apa yang terjadi").input_value() == WHAT
    assert phone.get_by_role("radio", name="Siaga").is_checked()
    message = phone.locator("#field-region_code .errorlist").inner_text()
    assert "Kode wilayah 64.01.99 tidak dikenal." in message
    assert "Lokasi (desa/kelurahan atau kecamatan)" in phone.locator("#form-errors").inner_text()
    shot(phone, "6-refused-after-waiting")
    phone.locator("#field-region_code").scroll_into_view_if_needed()
    shot(phone, "7-refused-after-waiting-field")
    assert phone.evaluate("WaspadaOutbox.all().then(items => items.length)") == 0
    assert Report.objects.count() == 0

    phone.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill(LOMBOK)
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
    assert Report.objects.get().title == TITLE
