"""A village reporter on a 360 px phone sends hostile or broken input through the report form.

Markup and script in every text field are stored as typed and shown as text; a huge field, an
unknown place, a disguised executable and wrongly typed JSON are refused with Indonesian
messages next to the field they concern, and nothing is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from waspada.reports.models import Attachment, Report
from waspada.testing.browser import ARTIFACTS, PHONE
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.report_form import choose_classes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOMBOK = "64.01.06.2006"

# Each text field gets its own payload, so that the page shows which field leaked if one does.
HOSTILE = {
    "title": "<script>window.__pwned=1</script>Jalan ditutup",
    "what": '<img src=x onerror="window.__pwned=1;alert(1)">Warga menutup jalan & "hauling"',
    "who": "</textarea><script>window.__pwned=1</script>Warga RT 03",
    "cause": "<svg onload=window.__pwned=1>Ganti rugi</svg>",
    "where_detail": '"><iframe src="javascript:window.top.__pwned=1"></iframe>Simpang tiga',
    "latest_condition": "<a href=\"javascript:window.__pwned=1\">klik</a> {{ 7|add:7 }} {% now 'Y' %}",
    "interim_handling": "<style>body{display:none}</style><b>Kades</b> menemui warga",
    "source_description": "<img src=x onerror=alert(document.domain)>Ketua RT",
    "informant_name": "<script>alert('informan')</script>Budi",
    "informant_contact": "0812<script>window.__pwned=1</script>",
}
LABELS = {
    "title": "Judul singkat",
    "what": "Apa yang terjadi",
    "who": "Siapa yang terlibat",
    "cause": "Penyebab",
    "where_detail": "Keterangan tempat (dusun, RT, patokan)",
    "latest_condition": "Kondisi terakhir",
    "interim_handling": "Penanganan sementara",
    "source_description": "Sumber informasi",
    "informant_name": "Nama informan (dirahasiakan)",
    "informant_contact": "Kontak informan (dirahasiakan)",
}


def shot(page: Any, name: str, *, full_page: bool = False) -> None:
    """What the phone's screen shows (or the whole page), kept in test-results/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile-{name}.png"), full_page=full_page)


