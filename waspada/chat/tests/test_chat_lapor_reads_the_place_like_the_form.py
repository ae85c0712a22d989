"""``!lapor`` reads ``lokasi:`` with the resolver the form and the API use: a code or a name."""

from __future__ import annotations

import pytest

from waspada.chat.commands import Refused, _region
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_name_a_code_and_a_level_word_each_find_the_place(paser: Region) -> None:
    assert _region("Lombok").code == "64.01.06.2006"
    assert _region("64.01.06.2006").code == "64.01.06.2006"
    assert _region("Kelurahan Long Ikis").code == "64.01.06.1001"


def test_an_ambiguous_name_is_answered_with_the_candidates_and_their_codes(paser: Region) -> None:
    with pytest.raises(Refused) as refused:
        _region("Long Ikis")
    message = str(refused.value)
    assert message.startswith("lokasi: Ada 2 wilayah bernama “Long Ikis”.")
    assert "Kecamatan Long Ikis, Kabupaten Paser (64.01.06)" in message
    assert "Kelurahan Long Ikis, Kecamatan Long Ikis, Kabupaten Paser (64.01.06.1001)" in message


def test_an_unknown_place_is_refused_in_indonesian(paser: Region) -> None:
    with pytest.raises(Refused, match="lokasi: Tidak ada desa/kelurahan atau kecamatan bernama “Atlantis”"):
        _region("Atlantis")
