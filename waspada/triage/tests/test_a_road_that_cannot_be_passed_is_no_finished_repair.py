"""The first stage reads "a repair completed" as a sign of routine news (``classify.ROUTINE``):
a road that "bisa dilalui" again. "Tidak bisa dilalui" says the opposite and must not count."""

from __future__ import annotations

import pytest

from waspada.triage.classify import ROUTINE, routine_features

SELESAI = list(ROUTINE).index("selesai")


@pytest.mark.parametrize(
    "text",
    [
        "Jalan poros desa tidak bisa dilalui kendaraan sejak longsor tadi malam",
        "jembatan putus, tdk bisa dilalui, warga terisolir",
        "Jalur itu belum dapat dilalui truk logistik",
    ],
)
def test_a_road_that_cannot_be_passed_is_no_finished_repair(text: str) -> None:
    assert routine_features([text])[0, SELESAI] == 0


def test_a_road_open_again_is_a_finished_repair() -> None:
    assert routine_features(["Jalan yang tertimbun longsor kini sudah bisa dilalui lagi"])[0, SELESAI] > 0
