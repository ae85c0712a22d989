"""`waspada audit verify` exits 0 on an intact trail and 1, naming the entry, on a tampered one."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.audit.management.commands.audit import Command
from waspada.audit.models import AuditEntry
from waspada.audit.tests.helpers import append, delete_by_hand, person, raw_sql, tamper

pytestmark = pytest.mark.django_db


def _verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_intact_trail_passes_and_prints_the_head_hash() -> None:
    entries = append(3)
    out, _ = _verify()
    assert "Jejak audit utuh: 3 entri diperiksa" in out
    assert f"Hash kepala: #{entries[-1].pk} {entries[-1].entry_hash}" in out


def test_an_edited_entry_fails_the_command_with_the_entry_named() -> None:
    entries = append(3)
    tamper(entries[1].pk, "changes", json.dumps({"role": [None, "ketua"]}))
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)

    assert failure.value.returncode == 1
    assert f"Entri #{entries[1].pk} (membership.added) telah diubah: hash tidak cocok." in err.getvalue()
    assert "TIDAK utuh" in str(failure.value)


def test_from_the_command_line_a_tampered_trail_exits_with_status_1(capsys) -> None:
    entries = append(4)
    delete_by_hand(entries[2].pk)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["waspada", "audit", "verify"])
    assert exit_.value.code == 1
    assert f"#{entries[1].pk} (membership.added) dan #{entries[3].pk}" in capsys.readouterr().err


def test_tail_shows_the_newest_entries_oldest_first() -> None:
    actor = person("analis", full_name="Siti Rahmawati")
    entries = append(5, actor=actor)
    out = io.StringIO()
    call_command("audit", "tail", "-n", "2", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("#")]
    assert [line.split()[0] for line in lines] == [f"#{entries[3].pk}", f"#{entries[4].pk}"]
    assert "Siti Rahmawati (analis)" in lines[0]
    assert "WITA" in lines[0]
    assert f"Hash kepala: #{entries[4].pk} {entries[4].entry_hash}" in out.getvalue()


def test_tail_of_an_empty_trail_says_so() -> None:
    out = io.StringIO()
    call_command("audit", "tail", stdout=out)
    assert "Jejak audit masih kosong." in out.getvalue()


def test_a_head_hash_noted_off_site_exposes_a_rewritten_chain() -> None:
    entries = append(3)
    noted = f"{entries[1].pk}:{entries[1].entry_hash}"
    call_command("audit", "verify", "--anchor", noted, stdout=io.StringIO())

    # A forger rewrites entry 2 and recomputes every hash after it, and the head: the chain
    # itself verifies, only the hash noted outside the database disagrees.
    previous = entries[0].entry_hash
    for entry in AuditEntry.objects.order_by("id")[1:]:
        entry.prev_hash = previous
        entry.object_id = "dipalsukan"
        previous = entry.compute_hash()
        raw_sql(
            "UPDATE audit_auditentry SET prev_hash = %s, object_id = %s, entry_hash = %s WHERE id = %s",
            [entry.prev_hash, entry.object_id, previous, entry.pk],
        )
    raw_sql("UPDATE audit_audithead SET entry_hash = %s", [previous])
    call_command("audit", "verify", stdout=io.StringIO())  # the forgery is self-consistent

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", noted, stdout=io.StringIO(), stderr=err)
    assert f"Entri #{entries[1].pk} (membership.added) tidak cocok dengan hash yang dicatat" in err.getvalue()


def test_a_malformed_anchor_is_refused() -> None:
    with pytest.raises(CommandError, match="Format --anchor salah"):
        call_command("audit", "verify", "--anchor", "17-abc", stdout=io.StringIO())
