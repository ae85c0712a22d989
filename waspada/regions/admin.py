"""Region administration: look regions up, never edit them by hand.

Regions come from the Kemendagri code list through ``waspada import_regions`` and
``waspada import_boundaries``, which validate whole files; a hand edit here would drift from the
official list and be overwritten by the next import. So the admin lists, searches and shows,
and adding, changing and deleting are switched off.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waspada.regions.models import Region, RegionQuerySet
from waspada.regions.widgets import describe

BOUNDARY_PREVIEW_CHARS = 4000
_SHOWN_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "level",
    "type",
    "parent",
    "context",
    "latitude",
    "longitude",
    "boundary_text",
)


def _point_count(coordinates: Any) -> int:
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
        return 1
    if isinstance(coordinates, list):
        return sum(_point_count(item) for item in coordinates)
    return 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "type", "parent", "has_boundary"]
    list_filter = ["level", "type"]
    search_fields = ["code", "search_name"]
    list_select_related = ["parent"]
    list_per_page = 100
    show_full_result_count = False  # counting 92,000 rows on every search page adds nothing
    fields = _SHOWN_FIELDS
    readonly_fields = _SHOWN_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Region], search_term: str
    ) -> tuple[QuerySet[Region], bool]:
        """Search like the picker does: every word of the name, or a dotted/compact code."""
        term = search_term.strip()
        if not term:
            return queryset, False
        regions = queryset if isinstance(queryset, RegionQuerySet) else Region.objects.filter(pk__in=queryset)
        return regions.ranked_search(term), False

    @admin.display(description=_("batas"), boolean=True)
    def has_boundary(self, obj: Region) -> bool:
        return obj.boundary is not None

    @admin.display(description=_("letak"))
    def context(self, obj: Region) -> str:
        return describe(obj)

    @admin.display(description=_("batas wilayah (GeoJSON)"))
    def boundary_text(self, obj: Region) -> str:
        if not obj.boundary:
            return gettext("Belum ada batas wilayah; impor dengan: waspada import_boundaries BERKAS.geojson")
        geometry = obj.boundary
        text = json.dumps(geometry, ensure_ascii=False)
        preview = text if len(text) <= BOUNDARY_PREVIEW_CHARS else text[:BOUNDARY_PREVIEW_CHARS] + " …"
        summary = gettext("{type}, {points} titik").format(
            type=geometry.get("type", "?"), points=_point_count(geometry.get("coordinates"))
        )
        return format_html('<p>{}</p><pre class="region-boundary">{}</pre>', summary, preview)
