"""``!lapor`` takes the optional lines ``meninggal:``, ``luka:``, ``mengungsi:``; a line left out
is "not known", a word instead of a number is refused naming the line."""

from __future__ import annotations

import pytest

from waspada.chat.commands import Incoming, Refused, _lapor
from waspada.people.models import Person
from waspada.reports.models import Report

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "judul: Bentrok warga soal lahan\n"
    "apa: Dua kelompok warga bentrok di batas kebun\n"
    "lokasi: 64.01.06.2006\n"
    "isu: agraria_warga\n"
    "tingkat: siaga\n"
)


def _incoming(message_id: str, text: str) -> Incoming:
    return Incoming(channel="telegram", message_id=message_id, sender="@warga", room="dm", text=text)


def test_the_counts_given_are_stored_and_the_line_left_out_is_unknown(desa_reporter: Person) -> None:
    text = TEMPLATE + "meninggal: 1\nluka: 3\n"
    _lapor(_incoming("m1", text), desa_reporter, text)

    report = Report.objects.get()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (1, 3, None)


def test_a_word_instead_of_a_number_is_refused_naming_the_line(desa_reporter: Person) -> None:
    text = TEMPLATE + "mengungsi: banyak\n"
    with pytest.raises(Refused) as refused:
        _lapor(_incoming("m2", text), desa_reporter, text)
    assert str(refused.value) == (
        "mengungsi: tulis bilangan bulat (0, 1, 2, …), atau hapus baris ini bila belum diketahui."
    )
    assert not Report.objects.exists()


def test_plain_words_that_state_the_toll_fill_the_counts_and_say_so(desa_reporter: Person) -> None:
    # A member relays in plain words, as WhatsApp messages are written; the death rule needs the
    # count on the report, so the numbers the text states are taken (the analyst can correct them).
    text = "bentrok warga di desa lombok long ikis pakai parang, 2 orang tewas dan 3 warga luka-luka"
    reply = _lapor(_incoming("m3", text), desa_reporter, text)

    report = Report.objects.get()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (2, 3, None)
    assert "Jumlah korban dari teks: meninggal 2, luka 3." in reply


def test_plain_words_with_a_vague_toll_leave_the_counts_unknown(desa_reporter: Person) -> None:
    text = "bentrok warga di desa lombok long ikis, puluhan orang luka, rumah dibakar"
    reply = _lapor(_incoming("m4", text), desa_reporter, text)

    report = Report.objects.get()
    assert (report.casualties_dead, report.casualties_injured) == (None, None)
    assert "Jumlah korban" not in reply
