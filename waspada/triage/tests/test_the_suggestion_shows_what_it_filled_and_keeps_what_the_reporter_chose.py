"""From a phone walk as a village reporter (360 by 740): the "Sarankan isian" button keeps what
the reporter chose herself and says where the suggestion differs; the message, brought into view,
names each field it filled (gatra and the casualty counts included, marked like the rest); a level
above normal with no cue in the text says so plainly."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.triage.tests.form_page import ask, open_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Suggested: waspada, with no cue in the text.
QUIET = "Warga yang kesal dan marah di kampung itu mendatangi kantor desa pada hari Senin 12 Mei"


def test_a_class_and_level_the_reporter_chose_are_kept_and_the_difference_named(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    open_form(page, live_server, desa_reporter)
    page.locator("input[name='alert_level'][value='normal']").check()
    page.get_by_label("Kelas ATHG").select_option("tantangan")
    status = ask(page)
    assert page.locator("input[name='alert_level']:checked").get_attribute("value") == "normal"
    assert page.get_by_label("Kelas ATHG").input_value() == "tantangan"
    assert page.get_by_label("Isu").input_value() == "agraria_korporasi"  # still empty: filled
    shown = status.inner_text()
    assert "Tingkat kewaspadaan: Anda memilih Normal; saran: Siaga (karena korban luka (luka)" in shown
    assert "Kelas ATHG: Anda memilih Tantangan; saran: Gangguan" in shown
    assert "suggested" not in (page.locator("#field-alert_level").get_attribute("class") or "")


def test_the_message_is_in_view_and_names_each_field_it_filled(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    open_form(page, live_server, desa_reporter)
    status = ask(page)
    page.wait_for_timeout(300)
    box = status.bounding_box()
    assert box is not None and -1 <= box["y"] < 740 * 0.5, box  # its start is on the screen
    links = status.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # (the place is the reporter's own village already, so it is not a change)
    for name in ("alert_level", "isu", "athg", "gatra", "casualties_injured"):
        assert f"#field-{name}" in targets
    shown = status.inner_text()
    assert "Kelas ATHG: Gangguan" in shown and "Korban luka: 3" in shown and "Gatra: " in shown


def test_gatra_and_casualty_counts_are_filled_and_marked_like_the_other_fields(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    open_form(page, live_server, desa_reporter)
    page.get_by_label("Korban meninggal").fill("0")  # what the reporter knows stays
    ask(page)
    for name in ("gatra", "casualties_injured", "isu"):
        assert "suggested" in (page.locator(f"#field-{name}").get_attribute("class") or ""), name
    assert page.locator("input[name='gatra']:checked").count() >= 1
    assert page.get_by_label("Korban luka").input_value() == "3"
    assert page.get_by_label("Korban meninggal").input_value() == "0"
    assert page.get_by_label("Warga mengungsi").input_value() == ""  # the text states no number
    # The reporter changes a gatra herself: the mark goes, as for any field.
    page.locator("input[name='gatra']:checked").first.uncheck()
    assert "suggested" not in (page.locator("#field-gatra").get_attribute("class") or "")


def test_a_raised_level_with_no_cue_in_the_text_says_so_plainly(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    open_form(page, live_server, desa_reporter, QUIET)
    shown = ask(page).inner_text()
    assert "Tingkat: Waspada, karena: tidak ada penanda khusus; dari isi teks." in shown
    assert "tidak ada korban" not in shown
    assert "kata penentu: " in shown and "yang" not in shown.split("kata penentu: ")[1].split(".")[0]


def test_a_text_rewritten_into_no_alert_takes_back_what_the_earlier_suggestion_filled(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    # From a walk: the fields of a first suggestion stayed (and were sent) after the text became a
    # volleyball notice and the button said "Isian tidak diubah".
    page = phone
    open_form(page, live_server, desa_reporter)
    page.get_by_label("Kelas ATHG").select_option("tantangan")  # hers: stays
    ask(page)
    assert page.get_by_label("Korban luka").input_value() == "3"
    page.get_by_label("Apa yang terjadi").fill(
        "besok ada lomba voli antar desa di lapangan kecamatan, mohon hadir"
    )
    page.get_by_role("button", name="Sarankan isian dari teks").click()
    status = page.locator("#triage-status")
    status.filter(has_text="dikembalikan seperti semula").wait_for()
    assert page.get_by_label("Isu").input_value() == ""
    assert page.get_by_label("Korban luka").input_value() == ""
    assert page.locator("input[name='gatra']:checked").count() == 0
    assert page.locator(".field.suggested").count() == 0
    assert page.get_by_label("Kelas ATHG").input_value() == "tantangan"
    assert page.locator("input[name='suggested_isu']").input_value() == "none"
