"""An entry lives and dies with the change it describes: same transaction, both or neither."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from waspada.audit.actions import NotInTransactionError, record
from waspada.audit.models import AuditEntry, AuditHead
from waspada.audit.tests.helpers import append, person
from waspada.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_a_rolled_back_change_leaves_no_entry_and_the_head_unmoved() -> None:
    admin = person("admin")
    before = append(1, actor=admin)[0]

    with pytest.raises(ValueError), transaction.atomic():
        newcomer = get_user_model().objects.create_user(username="baru", password="rahasia-sekali-123")
        record(action="person.created", actor=admin, obj=newcomer)
        raise ValueError("a later step of the action failed")

    assert not get_user_model().objects.filter(username="baru").exists()
    assert not AuditEntry.objects.filter(action="person.created").exists()
    assert AuditHead.objects.get().entry_id == before.pk
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused() -> None:
    # Without the caller's transaction the entry would commit even if the change failed.
    append(1)  # each append has its own atomic block: allowed
    with pytest.raises(NotInTransactionError):
        record(action="person.created", actor=None)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["membership.added"]
