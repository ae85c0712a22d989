"""The casualty counts a text states outright are read into numbers (``casualties.py``); a vague
quantity gives none, and a stated absence ("tidak ada korban jiwa") gives 0."""

from __future__ import annotations

import pytest

from waspada.triage.casualties import counts_of

N = None


@pytest.mark.parametrize(
    ("text", "dead", "injured", "displaced"),
    [
        ("Bentrok di kebun, 3 orang tewas.", 3, N, N),
        ("Dua warga meninggal setelah dikeroyok.", 2, N, N),
        ("Sebanyak 5 orang luka-luka terkena lemparan batu.", N, 5, N),
        ("Satu korban luka berat dilarikan ke puskesmas.", N, 1, N),
        ("Ratusan KK mengungsi ke balai desa.", N, N, N),
        ("Puluhan warga mengungsi, belasan orang luka.", N, N, N),
        ("info kmrn 1 org mninggal, 3 org luka kena parang", 1, 3, N),
        ("Seorang pemuda tewas dan tujuh warga lainnya terluka.", 1, 7, N),
        ("Korban tewas 2 orang, korban luka-luka sebanyak sepuluh orang.", 2, 10, N),
        ("Bentrokan menewaskan dua orang dan melukai 4 warga.", 2, 4, N),
        ("Jumlah pengungsi berjumlah 1.200 jiwa di tiga posko.", N, N, 1200),
        ("Sekitar 120 jiwa mengungsi ke rumah kerabat.", N, N, 120),
        ("Dua orang luka berat dan tiga orang luka ringan.", N, 5, N),
        ("Tidak ada korban jiwa, namun 2 orang luka.", 0, 2, N),
        ("Nihil korban, situasi sudah kondusif.", 0, 0, N),
        ("Aksi berlangsung damai, tidak ada korban.", 0, 0, N),
        ("Korban jiwa nihil; tidak ada korban luka.", 0, 0, N),
        ("Belum ada laporan korban, situasi masih dipantau.", N, N, N),
        ("Jumlah korban belum diketahui.", N, N, N),
        ("Tiga rumah rusak dan 2 ekor sapi mati.", N, N, N),
        ("Rapat dihadiri 30 orang di balai desa.", N, N, N),
        ("Kabar 99999999999 orang tewas beredar.", N, N, N),
    ],
)
def test_explicit_counts_fill_and_vague_ones_do_not(
    text: str, dead: int | None, injured: int | None, displaced: int | None
) -> None:
    found = counts_of(text)
    assert (found.dead, found.injured, found.displaced) == (dead, injured, displaced)


def test_the_counts_travel_as_a_dictionary() -> None:
    assert counts_of("3 orang tewas").as_dict() == {"dead": 3, "injured": None, "displaced": None}


@pytest.mark.django_db
def test_the_suggestion_api_returns_the_counts_and_its_schema_states_them(client, desa_reporter) -> None:  # type: ignore[no-untyped-def]
    from waspada.triage.tests.test_api_suggests_and_records_corrections import post

    text = "Bentrok warga di Ds. Lembok Kec. Long Ikis: dua warga meninggal, 5 orang luka-luka."
    body = post(client, "/api/v1/triage/suggest", desa_reporter, {"text": text}).json()
    assert body["casualties"] == {"dead": 2, "injured": 5, "displaced": None}
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "casualties" in schema["SuggestOut"]["required"]
    assert set(schema["CasualtiesOut"]["properties"]) == {"dead", "injured", "displaced"}
