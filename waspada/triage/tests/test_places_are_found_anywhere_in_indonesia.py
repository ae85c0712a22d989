"""Place finding for reports from any province, for an installation at home in Paser (64.01)."""

from __future__ import annotations

import pytest

from waspada.triage.gazetteer import find_places


def places(text: str) -> tuple[str | None, str | None, list[str]]:
    result = find_places(text, home="64.01")
    return result.kabupaten, result.kecamatan, result.desa


def test_distrik_is_the_kecamatan_word_of_papua() -> None:
    assert places("Kontak tembak pecah di Distrik Sugapa subuh tadi.") == ("94.07", "94.07.01", [])


@pytest.mark.parametrize(
    ("text", "desa"),
    [
        ("Sengketa batas Negeri Hila, Maluku Tengah, memanas.", "81.01.15.2011"),  # Maluku
        ("Nagari Pariangan gelar musyawarah adat.", "13.04.09.2005"),  # Sumatera Barat
        ("Gampong Lamteh diserang orang tak dikenal.", "11.06.08.2007"),  # Aceh
    ],
)
def test_negeri_nagari_and_gampong_are_village_words(text: str, desa: str) -> None:
    assert places(text)[2] == [desa]


def test_pengadilan_negeri_is_no_village() -> None:
    # Klaten is a regency and villages elsewhere: after "Pengadilan Negeri" it is the regency.
    result = find_places(
        "Sidang di Pengadilan Negeri Klaten ditunda, warga Negeri Hila menunggu.", home="64.01"
    )
    assert [f.code for f in result.found] == ["33.10", "81.01.15.2011"]


def test_a_bare_kecamatan_in_a_regency_the_text_names_is_found() -> None:
    # "Jakarta Barat" is "Kota Administrasi Jakarta Barat"; "Ogan Ilir" a regency of several words.
    assert places("Dua kelompok pemuda bentrok di Kalideres, Jakarta Barat, semalam.") == (
        "31.73",
        "31.73.06",
        [],
    )
    assert places("Warga Pemulutan, Ogan Ilir memblokir jalan desa.") == ("16.10", "16.10.05", [])
    # Manokwari Selatan is a regency and a distrik of Manokwari; the text names Manokwari.
    text = "Pembangunan masjid di Manokwari Selatan ditolak, Bupati Manokwari turun tangan."
    assert places(text) == ("92.02", "92.02.15", [])


def test_the_regency_named_beats_a_namesake_near_home() -> None:
    # Rantau Panjang is also a village of Tanah Grogot, at home; the text names Ogan Ilir.
    assert places("Warga Rantau Panjang, Ogan Ilir, menolak tambang pasir.") == ("16.10", "16.10.11", [])


def test_a_village_and_its_kecamatan_far_from_home_support_each_other() -> None:
    text = "Portal dipasang di jalan kebun warga Mendis, Bayung Lencir."
    assert places(text) == ("16.06", "16.06.09", ["16.06.09.2013"])
    # Lower-case words in a text that capitalises names are words: Saling is a kecamatan of
    # Empat Lawang and Sawah a village in it, but here people fight in a rice field.
    assert places("Warga Risa, Kecamatan Woha, saling lempar batu di sawah") == (
        "52.06",
        "52.06.03",
        ["52.06.03.2007"],
    )


def test_common_short_names_of_regencies() -> None:
    assert places("Jalan putus di Sekayu (Muba) sejak kemarin.") == ("16.06", "16.06.01", [])
    assert places("Keributan antarwarga di Kalideres, Jakbar.") == ("31.73", "31.73.06", [])


def test_names_written_as_one_word_or_two() -> None:
    # The gazetteer has "Hitulama" and, in Kota Tangerang, "Sukaasih" (Kab. Tangerang: "Suka Asih").
    assert places("Polisi berjaga di Hitu Lama sejak sore.")[2] == ["81.01.15.2013"]
    assert places("Genangan di Kel. Suka Asih, Kec. Tangerang, Tangerang Kota.") == (
        "36.71",
        "36.71.01",
        ["36.71.01.1002"],
    )
    # "ke long" is no "Kelong": a run holding a function word is never joined.
    assert places("Warga pulang kampung ke long kali")[1] == "64.01.08"


