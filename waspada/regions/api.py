"""Region lookups for pickers: children of a region, and search by name."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    type: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None


@router.get("/", response=list[RegionOut])
def list_regions(request: HttpRequest) -> list[RegionOut]:
    return []
