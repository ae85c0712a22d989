"""On a phone, the report form pre-fills the triage's suggestions; what the reporter changes is
recorded as a correction with the report itself (the suggestion travels in the form)."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.reports.models import Report
from waspada.testing.browser import ARTIFACTS
from waspada.triage.models import Correction
from waspada.triage.tests.form_page import ask, open_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_and_ask_for_suggestions(page: Any, live_server: Any, person: Any) -> Any:
    """Log in, open the form, write the story and press the triage button; returns its message."""
    open_form(page, live_server, person, title="Bentrok di kebun sawit")
    return ask(page)


def test_suggestions_fill_the_form_and_the_change_is_kept_as_a_correction(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    status = fill_and_ask_for_suggestions(page, live_server, desa_reporter)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-form-suggested.png"), full_page=True)
    assert page.get_by_label("Isu").input_value() == "agraria_korporasi"
    assert page.locator("input[name='region_code']").input_value() == "64.01.06.2006"
    assert page.locator("input[name='alert_level']:checked").count() == 1
    assert "Lombok" in status.inner_text()
    # The reporter disagrees on the class and keeps the rest.
    page.get_by_label("Kelas ATHG").select_option("gangguan")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
    report = Report.objects.get()
    assert report.region_id == "64.01.06.2006"
    assert report.isu == "agraria_korporasi"
    # Stored with the report, in its transaction: nothing is left to arrive later.
    correction = Correction.objects.get()
    assert correction.report_id == report.pk
    assert correction.source == "form"
    assert correction.final["isu"] == "agraria_korporasi"
    assert correction.final["athg"] == "gangguan"
    assert correction.final["region_code"] == "64.01.06.2006"
    assert ("athg" in correction.changed) == (correction.suggested.get("athg") != "gangguan")
    assert correction.created_by_id == desa_reporter.pk


def test_a_suggestion_waits_in_the_outbox_with_its_report_and_is_recorded_when_it_goes(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    fill_and_ask_for_suggestions(page, live_server, desa_reporter)
    page.get_by_label("Kelas ATHG").select_option("gangguan")
    # No signal: the report, with the suggestion in its fields, waits in the phone's outbox.
    page.context.set_offline(True)
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#outbox-status").filter(has_text="Menunggu dikirim").wait_for()
    fields = dict(page.evaluate("WaspadaOutbox.waiting().then(items => items[0].fields)"))
    assert fields["suggested_isu"] == "agraria_korporasi"
    assert fields["suggested_region_code"] == "64.01.06.2006"
    assert fields["athg"] == "gangguan"
    # The emptied form is for the next report: it carries no suggestion of the last one.
    assert page.locator("input[name=suggested_isu]").input_value() == ""
    assert not Report.objects.exists() and not Correction.objects.exists()

    # The signal returns: the outbox sends the report, and the correction is stored with it.
    page.context.set_offline(False)
    page.locator("#outbox-sent li").first.wait_for(timeout=30_000)
    report = Report.objects.get()
    correction = Correction.objects.get()
    assert correction.report_id == report.pk
    assert correction.final["athg"] == "gangguan"
    assert correction.suggested["isu"] == "agraria_korporasi"


def test_a_field_the_suggestion_is_not_sure_of_is_left_and_its_two_best_choices_named(
    phone: Any, live_server: Any, desa_reporter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from waspada.triage import confidence

    monkeypatch.setattr(confidence, "SURE_AT", 1.01)  # the server is sure of nothing
    page = phone
    status = fill_and_ask_for_suggestions(page, live_server, desa_reporter).inner_text()
    assert page.get_by_label("Isu").input_value() == ""  # left as it was
    assert page.locator("input[name='alert_level']:checked").count() == 0
    assert "Isu: tidak yakin (" in status
    assert "Tidak yakin — pilih sendiri di antara: Isu: Agraria" in status
    assert " atau " in status.split("Tidak yakin")[1]
    assert "Tingkat: " in status and "karena: korban luka (luka)" in status
    assert "senjata (parang)" in status
