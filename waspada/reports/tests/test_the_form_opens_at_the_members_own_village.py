"""A new report starts at the place its reporter most likely is: their village, else district."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from waspada.people.models import Person
from waspada.reports.views import default_place

pytestmark = pytest.mark.django_db


def picker(client: Client) -> tuple[str, str]:
    html = client.get("/laporan/baru/").content.decode()
    code = re.search(r'<input type="hidden" name="region_code" id="id_region_code" value="([^"]*)"', html)
    text = re.search(r'name="region_code_text" value="([^"]*)"', html)
    assert code and text
    return code.group(1), text.group(1)


def test_the_village_reporter_starts_at_desa_lombok(desa_reporter: Person, client: Client) -> None:
    client.force_login(desa_reporter)
    assert picker(client) == ("64.01.06.2006", "Desa Lombok")
    assert (
        "Dipilih: Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser"
        in client.get("/laporan/baru/").content.decode()
    )


def test_the_district_chair_starts_at_his_kecamatan(kecamatan_fkdm_chair: Person, client: Client) -> None:
    client.force_login(kecamatan_fkdm_chair)
    assert picker(client) == ("64.01.06", "Kecamatan Long Ikis")


def test_a_regency_analyst_starts_with_an_empty_place(kesbangpol_analyst: Person, client: Client) -> None:
    client.force_login(kesbangpol_analyst)
    assert picker(client) == ("", "")
    assert default_place(kesbangpol_analyst) is None


def test_the_village_seat_wins_over_the_persons_own_region(desa_reporter: Person) -> None:
    from waspada.people.actions import update_person
    from waspada.regions.models import Region

    moved = update_person(person=desa_reporter, by=None, home_region=Region.objects.get(code="64.01.06.2007"))
    assert default_place(moved).code == "64.01.06.2006"  # type: ignore[union-attr]


def test_without_a_seat_the_persons_own_village_is_used(outsider: Person) -> None:
    from waspada.people.actions import update_person
    from waspada.regions.models import Region

    placed = update_person(person=outsider, by=None, home_region=Region.objects.get(code="64.01.06.2007"))
    assert default_place(placed).code == "64.01.06.2007"  # type: ignore[union-attr]
