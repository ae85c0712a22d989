"""Several regencies in one installation: each with its own default forums, and their province's.

A province installation (Kesbangpol provinsi hosting its regencies, or one Waspada for a whole
country) loads its regencies' region codes first (``waspada import_regions --only 64.01``, once
per regency), then calls ``ensure_installation_forums`` (``waspada default_forums --regency …``).
Each regency keeps its own TKD, FKDM, FKPD and the rest; routing picks, for each report, the
forum of the right kind whose jurisdiction most closely contains the report's place
(``response.routing.forum_for``), so a Penajam Paser Utara report reaches PPU's forums and never
Paser's, although the routing rules and deadline policies themselves are shared by the whole
installation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from waspada.forums.defaults import ensure_default_forums, ensure_province_forums
from waspada.forums.models import Forum
from waspada.regions.models import Level, Region


@dataclass
class InstallationForums:
    regencies: dict[str, list[Forum]] = field(default_factory=dict)  # regency code → its forums
    provinces: dict[str, list[Forum]] = field(default_factory=dict)  # province code → its forums

    @property
    def total(self) -> int:
        return sum(len(f) for f in self.regencies.values()) + sum(len(f) for f in self.provinces.values())


def regencies_from_codes(codes: Iterable[str]) -> list[Region]:
    """The kabupaten/kota named by ``codes``, in the order given; LookupError names a missing one.

    Their region codes must be imported already (``waspada import_regions --only CODE``).
    """
    regencies: list[Region] = []
    for code in codes:
        region = Region.objects.filter(code=code.strip(), level=Level.KABUPATEN).first()
        if region is None:
            raise LookupError(code)
        if region not in regencies:
            regencies.append(region)
    return regencies


def ensure_installation_forums(*, regencies: list[Region], with_province: bool = True) -> InstallationForums:
    """The default forums of every regency, and (``with_province``) of each of their provinces.

    Idempotent, like the two functions it calls: forums are found by code and created only when
    missing.
    """
    result = InstallationForums()
    with transaction.atomic():
        for regency in regencies:
            result.regencies[regency.code] = ensure_default_forums(regency=regency)
        if with_province:
            for province_code in sorted({regency.code.split(".")[0] for regency in regencies}):
                province = Region.objects.get(code=province_code, level=Level.PROVINSI)
                result.provinces[province_code] = ensure_province_forums(province=province)
    return result
