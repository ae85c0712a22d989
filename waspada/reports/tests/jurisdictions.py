"""Penajam Paser Utara and Kalimantan Timur beside Paser: the regions, forums and personas the
tests of jurisdictions build on (issue 18), and the small helpers they share."""

from __future__ import annotations

from typing import Any

from django.test import Client

from waspada.forums.defaults import ensure_default_forums, ensure_province_forums
from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.testing.personas import (
    NEIGHBOUR_REGENCY_CODE,
    OTHER_JURISDICTION_PERSONAS,
    PROVINCE_CODE,
    ensure_persona,
)

# The personas of the neighbouring regency and of the province, in the order the matrix asks them.
PPU_PERSONAS = ("ppu_analyst", "ppu_regent", "ppu_reporter")
PROVINCE_PERSONAS = ("province_analyst", "province_fkdm_chair", "governor")
OTHER_PERSONAS = (*PPU_PERSONAS, *PROVINCE_PERSONAS)
assert set(OTHER_PERSONAS) == {persona.key for persona in OTHER_JURISDICTION_PERSONAS}


def load_kaltim() -> Region:
    """Penajam Paser Utara's regions and default forums, and the province's own forums, beside a
    Paser that is already loaded (what the ``kaltim`` fixture does, for module-scoped worlds)."""
    load_bundled_regions(NEIGHBOUR_REGENCY_CODE)
    ensure_default_forums(regency=Region.objects.get(code=NEIGHBOUR_REGENCY_CODE))
    province = Region.objects.get(code=PROVINCE_CODE)
    ensure_province_forums(province=province)
    return province


def ensure_other_personas(paser: Region) -> dict[str, Person]:
    """The six personas of Penajam Paser Utara and of the province, by fixture name."""
    return {key: ensure_persona(key, regency=paser) for key in OTHER_PERSONAS}


def web(person: Person) -> Client:
    """A browser session of ``person`` (both login steps done)."""
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def api(person: Person) -> Client:
    """An API client carrying a personal token of ``person``."""
    _token, raw = create_token(person=person, name="Uji yurisdiksi", by=None)
    return Client(raise_request_exception=False, headers={"authorization": f"Bearer {raw}"})


def post_json(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, content_type="application/json")
