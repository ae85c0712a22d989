import pytest

from waspada.audit.models import AuditEntry
from waspada.reports.actions import reveal_informant
from waspada.reports.models import Informant
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

INFORMANT = "Siti Rahmawati Informan"


def test_the_identity_is_not_stored_in_clear_text(desa_reporter) -> None:
    report = submit(desa_reporter, informant_name=INFORMANT, informant_contact="0812-5555-0101").report
    stored = Informant.objects.get(report=report)
    assert INFORMANT not in stored.name_encrypted
    assert "0812" not in stored.contact_encrypted
    assert stored.is_secret


def test_only_a_handler_may_reveal_and_the_reveal_is_recorded(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, informant_name=INFORMANT).report
    with pytest.raises(PermissionError):
        reveal_informant(report=report, by=kesbangpol_analyst)
    assert not AuditEntry.objects.filter(action="informant.revealed").exists()

    kesbangpol_analyst.is_informant_handler = True
    kesbangpol_analyst.save()
    revealed = reveal_informant(report=report, by=kesbangpol_analyst)
    assert revealed.name == INFORMANT
    entry = AuditEntry.objects.get(action="informant.revealed")
    assert entry.actor_id == kesbangpol_analyst.pk


def test_the_audit_entry_of_a_submission_does_not_contain_the_identity(desa_reporter) -> None:
    submit(desa_reporter, informant_name=INFORMANT, informant_contact="0812-5555-0101")
    for entry in AuditEntry.objects.all():
        assert INFORMANT not in str(entry.changes)
        assert "0812" not in str(entry.changes)
