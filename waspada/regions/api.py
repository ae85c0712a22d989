"""Region lookups for pickers: search by name or code, one region with its ancestors, children.

Read-only and unscoped: the list of Indonesian regions is public data, the API only requires a
login (configured on the NinjaAPI) so that it is not an open proxy for scrapers. Every list is
bounded by ``limit`` because a name search over 83,762 villages must stay cheap.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from waspada.lib.api_errors import ErrorOut
from waspada.regions.models import Region
from waspada.regions.names import level_of, normalize_code
from waspada.regions.places import nearest_village

router = Router(tags=["wilayah"])

MAX_LIMIT = 50
# A Kemendagri code as ``normalize_code`` and ``level_of`` read it: dotted, or its digits alone.
# Empty: no restriction, as when the parameter is left out.
CODE_PATTERN = r"^(\s*(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?|\d{4}|\d{6}|\d{10})\s*)?$"


class RegionRef(Schema):
    """An ancestor as a picker shows it: "Kecamatan Long Ikis", "Kabupaten Paser"."""

    code: str
    name: str
    level: int
    label: str


class RegionOut(Schema):
    code: str
    name: str
    level: int
    type: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    label: str
    ancestors: list[RegionRef]


class RegionFilters(Schema):
    q: str = Field("", max_length=120, description="Nama (beberapa kata) atau kode wilayah (64.01 / 6401).")
    level: int | None = Field(
        None, ge=1, le=4, description="1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa"
    )
    min_level: int | None = Field(
        None, ge=1, le=4, description="Hanya tingkat ini dan di bawahnya, mis. 3: kecamatan dan desa"
    )
    within: str | None = Field(
        None,
        max_length=13,
        description="Hanya di dalam wilayah ini: kode Kemendagri, mis. 64.01 atau 6401.",
        json_schema_extra={"pattern": CODE_PATTERN},
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


def _ref(region: Region) -> RegionRef:
    return RegionRef(code=region.code, name=region.name, level=region.level, label=region.label)


def _out(region: Region, ancestors: dict[str, Region]) -> RegionOut:
    chain: list[RegionRef] = []
    code = region.code
    while "." in code:
        code = code.rpartition(".")[0]
        if code in ancestors:
            chain.append(_ref(ancestors[code]))
    return RegionOut(
        code=region.code,
        name=region.name,
        level=region.level,
        type=region.type,
        parent_code=region.parent_id,
        latitude=region.latitude,
        longitude=region.longitude,
        label=region.label,
        ancestors=list(reversed(chain)),
    )


def _with_ancestors(regions: Iterable[Region]) -> list[RegionOut]:
    """Serialize regions with their ancestors, fetched in one query from the code prefixes."""
    regions = list(regions)
    wanted: set[str] = set()
    for region in regions:
        code = region.code
        while "." in code:
            code = code.rpartition(".")[0]
            wanted.add(code)
    ancestors = {region.code: region for region in Region.objects.filter(code__in=wanted)} if wanted else {}
    return [_out(region, ancestors) for region in regions]


def _code_or_422(raw: str, field: str) -> str:
    code = normalize_code(raw)
    if level_of(code) is None:
        raise HttpError(
            422, _("{field}: {code!r} bukan kode wilayah Kemendagri.").format(field=field, code=raw)
        )
    return code


def _get_or_404(raw: str) -> Region:
    code = normalize_code(raw)
    # No code has a NUL, and PostgreSQL cannot compare text with it.
    region = None if "\x00" in code else Region.objects.filter(code=code).first()
    if region is None:
        raise HttpError(404, _("Wilayah dengan kode {code} tidak ditemukan.").format(code=raw))
    return region


@router.get("/", response={200: list[RegionOut], 422: ErrorOut}, summary="Cari wilayah / find regions")
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> list[RegionOut]:
    """Find regions by name or code, best match first; without ``q`` list by level and code.

    ``level=1`` alone lists the provinces; ``within=64.01`` restricts to Kabupaten Paser.
    """
    queryset = Region.objects.all()
    if filters.within:
        queryset = queryset.within_code(_code_or_422(filters.within, "within"))
    if filters.level is not None:
        queryset = queryset.filter(level=filters.level)
    if filters.min_level is not None:
        queryset = queryset.filter(level__gte=filters.min_level)
    if filters.q.strip():
        queryset = queryset.ranked_search(filters.q, home=settings.WASPADA_HOME_REGION)
    else:
        queryset = queryset.order_by("level", "code")
    return _with_ancestors(queryset[: filters.limit])


class NearestOut(Schema):
    region: RegionOut
    distance_km: float = Field(..., description="Jarak dari titik ke titik tengah desa, km")


class NearestFilters(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Lintang (WGS 84)")
    lon: float = Field(..., ge=-180, le=180, description="Bujur (WGS 84)")


@router.get(
    "/nearest",
    response={200: NearestOut, 404: ErrorOut, 422: ErrorOut},
    summary="Desa terdekat dari satu titik / nearest village",
)
def nearest(request: HttpRequest, point: Query[NearestFilters]) -> NearestOut:
    """The desa/kelurahan of the installation's regency whose centroid is nearest to the point
    (e.g. the phone's GPS for "Gunakan lokasi saya"), within 25 km; 404 when none is.

    The point itself is not stored here; the report form keeps it as the report's exact point,
    which only the reporter and the TKD see."""
    found = nearest_village(point.lat, point.lon, within=settings.WASPADA_HOME_REGION)
    if found is None:
        raise HttpError(
            404, _("Tidak ada desa/kelurahan wilayah ini dalam 25 km dari titik Anda; ketik nama desanya.")
        )
    region = Region.objects.defer("boundary").get(code=found.region.code)
    return NearestOut(region=_with_ancestors([region])[0], distance_km=round(found.distance_km, 2))


@router.get("/{code}", response={200: RegionOut, 404: ErrorOut}, summary="Satu wilayah / one region")
def get_region(request: HttpRequest, code: str) -> RegionOut:
    """One region by dotted or compact code, with its ancestors from the province down."""
    return _with_ancestors([_get_or_404(code)])[0]


@router.get(
    "/{code}/children", response={200: list[RegionOut], 404: ErrorOut}, summary="Wilayah bawahan / children"
)
def list_children(request: HttpRequest, code: str) -> list[RegionOut]:
    """The direct children of a region, by code (a regency has at most a few dozen kecamatan,
    a kecamatan at most a few hundred villages, so there is no limit)."""
    region = _get_or_404(code)
    return _with_ancestors(region.children.order_by("code"))
