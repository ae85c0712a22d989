"""Kesbangpol sets a region's status by hand: reason and expiry required, audited, expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.regions.models import Region
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE
from waspada.situation.actions import lift_status_override, set_status_override
from waspada.situation.models import StatusOverride
from waspada.situation.status import region_statuses
from waspada.situation.tests.helpers import LONG_IKIS, incident

pytestmark = pytest.mark.django_db


def _in(days: float) -> Any:
    return timezone.now() + timedelta(days=days)


def test_an_override_wins_until_it_expires_and_is_audited(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="waspada")
    kecamatan = Region.objects.get(code=LONG_IKIS)
    override = set_status_override(
        region=kecamatan,
        status="siaga",
        reason="Rapat TKD: potensi bentrok saat panen",
        expires_at=_in(3),
        by=kesbangpol_analyst,
    )
    entry = region_statuses(kesbangpol_analyst)[LONG_IKIS]
    assert (entry.status, entry.computed, entry.override) == ("siaga", "waspada", override)
    audit = AuditEntry.objects.get(action="region_status.set")
    assert (
        audit.changes["reason"] == "Rapat TKD: potensi bentrok saat panen"
        and audit.changes["status"] == "siaga"
    )
    # after the expiry the rule decides again
    assert region_statuses(kesbangpol_analyst, now=_in(4))[LONG_IKIS].status == "waspada"


def test_an_override_can_lower_a_status_and_be_lifted(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="siaga")
    desa = Region.objects.get(code=LONG_IKIS_VILLAGE)
    override = set_status_override(
        region=desa,
        status="normal",
        reason="Sudah damai, dimediasi camat",
        expires_at=_in(1),
        by=kesbangpol_analyst,
    )
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE].status == "normal"
    lift_status_override(override=override, reason="Ada laporan baru", by=kesbangpol_analyst)
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE].status == "siaga"
    assert AuditEntry.objects.filter(action="region_status.lifted").count() == 1


def test_a_new_override_replaces_the_live_one(kesbangpol_analyst: Any) -> None:
    desa = Region.objects.get(code=LONG_IKIS_VILLAGE)
    first = set_status_override(
        region=desa, status="siaga", reason="a", expires_at=_in(2), by=kesbangpol_analyst
    )
    second = set_status_override(
        region=desa, status="awas", reason="b", expires_at=_in(2), by=kesbangpol_analyst
    )
    first.refresh_from_db()
    assert first.lifted_at is not None and second.lifted_at is None
    assert list(StatusOverride.objects.in_force()) == [second]


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("reason", {"reason": "  "}, "Alasan wajib diisi."),
        ("expires_at", {"expires_at": None}, "Batas berlaku wajib diisi."),
        ("expires_at", {"expires_at": "past"}, "Batas berlaku harus di masa depan."),
        ("expires_at", {"expires_at": "far"}, "Batas berlaku paling lama 90 hari dari sekarang."),
        ("status", {"status": "darurat"}, "Pilihan tidak dikenal: darurat."),
        ("region", {"region": "64.01"}, "Status hanya ditetapkan untuk kecamatan atau desa/kelurahan."),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_stores_nothing(
    kesbangpol_analyst: Any, field: str, kwargs: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {
        "region": Region.objects.get(code=LONG_IKIS),
        "status": "siaga",
        "reason": "Alasan",
        "expires_at": _in(1),
    }
    values.update(kwargs)
    if isinstance(values["region"], str):
        values["region"] = Region.objects.get(code=values["region"])
    if values["expires_at"] == "past":
        values["expires_at"] = _in(-1)
    elif values["expires_at"] == "far":
        values["expires_at"] = _in(91)
    with pytest.raises(ValidationError) as caught:
        set_status_override(by=kesbangpol_analyst, **values)
    assert caught.value.message_dict[field] == [message]
    assert (
        not StatusOverride.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="region_").exists()
    )


def test_only_the_early_warning_team_sets_a_status(
    fkub_officer: Any, regent: Any, kecamatan_fkdm_chair: Any
) -> None:
    kecamatan = Region.objects.get(code=LONG_IKIS)
    for person in (fkub_officer, regent, kecamatan_fkdm_chair):
        with pytest.raises(PermissionError):
            set_status_override(region=kecamatan, status="awas", reason="x", expires_at=_in(1), by=person)
    assert not StatusOverride.objects.exists()
