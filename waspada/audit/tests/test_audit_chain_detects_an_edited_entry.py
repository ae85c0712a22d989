"""Editing an entry by hand, in the database, makes `verify_chain()` fail and name the entry."""

import json

import pytest

from waspada.audit.models import AuditEntry
from waspada.audit.tests.helpers import append, person, raw_sql, tamper
from waspada.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_an_untouched_chain_verifies() -> None:
    append(5, actor=person())
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == 5
    assert result.head_hash == AuditEntry.objects.order_by("-id").first().entry_hash


def test_an_empty_trail_verifies() -> None:
    result = verify_chain()
    assert result.ok
    assert result.checked == 0


def test_changing_what_an_entry_says_changed_is_caught_and_the_entry_named() -> None:
    entries = append(5)
    target = entries[2]
    tamper(target.pk, "changes", json.dumps({"role": [None, "ketua"], "n": 2}))

    result = verify_chain()

    assert not result.ok
    assert result.problems == [f"Entri #{target.pk} (membership.added) telah diubah: hash tidak cocok."]


def test_changing_who_did_it_is_caught() -> None:
    first, second = person("budi"), person("siti")
    entries = append(3, actor=first)
    tamper(entries[1].pk, "actor_id", second.pk)
    result = verify_chain()
    assert not result.ok
    assert f"#{entries[1].pk} (membership.added)" in result.problems[0]


def test_changing_the_time_of_the_last_entry_is_caught() -> None:
    entries = append(3)
    raw_sql(
        "UPDATE audit_auditentry SET occurred_at = %s WHERE id = %s",
        [entries[0].occurred_at, entries[-1].pk],
    )
    result = verify_chain()
    assert not result.ok
    assert result.problems == [f"Entri #{entries[-1].pk} (membership.added) telah diubah: hash tidak cocok."]


def test_an_edit_whose_hash_was_recomputed_breaks_the_link_to_the_next_entry() -> None:
    entries = append(4)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.changes = {"role": [None, "ketua"], "n": 1}
    forged_hash = forged.compute_hash()
    tamper(forged.pk, "changes", json.dumps(forged.changes))
    tamper(forged.pk, "entry_hash", forged_hash)

    result = verify_chain()

    assert not result.ok
    assert len(result.problems) == 1
    assert f"antara entri #{entries[1].pk}" in result.problems[0]
    assert f"#{entries[2].pk} (membership.added)" in result.problems[0]
