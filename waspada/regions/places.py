"""A place a person typed, turned into one region: by code, by name, or by a point on the map.

Every surface that takes a report's location uses this one resolver: the web form (with or
without JavaScript), the REST API and the chat ``!lapor`` command. Free text *inside* a story
("bentrok di Desa Lombok") is another problem, solved by the triage gazetteer.

A typed location is read in this order:

1. digits and dots are a Kemendagri code (``64.01.06.2006`` or ``6401062006``);
2. otherwise the text is a name, optionally led by a level word ("Desa Lombok", "Kec. Long
   Ikis") and followed, after commas, by the names of regions above it ("Lombok, Long Ikis",
   "Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser": what the picker shows);
3. the name must equal a region's whole name (case, accents and punctuation aside); regions of
   the installation's own regency (``WASPADA_HOME_REGION``) win over namesakes elsewhere;
4. one region found: that is the place. Several (a kecamatan and its namesake village, or two
   villages of one name): the person is asked to choose. None: regions whose names contain the
   words are offered as near matches, and the answer is still "not found".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from waspada.regions.models import Level, Region, RegionQuerySet, within_q
from waspada.regions.names import code_within, level_of, normalize_code, normalize_name

# Words that say which level the name after them is ("Ds. Lombok" → a desa/kelurahan).
LEVEL_WORDS: dict[str, int] = {
    "desa": Level.DESA,
    "ds": Level.DESA,
    "kel": Level.DESA,
    "kelurahan": Level.DESA,
    "kampung": Level.DESA,
    "kecamatan": Level.KECAMATAN,
    "kec": Level.KECAMATAN,
    "kab": Level.KABUPATEN,
    "kabupaten": Level.KABUPATEN,
    "kota": Level.KABUPATEN,
    "provinsi": Level.PROVINSI,
    "prov": Level.PROVINSI,
}
REPORT_LEVELS: tuple[int, ...] = (Level.KECAMATAN, Level.DESA)
MAX_CANDIDATES = 8
# A village centroid farther than this from a GPS point is not "where I am" (Paser's largest
# villages are about 15 km across).
NEAREST_MAX_KM = 25.0


@dataclass(frozen=True)
class PlaceLookup:
    """The answer for one typed location: a ``region``, or a ``problem`` and maybe ``candidates``.

    ``ambiguous`` is true when the candidates all carry exactly the typed name (the person must
    choose); false when they are only near matches for a name that was not found.
    """

    text: str
    region: Region | None = None
    candidates: list[Region] = field(default_factory=list)
    ambiguous: bool = False
    problem: str = ""


def describe_all(regions: list[Region]) -> dict[str, str]:
    """``describe`` ("Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser") for many regions, their
    parents fetched in one query: the kecamatan and regency tell same-named villages apart."""
    from waspada.regions.widgets import describe

    loaded = Region.objects.defer("boundary").select_related("parent__parent__parent")
    by_code = {r.code: r for r in loaded.filter(code__in=[region.code for region in regions])}
    return {region.code: describe(by_code.get(region.code, region)) for region in regions}


def _prefixes(code: str) -> list[str]:
    found = []
    while "." in code:
        code = code.rpartition(".")[0]
        found.append(code)
    return found


def _split_level(part: str) -> tuple[int | None, str]:
    words = normalize_name(part).split()
    if len(words) > 1 and words[0] in LEVEL_WORDS:
        return LEVEL_WORDS[words[0]], " ".join(words[1:])
    return None, " ".join(words)


def _home() -> str:
    return str(settings.WASPADA_HOME_REGION)


def _prefer_home(regions: list[Region], home: str) -> list[Region]:
    at_home = [region for region in regions if code_within(region.code, home)]
    return at_home or regions


def _names_of(region: Region) -> set[str]:
    """A region's name as typed: "kabupaten paser" is also "paser", "kota balikpapan" "balikpapan"."""
    names = {region.search_name}
    for prefix in ("kabupaten ", "kota "):
        if region.search_name.startswith(prefix):
            names.add(region.search_name[len(prefix) :])
    return names


def _ancestor_matches(region: Region, wanted: list[tuple[int | None, str]], names: dict[str, Region]) -> bool:
    chain = [names[code] for code in _prefixes(region.code) if code in names]
    for level, name in wanted:
        if not any(name in _names_of(a) and (level is None or a.level == level) for a in chain):
            return False
    return True


def region_by_code(code: str) -> Region | None:
    """The region with ``code``, its boundary deferred, or None: what
    ``Region.objects.defer("boundary").filter(code=code).first()`` gives, in one plain statement
    (every report filed by code asks it; docs/benchmarks.md, intake)."""
    from django.db import connections, router

    alias = router.db_for_read(Region)
    fields = [f for f in Region._meta.concrete_fields if f.name != "boundary"]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f'SELECT {columns} FROM {Region._meta.db_table} WHERE "code" = %s',  # noqa: S608 - names from the model
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Region.from_db(alias, [f.attname for f in fields], list(row))


