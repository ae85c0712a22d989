"""Entries are append-only: the model, its queryset, the database and the admin all refuse changes."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from waspada.audit.models import AppendOnlyError, AuditEntry
from waspada.audit.tests.helpers import append, person

pytestmark = pytest.mark.django_db


def test_saving_an_existing_entry_is_refused() -> None:
    entry = AuditEntry.objects.get(pk=append(1)[0].pk)
    entry.action = "membership.removed"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_deleting_an_entry_is_refused() -> None:
    entry = append(1)[0]
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_bulk_update_and_delete_are_refused() -> None:
    append(2)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(action="membership.added").delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update(list(AuditEntry.objects.all()), ["action"])
    assert AuditEntry.objects.filter(action="membership.added").count() == 2


def test_an_entry_cannot_be_inserted_without_going_through_record() -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry(action="report.submitted", prev_hash="0" * 64, entry_hash="f" * 64).save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="report.submitted")])


def test_the_database_refuses_raw_updates_and_deletes() -> None:
    entry = append(1)[0]
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "membership.added"


def test_a_person_in_the_trail_cannot_be_deleted() -> None:
    actor = person()
    append(1, actor=actor)
    with pytest.raises(ProtectedError):
        actor.delete()


def test_the_admin_lists_and_shows_entries_but_cannot_add_change_or_delete(
    client, settings, tmp_path
) -> None:
    # Pages render without a collectstatic run: plain storage instead of the manifest one.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    admin = person("admin", is_staff=True, is_superuser=True)
    entry = append(1, actor=admin)[0]
    client.force_login(admin)

    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/?action=membership.added").status_code == 200
    detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert b'name="action"' not in detail.content  # shown, not editable
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "membership.added"
