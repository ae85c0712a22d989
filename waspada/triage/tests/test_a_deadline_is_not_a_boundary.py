"""Words that mean something else together are read as one before the model counts them."""

from __future__ import annotations

from waspada.triage.classify import _padded_words, read_phrases


def test_batas_waktu_is_read_as_a_deadline() -> None:
    text = "Ormas memberi batas waktu 2x24 jam kepada kelompok itu untuk keluar."
    assert "tenggat" in read_phrases(text)
    assert " batas " not in _padded_words(text)


def test_crossing_and_overstay_are_not_boundary_words() -> None:
    assert " batas " not in _padded_words("Sepuluh WNA masuk tanpa pas lintas batas.")
    assert " batas " not in _padded_words("Dua turis kedapatan melewati batas izin tinggal 72 hari.")


def test_a_boundary_stays_a_boundary() -> None:
    assert " batas " in _padded_words("Sengketa tapal batas Desa Lubuk Unen dan Desa Susup memanas.")