def test_a_hamlet_word_does_not_outweigh_a_kecamatan_in_the_regency_named() -> None:
    # "Kp. Sawah" is a village elsewhere; Koja is a kecamatan of Jakarta Utara, which is named.
    assert places("Razia di Kp. Sawah, Koja, Jakarta Utara.") == ("31.72", "31.72.03", [])


def test_a_village_outside_the_regency_named_is_dropped() -> None:
    # Tanah Merah is a kelurahan of Samarinda too; the text is about Boven Digoel.
    assert places("Gudang terbakar di Tanah Merah, Boven Digoel.") == ("93.02", None, [])
    # A village inside the kecamatan named stays, whatever city the text also names.
    text = "Latihan evakuasi di lapangan Sudimara, Kec. Tabanan; gempa terasa dari Mataram."
    assert places(text) == ("51.02", "51.02.05", ["51.02.05.2001"])


def test_a_bare_name_of_both_a_city_and_a_regency_is_the_city() -> None:
    assert places("Buruh berdemo di depan kantor gubernur di Semarang.")[0] == "33.74"
    assert places("Buruh berdemo di depan kantor bupati, Kabupaten Semarang.")[0] == "33.22"


def test_a_kecamatan_name_found_nowhere_else_is_a_place_wherever_it_stands() -> None:
    assert places("Warga Tembagapura mengeluhkan harga bahan pokok.") == ("94.04", "94.04.10", [])
    assert places("Gerbang Kuala Kencana diblokir pekerja sejak pagi.") == ("94.04", "94.04.09", [])
    # Written in lower case inside a sentence it is a word, not a name: Kelapa is a kecamatan too.
    assert places("Harga kelapa naik di pasar.") == (None, None, [])


def test_camat_says_kecamatan_when_a_kecamatan_has_the_name() -> None:
    assert places("Kantor Camat Buleleng didatangi massa.") == ("51.08", "51.08.06", [])
    assert places("Camat Rahmat menemui warga yang berdemo.") == (None, None, [])


def test_a_name_after_kali_is_a_river() -> None:
    # Tala is a village of Seram Bagian Barat, but "Kali Tala" is a river.
    assert places("Warga menyeberangi Kali Tala menuju Seram Bagian Barat.") == ("81.06", None, [])


def test_the_kecamatan_named_with_its_level_word_is_the_one_reported() -> None:
    # Kusan Hulu (Tanah Bumbu) is said with "Kec."; Long Kali, at home, is where traders come from.
    text = "Pasar di Kec. Kusan Hulu sepi karena pedagang dari Long Kali tak bisa lewat."
    assert places(text)[1] == "63.10.05"
    # Without level words the home regency's kecamatan comes first, as before.
    assert places("Sengketa lahan di batas Long Ikis dengan Babulu (PPU) memanas.")[1] == "64.01.06"


def test_coal_is_not_the_regency_of_batu_bara_unless_the_text_says_kabupaten() -> None:
    assert find_places("Warga menghadang truk angkutan batu bara di jalan hauling").found == []
    assert find_places("truk batubara lewat depan rumah warga").found == []
    assert [p.code for p in find_places("Bentrok warga di Kabupaten Batu Bara").found] == ["12.19"]


def test_after_a_place_word_a_kecamatan_beats_its_namesake_villages() -> None:
    # Kalideres is a kecamatan of Jakarta Barat and also a village of Cirebon: "di Kalideres" with
    # no regency named is the kecamatan; without a place word it stays unplaced.
    assert places("Ratusan pencari suaka ditampung di Kalideres sejak Juli.")[1] == "31.73.06"
    assert places("Pencari suaka Kalideres bertahan sampai malam.")[1] is None


def test_a_chat_written_in_lower_case_names_a_distinctive_kecamatan() -> None:
    assert places("curanmor di wamena makin parah, jan ini sdh 30 motor hilang")[1] == "95.01.01"
    assert places("info dr taniwel: tokoh pemuda bilang wrg siap pertumpahan darah")[1] == "81.06.03"


def test_in_a_lower_case_chat_everyday_words_are_not_kecamatan() -> None:
    # Saling, Negara and Gantung are kecamatan somewhere; in a chat they are words.
    assert places("dua ormas saling sweeping anggota, suasana mencekam") == (None, None, [])
    assert places("pengungsi demo minta dipindah ke negara ketiga") == (None, None, [])
    assert places("jembatan gantung ambruk sdh sebulan blm diperbaiki") == (None, None, [])
