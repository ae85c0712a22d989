"""Helpers for the regions tests: the shared data folder, a database snapshot, small CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from waspada.regions.importers import load_bundled_regions
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


def shared_dir() -> Path:
    """The ``shared/`` folder beside the repository clone (docs and region data).

    CI always checks it out there, so its absence is a broken setup, not a reason to skip.
    """
    path = (Path(__file__).resolve().parents[3] / ".." / "shared").resolve()
    if not (path / "data" / "regions").is_dir():
        pytest.fail(f"shared data folder missing: expected {path}/data/regions beside the repository clone")
    return path


def regions_dir() -> Path:
    return shared_dir() / "data" / "regions"


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
