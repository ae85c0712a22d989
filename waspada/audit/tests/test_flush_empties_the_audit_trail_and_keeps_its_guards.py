"""`flush` (run after every transactional test) can empty the trail; the guards come back after."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from waspada.audit.models import AuditEntry, AuditHead
from waspada.audit.tests.helpers import append


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_the_triggers_still_refuse_edits_afterwards() -> None:
    append(3)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert not AuditHead.objects.exists()

    entry = append(1)[0]
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
