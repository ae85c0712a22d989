"""Sharing an incident with the neighbouring regency's TKD: who may, what the neighbour sees, and
what revoking takes back (docs/cross-border.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.forums.models import Forum
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.people.models import Person
from waspada.regions.importers import load_paser_boundaries
from waspada.regions.models import Region
from waspada.reports.actions import set_incident_level, verify_report
from waspada.reports.borders import neighbouring_regencies
from waspada.reports.models import Incident, IncidentShare
from waspada.reports.sharing import revoke_incident_share, share_incident
from waspada.reports.tests.factories import submit

MUARA_TOYU = "64.01.08.2008"  # Long Kali, on the border with Penajam Paser Utara
KUARO = "64.01.05.1001"
EXACT = (-1.1654321, 116.3024681)
WHERE = "Simpang jalan hauling KM 31 dekat jembatan Sungai Telake"
INFORMANT = "Pak Sumarno Rahasia"
REASON = "Truk hauling melintas ke Babulu; warga kedua kabupaten terlibat."


def _incident(reporter: Person, analyst: Person, region: str = MUARA_TOYU, **overrides: object) -> Incident:
    report = submit(
        reporter,
        region_code=region,
        latitude=EXACT[0],
        longitude=EXACT[1],
        where_detail=WHERE,
        informant_name=INFORMANT,
        informant_contact="0812-3456-7890",
        **overrides,
    ).report
    return verify_report(report=report, by=analyst)


@pytest.fixture
def ppu_tkd(kaltim: Region) -> Forum:
    return Forum.objects.get(kind="TKD", jurisdiction_id="64.09")


@pytest.fixture
def incident(desa_reporter: Person, kesbangpol_analyst: Person, kaltim: Region) -> Incident:
    load_paser_boundaries()
    return _incident(desa_reporter, kesbangpol_analyst)


def test_the_adjacency_offers_penajam_paser_utaras_tkd_for_the_northern_border(
    incident: Incident, ppu_tkd: Forum
) -> None:
    neighbours = neighbouring_regencies(incident)
    assert [n.code for n in neighbours][:1] == ["64.09"]
    assert neighbours[0].forums == [ppu_tkd]


def test_an_incident_in_the_centre_has_no_neighbour(
    desa_reporter: Person, kesbangpol_analyst: Person, kaltim: Region
) -> None:
    load_paser_boundaries()
    assert neighbouring_regencies(_incident(desa_reporter, kesbangpol_analyst, region=KUARO)) == []


def test_without_boundaries_a_report_naming_a_place_across_the_border_is_cross_border(
    desa_reporter: Person, kesbangpol_analyst: Person, kaltim: Region
) -> None:
    incident = _incident(
        desa_reporter,
        kesbangpol_analyst,
        region=KUARO,
        what="Truk batu bara dari Kabupaten Tabalong menabrak warung; sopir kabur ke Tanjung.",
    )
    assert "63.09" in [n.code for n in neighbouring_regencies(incident)]


def test_nothing_is_shared_until_the_analyst_shares(incident: Incident, ppu_analyst: Person) -> None:
    assert not IncidentShare.objects.exists()
    assert not Incident.objects.visible_to(ppu_analyst).filter(pk=incident.pk).exists()


def test_pasers_analyst_shares_and_the_trail_records_it(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    share = share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    assert share.shared_by == kesbangpol_analyst and share.revoked_at is None
    entry = AuditEntry.objects.filter(action="incident.shared").get()
    assert entry.changes == {"forum": ppu_tkd.code, "reason": REASON}
    event = Event.objects.get(kind="incident.shared")
    assert list(event.forums.all()) == [ppu_tkd]
    assert "Long Kali" in event.title and "Muara Toyu" not in event.title
    fan_out(event.pk)
    told = set(Notification.objects.filter(event=event).values_list("person_id", flat=True))
    assert ppu_analyst.pk in told and kesbangpol_analyst.pk not in told
    client = Client()
    client.force_login(ppu_analyst)
    inbox = client.get("/notifikasi/").content.decode()
    assert "Insiden dari kabupaten tetangga dibagikan" in inbox


@pytest.mark.parametrize("persona", ["ppu_analyst", "fkub_officer", "province_analyst", "desa_reporter"])
def test_only_the_deciding_tkd_may_share(
    incident: Incident, ppu_tkd: Forum, persona: str, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionError):
        share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=person)
    assert not IncidentShare.objects.exists()
    assert not AuditEntry.objects.filter(action="incident.shared").exists()


def test_bad_input_is_refused_per_field_in_indonesian(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum
) -> None:
    paser_tkd = Forum.objects.get(kind="TKD", jurisdiction_id="64.01")
    province_tkd = Forum.objects.get(kind="TKD", jurisdiction_id="64")
    fkdm_ppu = Forum.objects.filter(kind="FKDM", jurisdiction_id="64.09").get()
    for forum in (paser_tkd, province_tkd, fkdm_ppu, None):
        with pytest.raises(ValidationError) as refused:
            share_incident(incident=incident, forum=forum, reason=REASON, by=kesbangpol_analyst)
        assert "forum" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        share_incident(incident=incident, forum=ppu_tkd, reason="  ", by=kesbangpol_analyst)
    assert refused.value.message_dict["reason"] == [
        "Tuliskan alasan berbagi: apa yang perlu diketahui TKD tetangga."
    ]
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    with pytest.raises(ValidationError) as refused:
        share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    assert "forum" in refused.value.message_dict
    assert IncidentShare.objects.count() == 1


def test_a_rahasia_incident_cannot_be_shared(
    desa_reporter: Person, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    load_paser_boundaries()
    secret = _incident(desa_reporter, kesbangpol_analyst, classification="rahasia")
    with pytest.raises(ValidationError) as refused:
        share_incident(incident=secret, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    assert refused.value.message_dict["incident"] == [
        "Insiden rahasia tidak dapat dibagikan ke TKD kabupaten lain."
    ]
    assert not Incident.objects.visible_to(ppu_analyst).filter(pk=secret.pk).exists()


def test_the_neighbour_sees_the_shared_incident_only_as_a_summary(
    incident: Incident,
    desa_reporter: Person,
    kesbangpol_analyst: Person,
    ppu_tkd: Forum,
    ppu_analyst: Person,
    ppu_regent: Person,
) -> None:
    other = _incident(desa_reporter, kesbangpol_analyst, title="Sengketa batas kebun sawit di Muara Toyu")
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    assert set(Incident.objects.visible_to(ppu_analyst)) == {incident}
    assert not Incident.objects.visible_to(ppu_regent).exists()  # the TKD only, not PPU's Forkopimda
    client = Client()
    client.force_login(ppu_analyst)
    page = client.get(f"/laporan/insiden/{incident.reference}/").content.decode()
    assert incident.title in page and "Kecamatan Long Kali" in page and REASON in page
    for secret in (
        "Muara Toyu",
        WHERE,
        INFORMANT,
        str(EXACT[0])[3:],
        str(EXACT[1])[4:],
        incident.reports.get().reference,
    ):
        assert secret not in page, secret
    assert client.get(f"/laporan/insiden/{other.reference}/").status_code == 404
    api = client.get(f"/api/v1/incidents/{incident.reference}").json()
    assert api["region_code"] == "64.01.08" and api["report_references"] == []
    report = incident.reports.get()
    assert client.get(f"/laporan/{report.reference}/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.reference}").status_code == 404


def test_the_neighbour_cannot_change_a_shared_incident(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    with pytest.raises(PermissionError):
        set_incident_level(incident=incident, level="awas", reason="Coba", by=ppu_analyst)
    client = Client()
    client.force_login(ppu_analyst)
    answer = client.post(
        f"/laporan/insiden/{incident.reference}/", {"action": "level", "alert_level": "awas", "reason": "x"}
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/laporan/insiden/{incident.reference}/", {"action": "unshare", "forum": ppu_tkd.pk}
    )
    assert answer.status_code == 403
    assert IncidentShare.objects.get().revoked_at is None
    incident.refresh_from_db()
    assert incident.alert_level == "waspada"


def test_revoking_hides_it_again_and_is_audited(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    revoke_incident_share(incident=incident, forum=ppu_tkd, by=kesbangpol_analyst)
    assert not Incident.objects.visible_to(ppu_analyst).filter(pk=incident.pk).exists()
    assert AuditEntry.objects.filter(action="incident.share_revoked").get().changes == {"forum": ppu_tkd.code}
    client = Client()
    client.force_login(ppu_analyst)
    assert client.get(f"/laporan/insiden/{incident.reference}/").status_code == 404
    # shared again: the same row, open again
    share_incident(incident=incident, forum=ppu_tkd, reason="Ada perkembangan baru.", by=kesbangpol_analyst)
    share = IncidentShare.objects.get()
    assert share.revoked_at is None and share.reason == "Ada perkembangan baru."
    assert Incident.objects.visible_to(ppu_analyst).filter(pk=incident.pk).exists()


def test_the_incident_page_offers_the_neighbour_to_pasers_analyst_only(
    incident: Incident, kesbangpol_analyst: Person, province_analyst: Person, ppu_tkd: Forum
) -> None:
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get(f"/laporan/insiden/{incident.reference}/").content.decode()
    assert "Bagikan ke TKD tetangga" in page and "Penajam Paser Utara" in page
    answer = client.post(
        f"/laporan/insiden/{incident.reference}/", {"action": "share", "forum": ppu_tkd.pk, "reason": REASON}
    )
    assert answer.status_code == 302 and IncidentShare.objects.filter(forum=ppu_tkd).exists()
    client.force_login(province_analyst)
    page = client.get(f"/laporan/insiden/{incident.reference}/").content.decode()
    assert "Bagikan ke TKD tetangga" not in page


def test_the_neighbours_lists_and_exports_name_the_kecamatan_not_the_desa(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    client = Client()
    client.force_login(ppu_analyst)
    listing = client.get("/laporan/insiden/").content.decode()
    assert incident.reference in listing and "Long Kali" in listing and "Muara Toyu" not in listing
    export = b"".join(client.get("/pertukaran/ekspor/insiden.csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert incident.reference in export and "64.01.08" in export and "Muara Toyu" not in export
    assert "64.01.08.2008" not in export
    assert client.get(f"/ringkasan/insiden/{incident.reference}.pdf").status_code == 404
    # Paser's analyst still gets the desa
    client.force_login(kesbangpol_analyst)
    export = b"".join(client.get("/pertukaran/ekspor/insiden.csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert "Muara Toyu" in export


def test_the_neighbours_situation_search_names_the_kecamatan_not_the_desa(
    incident: Incident, kesbangpol_analyst: Person, ppu_tkd: Forum, ppu_analyst: Person
) -> None:
    share_incident(incident=incident, forum=ppu_tkd, reason=REASON, by=kesbangpol_analyst)
    client = Client()
    client.force_login(ppu_analyst)
    page = client.get("/situasi/insiden/").content.decode()
    assert incident.reference in page
    assert "Muara Toyu" not in page