def resolve_place(
    text: str, *, levels: tuple[int, ...] = REPORT_LEVELS, home: str | None = None
) -> PlaceLookup:
    """The region ``text`` names, at one of ``levels`` (a code of another level is returned
    as found, so the caller can say why it is not accepted). See the module docstring."""
    home = home if home is not None else _home()
    raw = (text or "").strip()
    if not raw:
        return PlaceLookup(text=raw, problem=_("Wajib diisi."))
    if "\x00" in raw or len(raw) > 200:
        return PlaceLookup(text=raw[:200], problem=_("Lokasi tidak sah."))
    regions: RegionQuerySet = Region.objects.defer("boundary")
    if all(char.isdigit() or char in ". " for char in raw):
        code = normalize_code(raw.replace(" ", ""))
        region = region_by_code(code) if level_of(code) else None
        if region is None:
            return PlaceLookup(
                text=raw, problem=_("Kode wilayah %(code)s tidak dikenal.") % {"code": raw[:20]}
            )
        return PlaceLookup(text=raw, region=region)

    head, *rest = [part for part in raw.split(",") if part.strip()] or [raw]
    level, name = _split_level(head)
    ancestors = [_split_level(part) for part in rest]
    wanted_levels = (level,) if level in levels else levels
    if not name:
        return PlaceLookup(text=raw, problem=_not_found(raw))
    exact = list(regions.filter(search_name=name, level__in=wanted_levels).order_by("level", "code")[:200])
    if ancestors and exact:
        names = {
            r.code: r
            for r in regions.filter(code__in={p for region in exact for p in _prefixes(region.code)})
        }
        exact = [region for region in exact if _ancestor_matches(region, ancestors, names)]
    exact = _prefer_home(exact, home)
    if len(exact) == 1:
        return PlaceLookup(text=raw, region=exact[0])
    if exact:
        shown = exact[:MAX_CANDIDATES]
        return PlaceLookup(
            text=raw,
            candidates=shown,
            ambiguous=True,
            problem=_(
                "Ada %(count)d wilayah bernama “%(name)s”. Pilih salah satu, atau tulis lebih "
                "lengkap (mis. “%(example)s”)."
            )
            % {"count": len(exact), "name": head.strip()[:60], "example": _example(shown)},
        )
    near = list(
        regions.filter(level__in=wanted_levels)
        .filter(within_q(home, ""))
        .ranked_search(name, home=home)[:MAX_CANDIDATES]
    )
    return PlaceLookup(text=raw, candidates=near, problem=_not_found(raw, bool(near)))


def _example(candidates: list[Region]) -> str:
    """A fuller name that picks one candidate: its level word when the levels differ
    ("Kelurahan Long Ikis"), else its kecamatan after a comma ("Selerong, Muara Komam")."""
    last = candidates[-1]
    if len({region.label for region in candidates}) == len(candidates):
        return last.label
    parent = last.code.rpartition(".")[0]
    above = Region.objects.filter(code=parent).values_list("name", flat=True).first()
    return f"{last.name}, {above}" if above else last.label


def _not_found(raw: str, near: bool = False) -> str:
    if near:
        return _(
            "Tidak ada desa/kelurahan atau kecamatan bernama “%(name)s”. Pilih yang dimaksud dari "
            "daftar di bawah, atau perbaiki ketikannya."
        ) % {"name": raw[:60]}
    return _(
        "Tidak ada desa/kelurahan atau kecamatan bernama “%(name)s”. Periksa ejaannya, atau tulis "
        "kode wilayahnya (mis. 64.01.06.2006)."
    ) % {"name": raw[:60]}


def candidates_sentence(lookup: PlaceLookup) -> str:
    """The lookup's problem with its candidates written out, for surfaces without a list to
    click (the API, chat): "…: Kecamatan Long Ikis (64.01.06, Kabupaten Paser); …"."""
    if not lookup.candidates:
        return lookup.problem
    described = describe_all(lookup.candidates)
    options = "; ".join(f"{described[r.code]} ({r.code})" for r in lookup.candidates)
    return f"{lookup.problem} {_('Pilihan')}: {options}."


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Nearest:
    region: Region
    distance_km: float


def nearest_village(
    latitude: float, longitude: float, *, within: str | None = None, max_km: float = NEAREST_MAX_KM
) -> Nearest | None:
    """The desa/kelurahan of ``within`` (default: the installation's regency) whose centroid is
    nearest to the point, if one lies within ``max_km``; None otherwise.

    Centroids only: the boundaries are not always imported, and a centroid is what the region
    list has for every village. A box of ``max_km`` around the point narrows the query first.
    """
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    area = within or _home()
    dlat = max_km / 111.0
    dlon = max_km / (111.0 * max(0.01, math.cos(math.radians(latitude))))
    rows = (
        Region.objects.defer("boundary")
        .filter(level=Level.DESA, latitude__isnull=False, longitude__isnull=False)
        .filter(within_q(area, ""))
        .filter(
            latitude__gte=latitude - dlat,
            latitude__lte=latitude + dlat,
            longitude__gte=longitude - dlon,
            longitude__lte=longitude + dlon,
        )
    )
    best: Nearest | None = None
    for region in rows:
        assert region.latitude is not None and region.longitude is not None
        distance = _distance_km(latitude, longitude, region.latitude, region.longitude)
        if distance <= max_km and (best is None or distance < best.distance_km):
            best = Nearest(region, distance)
    return best
