"""Two keys: an Actual alert for the Public is proposed by one person and published only when a
second one, holding the approve right over its region (the ketua TKD by default), approves it.
Restricted, Exercise and Test messages and cancellations keep their single step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from waspada.audit.models import AuditEntry
from waspada.exchange.actions import (
    AlertInput,
    approve_alert,
    can_approve_alert,
    cancel_alert,
    issue_alert,
    reject_alert,
    update_alert,
)
from waspada.exchange.models import Alert, AlertProposal, ProposalStatus
from waspada.exchange.tests.helpers import client_for
from waspada.forums.actions import change_role
from waspada.forums.models import Membership
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event
from waspada.people.models import Person
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db
LONG_IKIS = "64.01.06"


def _data(**overrides: Any) -> AlertInput:
    values: dict[str, Any] = {
        "headline": "Blokade jalan hauling di Long Ikis",
        "description": "Warga menutup jalan hauling KM 12 sejak pagi.",
        "instruction": "Hindari jalan hauling KM 12.",
        "level": "siaga",
        "expires_at": timezone.now() + timedelta(days=2),
    }
    values.update(overrides)
    return AlertInput(**values)


def _propose(by: Person, **overrides: Any) -> AlertProposal:
    result = issue_alert(
        by=by, region=Region.objects.get(code=LONG_IKIS), isu="agraria_korporasi", data=_data(**overrides)
    )
    assert isinstance(result, AlertProposal)
    return result


def _public_feed() -> str:
    return Client().get("/pertukaran/peringatan/atom.xml").content.decode()


def _make_ketua(person: Person) -> Person:
    change_role(
        membership=Membership.objects.get(person=person, ended_at__isnull=True), role="ketua", by=None
    )
    return Person.objects.get(pk=person.pk)


def test_the_analyst_alone_cannot_publish_a_public_alert(personas: Any) -> None:
    proposal = _propose(personas.kesbangpol_analyst)
    assert proposal.status == ProposalStatus.MENUNGGU and not Alert.objects.exists()
    assert "Blokade jalan hauling" not in _public_feed()
    assert "Blokade jalan hauling" not in Client().get("/pertukaran/peringatan/").content.decode()
    assert Client().get(f"/pertukaran/peringatan/usulan/{proposal.pk}/").status_code == 302  # to login
    for outsider in (personas.outsider, personas.fkub_officer, personas.regent):
        assert client_for(outsider).get(f"/pertukaran/peringatan/usulan/{proposal.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="alert.proposed", object_id=str(proposal.pk)).exists()
    event = Event.objects.get(kind="alert.proposed")
    assert set(event.persons.all()) == {personas.tkd_head}
    fan_out(event.pk)  # the worker's step, run here
    centre = client_for(personas.tkd_head).get("/notifikasi/").content.decode()
    assert "Peringatan publik menunggu persetujuan: Blokade jalan hauling di Long Ikis" in centre
    with pytest.raises(PermissionError):
        approve_alert(proposal=proposal, by=personas.kesbangpol_analyst)
    assert not Alert.objects.exists()


def test_the_ketua_approves_and_the_alert_is_published_in_the_feed(personas: Any) -> None:
    proposal = _propose(personas.kesbangpol_analyst)
    alert = approve_alert(proposal=proposal, by=personas.tkd_head)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISETUJUI and proposal.alert == alert
    assert proposal.decided_by == personas.tkd_head
    assert alert.scope == "Public" and alert.issued_by == personas.kesbangpol_analyst
    assert alert.identifier in _public_feed()
    assert Client().get(f"/pertukaran/peringatan/{alert.identifier}.xml").status_code == 200
    approved = AuditEntry.objects.get(action="alert.approved", object_id=str(proposal.pk))
    assert approved.actor_id == personas.tkd_head.pk
    with pytest.raises(ValidationError) as again:
        approve_alert(proposal=proposal, by=personas.tkd_head)
    assert again.value.message_dict["proposal"] == ["Usulan ini sudah diputuskan."]
    assert Alert.objects.count() == 1


def test_the_proposer_cannot_approve_their_own_proposal(personas: Any) -> None:
    proposal = _propose(personas.tkd_head)
    with pytest.raises(PermissionError) as refused:
        approve_alert(proposal=proposal, by=personas.tkd_head)
    assert "usulannya sendiri" in str(refused.value)
    response = client_for(personas.tkd_head).post(
        f"/pertukaran/peringatan/usulan/{proposal.pk}/", {"action": "approve"}
    )
    assert response.status_code == 403 and not Alert.objects.exists()
    page = client_for(personas.tkd_head).get(f"/pertukaran/peringatan/usulan/{proposal.pk}/").content.decode()
    assert 'id="approve"' not in page and "Menunggu persetujuan orang kedua" in page


def test_a_ketua_of_another_regency_or_the_province_cannot_approve(
    personas: Any, ppu_analyst: Person, province_analyst: Person
) -> None:
    proposal = _propose(personas.kesbangpol_analyst)
    for other in (_make_ketua(ppu_analyst), _make_ketua(province_analyst)):
        assert not can_approve_alert(other, proposal.region)
        with pytest.raises(PermissionError):
            approve_alert(proposal=proposal, by=other)
        with pytest.raises(PermissionError):
            reject_alert(proposal=proposal, by=other, reason="Bukan wilayah kami")
        assert client_for(other).get(f"/pertukaran/peringatan/usulan/{proposal.pk}/").status_code == 404
    assert AlertProposal.objects.get().status == ProposalStatus.MENUNGGU and not Alert.objects.exists()


def test_a_rejected_proposal_stays_unpublished(personas: Any) -> None:
    proposal = _propose(personas.kesbangpol_analyst)
    with pytest.raises(ValidationError) as empty:
        reject_alert(proposal=proposal, by=personas.tkd_head, reason="  ")
    assert empty.value.message_dict["reason"] == ["Alasan penolakan wajib diisi."]
    reject_alert(proposal=proposal, by=personas.tkd_head, reason="Belum terverifikasi di lapangan.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DITOLAK and proposal.reason == "Belum terverifikasi di lapangan."
    with pytest.raises(ValidationError):
        approve_alert(proposal=proposal, by=personas.tkd_head)
    assert not Alert.objects.exists() and "Blokade jalan hauling" not in _public_feed()
    assert AuditEntry.objects.filter(action="alert.rejected", actor=personas.tkd_head).exists()
    page = client_for(personas.kesbangpol_analyst).get(f"/pertukaran/peringatan/usulan/{proposal.pk}/")
    assert "Belum terverifikasi di lapangan." in page.content.decode()


def test_restricted_exercise_and_test_alerts_are_still_published_in_one_step(personas: Any) -> None:
    region = Region.objects.get(code=LONG_IKIS)
    analyst = personas.kesbangpol_analyst
    restricted = issue_alert(
        by=analyst, region=region, isu="agraria_korporasi", data=_data(scope="Restricted")
    )
    exercise = issue_alert(by=analyst, region=region, isu="agraria_korporasi", data=_data(status="Exercise"))
    ethnic = issue_alert(by=analyst, region=region, isu="sara_etnis", data=_data())
    assert all(isinstance(a, Alert) for a in (restricted, exercise, ethnic))
    assert not AlertProposal.objects.exists()


def test_a_public_update_waits_for_the_second_key_but_a_cancel_does_not(personas: Any) -> None:
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    original = approve_alert(proposal=_propose(analyst), by=head)
    proposal = update_alert(alert=original, by=analyst, data=_data(level="awas", headline="Bentrok terjadi"))
    assert isinstance(proposal, AlertProposal) and proposal.previous == original
    assert "Bentrok terjadi" not in _public_feed() and original.identifier in _public_feed()
    update = approve_alert(proposal=proposal, by=head)
    assert update.msg_type == "Update" and update.previous == original and update.level == "awas"
    assert update.identifier in _public_feed() and original.identifier not in _public_feed()
    cancel = cancel_alert(alert=update, by=analyst, reason="Salah wilayah.")
    assert cancel.msg_type == "Cancel" and update.identifier not in _public_feed()


def test_an_approval_after_the_alert_was_cancelled_publishes_nothing(personas: Any) -> None:
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    original = approve_alert(proposal=_propose(analyst), by=head)
    proposal = update_alert(alert=original, by=analyst, data=_data(level="awas"))
    assert isinstance(proposal, AlertProposal)
    cancel_alert(alert=original, by=analyst, reason="Situasi kondusif.")
    with pytest.raises(ValidationError) as refused:
        approve_alert(proposal=proposal, by=head)
    assert refused.value.message_dict["alert"] == ["Peringatan ini sudah diperbarui; ubah versi terbarunya."]
    assert AlertProposal.objects.get(pk=proposal.pk).status == ProposalStatus.MENUNGGU
    assert Alert.objects.count() == 2 and Alert.objects.filter(msg_type="Update").count() == 0


def test_the_approver_roles_are_configurable(personas: Any, settings: Settings) -> None:
    settings.WASPADA_ALERT_APPROVER_ROLES = ["sekretaris"]
    proposal = _propose(personas.kesbangpol_analyst)
    with pytest.raises(PermissionError):
        approve_alert(proposal=proposal, by=personas.tkd_head)
    alert = approve_alert(proposal=proposal, by=personas.kesbangpol_admin)
    assert alert.identifier in _public_feed()


def _form(**overrides: str) -> dict[str, str]:
    values = {
        "region": LONG_IKIS,
        "isu": "agraria_korporasi",
        "level": "siaga",
        "scope": "",
        "status": "Actual",
        "headline": "Blokade jalan hauling di Long Ikis",
        "description": "Warga menutup jalan hauling KM 12 sejak pagi.",
        "expires_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    values.update(overrides)
    return values


def test_the_form_starts_without_isu_or_level_and_says_so_in_indonesian(kesbangpol_analyst: Person) -> None:
    client = client_for(kesbangpol_analyst)
    html = client.get("/pertukaran/peringatan/baru/").content.decode()
    for name in ("isu", "level"):
        select = html[html.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        assert "selected" not in select, name
    response = client.post("/pertukaran/peringatan/baru/", _form(isu="", level=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih isu peringatan." in page and "Pilih tingkat kewaspadaan" in page
    assert not AlertProposal.objects.exists() and not Alert.objects.exists()


def test_the_preview_shows_the_cap_document_and_feed_entry_and_writes_nothing(
    kesbangpol_analyst: Person,
) -> None:
    response = client_for(kesbangpol_analyst).post("/pertukaran/peringatan/baru/", _form(action="preview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt;areaDesc&gt;Kecamatan Long Ikis, Kabupaten Paser, Kalimantan Timur&lt;/areaDesc&gt;" in page
    assert "&lt;scope&gt;Public&lt;/scope&gt;" in page and "&lt;entry" in page
    assert "Perlu dua orang." in page
    assert not AlertProposal.objects.exists() and not Alert.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="alert.").exists()


def test_two_people_publish_through_the_pages(personas: Any) -> None:
    analyst = client_for(personas.kesbangpol_analyst)
    response = analyst.post("/pertukaran/peringatan/baru/", _form(action="submit"))
    proposal = AlertProposal.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/pertukaran/peringatan/usulan/{proposal.pk}/"
    )
    head = client_for(personas.tkd_head)
    listing = head.get("/pertukaran/peringatan/usulan/").content.decode()
    assert f"/pertukaran/peringatan/usulan/{proposal.pk}/" in listing
    refused = head.post(f"/pertukaran/peringatan/usulan/{proposal.pk}/", {"action": "reject", "reason": ""})
    assert refused.status_code == 400 and "Alasan penolakan wajib diisi." in refused.content.decode()
    response = head.post(f"/pertukaran/peringatan/usulan/{proposal.pk}/", {"action": "approve"})
    alert = Alert.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/pertukaran/peringatan/{alert.identifier}/"
    )
    assert alert.identifier in _public_feed()
    # an update through the alert's page waits for the second key too
    response = analyst.post(
        f"/pertukaran/peringatan/{alert.identifier}/", {**_form(level="awas"), "action": "update"}
    )
    update = AlertProposal.objects.get(previous=alert)
    assert (
        response.status_code == 302 and response["Location"] == f"/pertukaran/peringatan/usulan/{update.pk}/"
    )
    assert Alert.objects.count() == 1
    page = head.get(f"/pertukaran/peringatan/usulan/{update.pk}/").content.decode()
    assert "&lt;msgType&gt;Update&lt;/msgType&gt;" in page and f",{alert.identifier}," in page  # references
