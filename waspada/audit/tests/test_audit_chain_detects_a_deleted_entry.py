"""Deleting entries by hand, from the start, the middle or the end, is caught by `verify_chain()`."""

import pytest
from django.db import transaction

from waspada.audit.actions import record
from waspada.audit.tests.helpers import append, delete_by_hand, raw_sql
from waspada.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_a_deleted_middle_entry_is_named_by_the_entries_around_the_gap() -> None:
    entries = append(5)
    delete_by_hand(entries[2].pk)

    result = verify_chain()

    assert not result.ok
    assert result.checked == 4
    assert len(result.problems) == 1
    assert f"antara entri #{entries[1].pk} (membership.added) dan #{entries[3].pk}" in result.problems[0]


def test_a_deleted_first_entry_is_caught() -> None:
    entries = append(3)
    delete_by_hand(entries[0].pk)
    result = verify_chain()
    assert not result.ok
    assert f"Entri #{entries[1].pk} (membership.added) bukan awal rantai" in result.problems[0]


def test_deleted_last_entries_are_caught_by_the_head() -> None:
    entries = append(5)
    delete_by_hand(entries[3].pk, entries[4].pk)

    result = verify_chain()

    assert not result.ok
    assert result.problems == [
        f"Entri terakhir telah dihapus: penanda kepala menunjuk entri #{entries[4].pk}, "
        f"tetapi entri terakhir yang ada adalah #{entries[2].pk} (membership.added)."
    ]


def test_deleting_every_entry_is_caught_by_the_head() -> None:
    entries = append(3)
    delete_by_hand(*(entry.pk for entry in entries))
    result = verify_chain()
    assert not result.ok
    assert f"penanda kepala menunjuk entri #{entries[-1].pk}" in result.problems[0]


def test_deleting_the_head_is_caught() -> None:
    append(2)
    raw_sql("DELETE FROM audit_audithead")
    result = verify_chain()
    assert not result.ok
    assert "Penanda kepala jejak audit hilang" in result.problems[0]


def test_ids_skipped_by_a_rolled_back_append_are_not_a_problem() -> None:
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="membership.added", actor=None, object_type="forums.membership", object_id="x")
        raise RuntimeError("the change failed")
    append(2)
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == 4
