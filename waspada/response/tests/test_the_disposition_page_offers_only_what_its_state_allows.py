"""The disposition page offers exactly what the state machine allows the viewer, and every action
refuses exactly what it would not offer: one place (``response/states.py``) for both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, Role
from waspada.people.actions import create_person
from waspada.response import actions
from waspada.response.models import Disposition
from waspada.response.states import Action, available_actions
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    """Raised to roll an attempted action back after it succeeded."""


CALLS: dict[Action, Callable[[Disposition, Any], object]] = {
    Action.TERIMA: lambda d, p: actions.acknowledge(disposition=d, by=p),
    Action.TINDAKAN: lambda d, p: actions.add_action(disposition=d, text="Patroli dialogis", by=p),
    Action.JEDA: lambda d, p: actions.pause(disposition=d, reason="Menunggu Timdu PKS", by=p),
    Action.LANJUT: lambda d, p: actions.resume(disposition=d, by=p),
    Action.SELESAI: lambda d, p: actions.close(disposition=d, outcome="tertangani", text="Damai", by=p),
    Action.BUKA: lambda d, p: actions.reopen(disposition=d, reason="Muncul lagi", by=p),
    Action.KEMBALIKAN: lambda d, p: actions.return_disposition(disposition=d, reason="Bukan kami", by=p),
    Action.TUGASKAN: lambda d, p: actions.assign_disposition(
        disposition=d, member=d.forum.memberships.get(role=Role.ANGGOTA).person, by=p
    ),
    Action.ALIHKAN: lambda d, p: actions.redirect_disposition(
        disposition=d, forum=Forum.objects.get(code="FPK-6401"), reason="Antaretnis", by=p
    ),
    Action.TARIK: lambda d, p: actions.withdraw_disposition(disposition=d, reason="Keliru", by=p),
}


def _succeeds(action: Action, disposition: Disposition, person: Any) -> bool:
    """Whether the action did something (wrote an audit entry), then undone. Acknowledging an
    acknowledged disposition is accepted but does nothing: it counts as not done."""
    before = AuditEntry.objects.count()
    try:
        with transaction.atomic():
            CALLS[action](Disposition.objects.get(pk=disposition.pk), person)
            done = AuditEntry.objects.count() > before
            raise _Undo
    except _Undo:
        return done
    except (PermissionError, ValidationError):
        return False


@pytest.fixture
def fkub_chair(paser: Any) -> Any:
    chair = create_person(username="ketua.fkub", full_name="Haji Abdul Rahman", email="ketua.fkub@example.id")
    add_membership(person=chair, forum=Forum.objects.get(code="FKUB-6401"), role=Role.KETUA, by=None)
    return chair


def _states(desa_reporter: Any, analyst: Any, member: Any) -> dict[str, Disposition]:
    """One FKUB disposition in each state, each on its own report."""

    def fresh() -> Disposition:
        report = verified(desa_reporter, analyst, isu="agama")
        return report.dispositions.get(forum__code="FKUB-6401")

    waiting = fresh()
    acknowledged = actions.acknowledge(disposition=fresh(), by=member)
    paused = actions.pause(
        disposition=actions.acknowledge(disposition=fresh(), by=member), reason="Menunggu", by=member
    )
    closed = actions.close(
        disposition=actions.acknowledge(disposition=fresh(), by=member),
        outcome="tertangani",
        text="Damai",
        by=member,
    )
    returned = actions.return_disposition(disposition=fresh(), reason="Bukan kami", by=member)
    withdrawn = actions.withdraw_disposition(disposition=fresh(), reason="Keliru", by=analyst)
    return {
        "menunggu": waiting,
        "diterima": acknowledged,
        "dijeda": paused,
        "selesai": closed,
        "dikembalikan": returned,
        "ditarik": withdrawn,
    }


def test_every_action_succeeds_exactly_when_the_page_would_offer_it(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, fkub_chair: Any, bnk_officer: Any
) -> None:
    dispositions = _states(desa_reporter, kesbangpol_analyst, fkub_officer)
    people = {
        "member": fkub_officer,
        "chair": fkub_chair,
        "analyst": kesbangpol_analyst,
        "other forum": bnk_officer,
    }
    for state, disposition in dispositions.items():
        disposition.refresh_from_db()
        for who, person in people.items():
            offered = set(available_actions(disposition, person))
            for action in Action:
                assert _succeeds(action, disposition, person) == (action in offered), (state, who, action)


def test_a_waiting_disposition_offers_only_acknowledge_and_hand_back_to_its_member(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, fkub_chair: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    assert available_actions(d, fkub_officer) == [Action.TERIMA, Action.KEMBALIKAN]
    assert available_actions(d, fkub_chair) == [Action.TERIMA, Action.TUGASKAN, Action.KEMBALIKAN]
    assert available_actions(d, kesbangpol_analyst) == [
        Action.TERIMA,
        Action.KEMBALIKAN,
        Action.ALIHKAN,
        Action.TARIK,
    ]
    d = actions.acknowledge(disposition=d, by=fkub_officer)
    assert available_actions(d, fkub_officer) == [
        Action.TINDAKAN,
        Action.SELESAI,
        Action.JEDA,
        Action.KEMBALIKAN,
    ]
    with pytest.raises(ValidationError) as error:
        actions.reopen(disposition=d, reason="x", by=fkub_officer)
    assert error.value.message_dict == {"status": ["Disposisi ini belum ditutup."]}


def test_the_page_shows_the_acknowledge_deadline_first_and_the_closing_one_after(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = Client()
    client.force_login(fkub_officer)
    html = client.get(f"/tindak-lanjut/{d.pk}/").content.decode()
    assert "Batas terima" in html and "Batas selesai" not in html
    assert 'value="terima"' in html
    for hidden in ('value="tindakan"', 'value="selesai"', 'value="jeda"', 'value="alihkan"', 'value="tarik"'):
        assert hidden not in html, hidden
    assert 'value="kembalikan" class="danger"' in html

    assert client.post(f"/tindak-lanjut/{d.pk}/aksi/", {"action": "terima"}).status_code == 302
    html = client.get(f"/tindak-lanjut/{d.pk}/").content.decode()
    assert "Batas selesai" in html and "Batas terima" not in html
    assert 'value="terima"' not in html
    assert 'value="tindakan" class="primary"' in html and 'value="selesai" class="secondary"' in html


def test_a_stale_form_for_an_action_no_longer_allowed_is_refused_with_a_reason(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = Client()
    client.force_login(fkub_officer)
    answer = client.post(
        f"/tindak-lanjut/{d.pk}/aksi/", {"action": "selesai", "outcome": "tertangani", "text": "Damai"}
    )
    assert answer.status_code == 422
    assert "Terima disposisi ini dulu." in answer.content.decode()
    d.refresh_from_db()
    assert d.status == "menunggu"


def test_handing_back_asks_for_confirmation_first(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = Client()
    client.force_login(fkub_officer)
    url = f"/tindak-lanjut/{d.pk}/aksi/"
    answer = client.post(url, {"action": "kembalikan", "reason": "Bukan kewenangan FKUB"})
    assert answer.status_code == 422
    assert "Centang kotak konfirmasi untuk melanjutkan." in answer.content.decode()
    d.refresh_from_db()
    assert d.status == "menunggu"
    answer = client.post(url, {"action": "kembalikan", "reason": "Bukan kewenangan FKUB", "confirm": "1"})
    assert answer.status_code == 302
    d.refresh_from_db()
    assert d.status == "dikembalikan"


def test_a_member_posting_a_withdrawal_is_refused_before_being_asked_to_confirm(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = Client()
    client.force_login(fkub_officer)
    answer = client.post(f"/tindak-lanjut/{d.pk}/aksi/", {"action": "tarik", "reason": "Keliru"})
    assert answer.status_code == 403
    d.refresh_from_db()
    assert d.status == "menunggu"
