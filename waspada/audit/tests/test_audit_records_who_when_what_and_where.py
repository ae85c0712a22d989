"""An entry says who did what to which object, when, from where, and exactly what changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import RequestFactory

from waspada.audit.actions import client_ip, diff, record, snapshot
from waspada.audit.canonical import GENESIS_HASH
from waspada.audit.models import AuditEntry, AuditHead
from waspada.audit.tests.helpers import person
from waspada.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _request(**meta: str):
    return RequestFactory().post(
        "/laporan/", REMOTE_ADDR="10.20.30.40", HTTP_USER_AGENT="Mozilla/5.0 " * 40, **meta
    )


def test_an_entry_records_actor_object_origin_and_changes() -> None:
    analyst = person("analis", full_name="Siti Rahmawati")
    target = person("budi")
    before = snapshot(target, ["position", "home_region", "is_active"])
    target.position = "Ketua FKDM"
    target.save()

    with transaction.atomic():
        entry = record(
            action="person.changed",
            actor=analyst,
            obj=target,
            changes=diff(before, snapshot(target, ["position", "home_region", "is_active"])),
            request=_request(),
        )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == analyst.pk
    assert stored.actor_label == "Siti Rahmawati (analis)"
    assert stored.object_type == "people.person"
    assert stored.object_id == str(target.pk)
    assert stored.object_repr == "budi"
    assert stored.changes == {"position": ["", "Ketua FKDM"]}
    assert stored.source_ip == "10.20.30.40"
    assert len(stored.user_agent) == 255
    assert stored.channel == "web"
    assert stored.prev_hash == GENESIS_HASH
    assert len(stored.entry_hash) == 64
    assert stored.compute_hash() == stored.entry_hash


def test_each_entry_points_at_the_one_before_and_the_head_at_the_newest() -> None:
    with transaction.atomic():
        first = record(
            action="setting.changed", actor=None, object_type="core.setting", object_id="sla", channel="cli"
        )
        second = record(
            action="setting.changed", actor=None, object_type="core.setting", object_id="sla", channel="cli"
        )
    assert second.prev_hash == first.entry_hash
    head = AuditHead.objects.get()
    assert (head.entry_id, head.entry_hash) == (second.pk, second.entry_hash)


def test_values_of_every_common_type_hash_the_same_after_a_round_trip_through_the_database() -> None:
    analyst = person()
    with transaction.atomic():
        entry = record(
            action="report.changed",
            actor=analyst,
            changes={
                "deadline": [dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC), None],
                "date": dt.date(2025, 6, 1),
                "amount": Decimal("12.50"),
                "ratio": 0.1,
                "whole": 3.0,
                "huge": 1e16,
                "tiny": 1e-7,
                "person": analyst,
                "tags": {"b", "a"},
                "nested": {2: "dua", "teks": "Desa Long Ikis — ñ"},
            },
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.changes["deadline"] == ["2025-06-01T08:30:00.000000+00:00", None]
    assert stored.changes["amount"] == "12.50"
    assert stored.changes["whole"] == 3
    assert stored.changes["person"] == analyst.pk
    assert stored.changes["tags"] == ["a", "b"]
    assert stored.compute_hash() == entry.entry_hash
    assert verify_chain().ok


def test_values_that_cannot_be_recorded_faithfully_are_refused() -> None:
    with pytest.raises(TypeError), transaction.atomic():
        record(action="report.changed", actor=None, changes={"thing": object()})


def test_informant_reveals_are_recorded_with_the_channel_given() -> None:
    handler = person("penangan")
    with transaction.atomic():
        entry = record(
            action="informant.revealed",
            actor=handler,
            object_type="reports.report",
            object_id="LAP-2025-0001",
            channel="api",
            request=_request(),
        )
    assert AuditEntry.objects.get(action="informant.revealed").pk == entry.pk
    assert entry.channel == "api"
    with pytest.raises(ValueError), transaction.atomic():
        record(action="informant.revealed", actor=handler, channel="telepati")


def test_client_ip_is_normalised_and_junk_is_dropped() -> None:
    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR="::ffff:10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(factory.get("/", REMOTE_ADDR="bukan-alamat")) is None
    assert client_ip(None) is None


def test_diff_lists_only_what_changed() -> None:
    assert diff({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": True}) == {"b": ["x", "y"], "c": [None, True]}
