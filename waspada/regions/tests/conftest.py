"""Helpers for the regions tests: the packaged data, a database snapshot, small CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from waspada.regions.importers import PASER_BOUNDARIES_DIR, load_bundled_regions
from waspada.regions.models import Region

REGION_FIELDS = (
    "code",
    "parent_id",
    "level",
    "type",
    "name",
    "search_name",
    "latitude",
    "longitude",
    "boundary",
)


def regions_dir() -> Path:
    """A small excerpt of the region lists with centroids (``data/README.md`` says which rows)."""
    return Path(__file__).resolve().parent / "data"


def boundaries_dir() -> Path:
    """Paser's boundaries as packaged with Waspada (kabupaten, kecamatan, desa/kelurahan)."""
    return PASER_BOUNDARIES_DIR


def snapshot() -> list[tuple[Any, ...]]:
    """Every region row, every column: equal snapshots mean the import changed nothing."""
    return list(Region.objects.order_by("code").values_list(*REGION_FIELDS))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def paser_regions(db: None) -> Region:
    """Kabupaten Paser from the bundled code list, without forums (this app's own fixture)."""
    load_bundled_regions("64.01")
    return Region.objects.get(code="64.01")


@pytest.fixture
def logged_in_client(db: None) -> Client:
    user = get_user_model().objects.create_user(username="analis.wilayah", password="Sandi-Wilayah-2026!")
    client = Client()
    client.force_login(user)
    return client