def log_in(page: Any, live_server: Any, person: Any) -> list[str]:
    """Log in and open the report form; returns the list that collects any dialog's message."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    open_form(page, live_server)
    return dialogs


def open_form(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/laporan/baru/")
    # report-form.js has run once the idempotency key is filled in.
    page.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")


def fill_valid(page: Any, **text: str) -> None:
    """Fill the required fields with a plausible report; ``text`` overrides them by field name."""
    values = {"title": "Warga menghadang truk", "what": "Sekitar 40 warga menutup jalan hauling.", **text}
    choose_classes(page)
    page.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill(values.pop("region_code", LOMBOK))
    for name, value in values.items():
        page.get_by_label(LABELS[name]).fill(value)


def submit(page: Any) -> None:
    page.get_by_role("button", name="Kirim laporan").click()


def field_errors(page: Any, name: str, screenshot: str = "") -> str:
    """The messages shown by a field; with ``screenshot``, the screen at the summary and at the field."""
    errors = page.locator(f"#field-{name} .errorlist")
    errors.first.wait_for()
    if screenshot:
        shot(page, f"{screenshot}-summary")
        page.locator(f"#field-{name}").scroll_into_view_if_needed()
        shot(page, f"{screenshot}-field")
    return str(errors.inner_text())


def assert_not_pwned(page: Any, dialogs: list[str]) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_markup_in_every_text_field_is_stored_as_typed_and_shown_as_text(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    dialogs = log_in(phone, live_server, desa_reporter)
    fill_valid(phone, **HOSTILE)
    shot(phone, "1-form-filled", full_page=True)
    submit(phone)
    phone.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
    shot(phone, "2-detail", full_page=True)

    report = Report.objects.get()
    for name in ("title", "what", "who", "cause", "where_detail", "latest_condition", "interim_handling"):
        assert getattr(report, name) == HOSTILE[name], name
    assert report.source_description == HOSTILE["source_description"]
    assert report.reporter_id == desa_reporter.pk

    main = phone.locator("main")
    text = main.inner_text()
    assert report.reference in text
    assert phone.locator("h1").inner_text() == HOSTILE["title"]
    for name in ("what", "who", "cause", "latest_condition", "interim_handling", "source_description"):
        assert HOSTILE[name] in text, name
    # The reporter's own report shows the exact place too; the informant's identity never.
    assert HOSTILE["where_detail"] in text
    assert "Budi" not in text and "0812" not in text
    # Nothing typed became an element.
    assert main.locator("script, img, svg, iframe, style, a[href^=javascript], b").count() == 0
    assert_not_pwned(phone, dialogs)

    # The title is escaped in the list as well.
    phone.goto(f"{live_server.url}/laporan/")
    assert HOSTILE["title"] in phone.locator("main").inner_text()
    assert phone.locator("main script").count() == 0
    shot(phone, "3-list")
    assert_not_pwned(phone, dialogs)


def test_markup_survives_a_refused_form_as_text_without_javascript(
    chromium: Any, live_server: Any, desa_reporter: Any
) -> None:
    """The server re-renders the form with the typed text; a ``</textarea>`` must not break out."""
    context = chromium.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    try:
        dialogs = log_in_without_script(page, live_server, desa_reporter)
        choose_classes(page)
        page.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill("99.99")
        for name, value in HOSTILE.items():
            page.get_by_label(LABELS[name]).fill(value)
        submit(page)
        page.wait_for_load_state()
        shot(page, "4-refused-without-javascript", full_page=True)
        assert "tidak dikenal" in field_errors(page, "region_code")
        for name, value in HOSTILE.items():
            assert page.get_by_label(LABELS[name]).input_value() == value, name
        assert page.locator("main form script, main form img, main form svg").count() == 0
        assert Report.objects.count() == 0
        assert dialogs == []
    finally:
        context.close()


def log_in_without_script(page: Any, live_server: Any, person: Any) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/laporan/baru/")
    return dialogs


def test_a_huge_field_is_refused_next_to_the_field(phone: Any, live_server: Any, desa_reporter: Any) -> None:
    dialogs = log_in(phone, live_server, desa_reporter)
    fill_valid(phone, what="Warga berkumpul. " * 12_500)  # 212,500 characters
    submit(phone)
    message = field_errors(phone, "what", "5-huge-field")
    assert "Terlalu panjang" in message and "5000" in message.replace(".", "")
    assert phone.get_by_label("Apa yang terjadi").get_attribute("aria-invalid") == "true"
    # The summary at the top names the field.
    assert "Apa yang terjadi" in phone.locator("#form-errors").inner_text()
    # The text is still in the form, to be shortened rather than typed again.
    assert len(phone.get_by_label("Apa yang terjadi").input_value()) == 212_500
    assert Report.objects.count() == 0
    assert_not_pwned(phone, dialogs)


def test_an_unknown_region_is_refused_with_a_message_naming_the_field(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    dialogs = log_in(phone, live_server, desa_reporter)
    fill_valid(phone, region_code="<b>99.99</b>")
    submit(phone)
    message = field_errors(phone, "region_code", "6-unknown-region")
    # Not digits and dots, so it is read as a name, and quoted as typed.
    assert "Tidak ada desa/kelurahan atau kecamatan bernama “<b>99.99</b>”." in message
    summary = phone.locator("#form-errors").inner_text()
    assert "Lokasi (desa/kelurahan atau kecamatan)" in summary and "Tidak ada desa" in summary
    assert phone.locator("main b").count() == 0
    assert Report.objects.count() == 0
    assert_not_pwned(phone, dialogs)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, id="elf"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 54 + b"PE\x00\x00", id="mz"),
    ],
)
def test_a_disguised_executable_is_refused_and_nothing_is_stored(
    phone: Any, live_server: Any, desa_reporter: Any, tmp_path: Path, settings: Any, header: bytes
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = tmp_path / "foto.jpg"
    fake.write_bytes(header + b"\x00" * 4096)
    dialogs = log_in(phone, live_server, desa_reporter)
    fill_valid(phone)
    phone.get_by_label("Foto atau PDF").set_input_files(str(fake))
    submit(phone)
    message = field_errors(phone, "lampiran", f"7-executable-{header[:2].hex()}")
    assert "Hanya foto (JPEG, PNG, WebP) atau PDF yang diterima." in message
    assert "foto.jpg" in message
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))
    assert_not_pwned(phone, dialogs)


FETCH_JSON = """async ([url, body, contentType]) => {
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin", body: body,
    headers: {"Content-Type": contentType, "Accept": "application/json", "X-CSRFToken": csrf},
  });
  return {status: response.status, type: response.headers.get("Content-Type"), text: await response.text()};
}"""

WRONG_TYPES = {
    "title": 123,
    "what": ["Warga", "menutup", "jalan"],
    "athg": None,
    "isu": {"nama": "agraria"},
    "alert_level": True,
    "region_code": 640106,
    "occurred_at": "kemarin sore",
    "gatra": "ekonomi",
    "casualties_dead": "dua",
    "latitude": "utara",
    "informant_secret": "mungkin",
}


def post_from_page(page: Any, url: str, body: str, content_type: str = "application/json") -> tuple[int, Any]:
    answer = page.evaluate(FETCH_JSON, [url, body, content_type])
    assert answer["status"] < 500, answer["text"][:2000]
    assert "application/json" in answer["type"], answer["text"][:500]
    return answer["status"], json.loads(answer["text"])


def fields_of(body: dict[str, Any]) -> set[str]:
    assert body["errors"], body
    for error in body["errors"]:
        assert error["message"] and not error["message"].startswith(("Input should", "Field required")), error
    return {error["field"] for error in body["errors"]}


def test_wrong_types_posted_from_the_page_get_a_4xx_with_errors_per_field(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    log_in(phone, live_server, desa_reporter)

    status, body = post_from_page(phone, "/api/v1/reports/", json.dumps(WRONG_TYPES))
    assert status == 422
    assert fields_of(body) >= set(WRONG_TYPES)
    assert body["detail"] == "Data tidak valid."

    for broken in ("[1, 2, 3]", '"laporan"', "null", "{", '{"title": "x", "latitude": NaN}', "\x00"):
        status, body = post_from_page(phone, "/api/v1/reports/", broken)
        assert 400 <= status < 500, broken
        assert fields_of(body), broken

    # Numbers out of range and a NUL byte are refused by field too, not by a database error.
    valid = {
        "title": "Warga menghadang truk",
        "what": "Sekitar 40 warga menutup jalan.",
        "athg": "gangguan",
        "isu": "agraria_korporasi",
        "alert_level": "waspada",
        "region_code": LOMBOK,
        "occurred_at": "2026-01-05T09:30:00+08:00",
    }
    odd = {
        **valid,
        "casualties_dead": 10**30,
        "latitude": 1e308,
        "longitude": -1e308,
    }
    status, body = post_from_page(phone, "/api/v1/reports/", json.dumps(odd))
    assert status == 422
    assert fields_of(body) >= {"casualties_dead", "latitude", "longitude"}
    # A time in year 1 is refused by the report's own rules, which run once the schema holds.
    year_one = {**valid, "occurred_at": "0001-01-01T00:00:00"}
    status, body = post_from_page(phone, "/api/v1/reports/", json.dumps(year_one))
    assert status == 422
    assert fields_of(body) == {"occurred_at"}
    status, body = post_from_page(phone, "/api/v1/reports/", json.dumps({**valid, "who": "nul\x00byte"}))
    assert status == 422
    assert fields_of(body) == {"who"}

    # The form's own endpoint answers JSON with errors per field as well, whatever it is sent.
    status, body = post_from_page(phone, "/laporan/baru/", json.dumps(WRONG_TYPES))
    assert status == 422
    assert fields_of(body) >= {"title", "what", "isu", "region_code", "occurred_at"}
    form = "&".join(
        f"{name}={value}"
        for name, value in [
            ("title", "Judul"),
            ("what", "Isi"),
            ("isu", "kiamat"),
            ("athg", "gangguan"),
            ("alert_level", "waspada"),
            ("region_code", LOMBOK),
            ("occurred_at", "kemarin"),
            ("casualties_dead", "dua"),
            ("gatra", "bukan_gatra"),
            ("latitude", "utara"),
            ("jenis", "insidentil"),
            ("source_reliability", "F"),
            ("info_credibility", "6"),
            ("classification", "biasa"),
        ]
    )
    status, body = post_from_page(phone, "/laporan/baru/", form, "application/x-www-form-urlencoded")
    assert status == 422
    assert fields_of(body) >= {"isu", "occurred_at", "casualties_dead", "gatra", "latitude"}
    assert Report.objects.count() == 0
