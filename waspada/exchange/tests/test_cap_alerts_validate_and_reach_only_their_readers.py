"""Alerts: issued by the TKD's senior roles, published as CAP 1.2 documents that validate against
the official schema, updated and cancelled by reference, listed in Atom feeds by scope."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.models import Signal, SignalStatus
from waspada.exchange.actions import AlertInput, cancel_alert, issue_alert, update_alert
from waspada.exchange.cap import cap_time
from waspada.exchange.models import Alert
from waspada.exchange.tests.helpers import assert_valid_cap, client_for, published
from waspada.people.tokens import create_token
from waspada.regions.importers import load_bundled_regions, load_paser_boundaries
from waspada.regions.models import Region
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def boundaries(paser: Region) -> None:
    load_paser_boundaries()


def _data(**overrides: Any) -> AlertInput:
    values: dict[str, Any] = {
        "headline": "Potensi bentrok warga dan perusahaan di Long Ikis",
        "description": "Warga menutup jalan hauling sejak pagi; massa bertambah.",
        "instruction": "Hindari jalan hauling KM 12 sampai pemberitahuan berikutnya.",
        "level": "siaga",
        "expires_at": timezone.now() + timedelta(days=2),
    }
    values.update(overrides)
    return AlertInput(**values)


def _issue(by: Any, *, region: str = "64.01.06", isu: str = "agraria_korporasi", **overrides: Any) -> Alert:
    return published(
        issue_alert(by=by, region=Region.objects.get(code=region), isu=isu, data=_data(**overrides))
    )


def _feed_identifiers(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}updated") is not None and root.find(f"{ATOM}id") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("type") == "application/cap+xml"
        ids.append(entry.findtext(f"{ATOM}id", "").removeprefix("urn:uuid:"))
    return ids


def test_an_alert_is_a_valid_cap_document_with_kemendagri_geocode_and_boundary(
    boundaries: None, kesbangpol_analyst: Any
) -> None:
    alert = _issue(kesbangpol_analyst)
    response = Client().get(f"/pertukaran/peringatan/{alert.identifier}.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    root = assert_valid_cap(response.content)
    assert root.findtext(f"{CAP}msgType") == "Alert" and root.findtext(f"{CAP}scope") == "Public"
    info = root.find(f"{CAP}info")
    assert (info.findtext(f"{CAP}severity"), info.findtext(f"{CAP}urgency")) == ("Severe", "Expected")
    assert info.findtext(f"{CAP}category") == "Security" and info.findtext(f"{CAP}language") == "id-ID"
    area = info.find(f"{CAP}area")
    assert area.findtext(f"{CAP}geocode/{CAP}valueName") == "KEMENDAGRI"
    assert area.findtext(f"{CAP}geocode/{CAP}value") == "64.01.06"
    assert area.findtext(f"{CAP}areaDesc") == "Kecamatan Long Ikis, Kabupaten Paser, Kalimantan Timur"
    polygons = [p.text.split() for p in area.findall(f"{CAP}polygon")]
    assert polygons
    for ring in polygons:
        assert 4 <= len(ring) <= 200 and ring[0] == ring[-1]
        lat, lon = map(float, ring[0].split(","))
        assert -3 < lat < 0 and 115 < lon < 117  # Paser, latitude first
    assert AuditEntry.objects.filter(action="alert.issued", object_id=str(alert.pk)).exists()


def test_a_regency_alert_takes_its_kecamatan_outlines(boundaries: None, kesbangpol_analyst: Any) -> None:
    alert = _issue(kesbangpol_analyst, region="64.01", isu="bencana", level="awas")
    root = assert_valid_cap(Client().get(f"/pertukaran/peringatan/{alert.identifier}.xml").content)
    info = root.find(f"{CAP}info")
    assert info.findtext(f"{CAP}severity") == "Extreme" and info.findtext(f"{CAP}category") == "Safety"
    assert info.find(f"{CAP}area/{CAP}polygon") is not None


def test_update_and_cancel_reference_the_original_and_the_feed_follows(kesbangpol_analyst: Any) -> None:
    original = _issue(kesbangpol_analyst)
    feed = Client().get("/pertukaran/peringatan/atom.xml")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert _feed_identifiers(feed.content) == [original.identifier]

    update = published(
        update_alert(
            alert=original, by=kesbangpol_analyst, data=_data(level="awas", headline="Bentrok terjadi")
        )
    )
    root = assert_valid_cap(Client().get(f"/pertukaran/peringatan/{update.identifier}.xml").content)
    assert root.findtext(f"{CAP}msgType") == "Update"
    first = f"{original.sender},{original.identifier},{cap_time(original.sent)}"
    assert root.findtext(f"{CAP}references") == first
    assert _feed_identifiers(Client().get("/pertukaran/peringatan/atom.xml").content) == [update.identifier]
    with pytest.raises(ValidationError) as replaced:
        update_alert(alert=original, by=kesbangpol_analyst, data=_data())
    assert "versi terbarunya" in str(replaced.value)

    cancel = cancel_alert(alert=update, by=kesbangpol_analyst, reason="Situasi kembali kondusif.")
    root = assert_valid_cap(Client().get(f"/pertukaran/peringatan/{cancel.identifier}.xml").content)
    assert root.findtext(f"{CAP}msgType") == "Cancel"
    assert root.findtext(f"{CAP}references").split() == [
        first,
        f"{update.sender},{update.identifier},{cap_time(update.sent)}",
    ]
    assert _feed_identifiers(Client().get("/pertukaran/peringatan/atom.xml").content) == []
    assert {e.action for e in AuditEntry.objects.filter(action__startswith="alert.")} == {
        "alert.proposed",
        "alert.approved",
        "alert.issued",
        "alert.updated",
        "alert.cancelled",
    }
    with pytest.raises(ValidationError):
        cancel_alert(alert=cancel, by=kesbangpol_analyst, reason="lagi")


def test_an_expired_alert_leaves_the_feed(kesbangpol_analyst: Any) -> None:
    alert = _issue(kesbangpol_analyst)
    Alert.objects.filter(pk=alert.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _feed_identifiers(Client().get("/pertukaran/peringatan/atom.xml").content) == []


def test_ethnic_and_religious_alerts_are_restricted_and_never_public(personas: Any) -> None:
    analyst = personas.kesbangpol_analyst
    for isu in ("sara_etnis", "agama"):
        assert _issue(analyst, isu=isu).scope == "Restricted"
        with pytest.raises(ValidationError) as refused:
            _issue(analyst, isu=isu, scope="Public")
        assert refused.value.message_dict["scope"] == [
            "Peringatan tentang ketegangan antaretnis atau agama tidak boleh bersifat Publik."
        ]
    ethnic = Alert.objects.filter(isu="sara_etnis").get()
    with pytest.raises(ValidationError):
        update_alert(alert=ethnic, by=analyst, data=_data(scope="Public"))
    public = _issue(analyst)
    private = _issue(analyst, scope="Private")

    # the public feed is the same for everyone, logged in or not: Public alerts only
    for client in (Client(), client_for(analyst), client_for(personas.regent)):
        assert _feed_identifiers(client.get("/pertukaran/peringatan/atom.xml").content) == [public.identifier]
    restricted = set(Alert.objects.filter(scope="Restricted").values_list("identifier", flat=True))
    assert len(restricted) == 2
    # the API feed adds the Restricted alerts of their jurisdiction for TKD and Forkopimda members
    for person, sees_restricted in (
        (analyst, True),
        (personas.regent, True),
        (personas.fkub_officer, False),
        (personas.desa_reporter, False),
        (personas.outsider, False),
    ):
        _token, secret = create_token(person=person, name="cap", by=personas.kesbangpol_admin)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        ids = set(_feed_identifiers(api.get("/api/v1/alerts/atom").content))
        assert ids == {public.identifier} | (restricted if sees_restricted else set()), person
        assert private.identifier not in ids
        listed = {a["identifier"] for a in api.get("/api/v1/alerts/").json()}
        assert listed == ids
        document = api.get(f"/api/v1/alerts/{ethnic.identifier}/cap")
        assert document.status_code == (200 if sees_restricted else 404), person
        if sees_restricted:
            root = assert_valid_cap(document.content)
            assert root.findtext(f"{CAP}scope") == "Restricted" and root.findtext(f"{CAP}restriction")
    assert Client().get(f"/pertukaran/peringatan/{ethnic.identifier}.xml").status_code == 404
    assert Client().get(f"/pertukaran/peringatan/{ethnic.identifier}/").status_code == 404
    assert (
        client_for(personas.fkub_officer).get(f"/pertukaran/peringatan/{ethnic.identifier}/").status_code
        == 404
    )
    assert client_for(personas.regent).get(f"/pertukaran/peringatan/{ethnic.identifier}/").status_code == 200
    assert Client().get(f"/pertukaran/peringatan/{private.identifier}.xml").status_code == 404
    assert (
        client_for(personas.regent).get(f"/pertukaran/peringatan/{private.identifier}.xml").status_code == 404
    )
    root = assert_valid_cap(
        client_for(analyst).get(f"/pertukaran/peringatan/{private.identifier}.xml").content
    )
    assert root.findtext(f"{CAP}addresses") == "TKD-6401"


def test_only_the_tkd_senior_roles_issue_alerts(personas: Any) -> None:
    for person in (personas.fkub_officer, personas.regent, personas.desa_reporter, personas.outsider):
        with pytest.raises(PermissionError):
            _issue(person)
        assert client_for(person).get("/pertukaran/peringatan/baru/").status_code == 403
    assert client_for(personas.kesbangpol_admin).get("/pertukaran/peringatan/baru/").status_code == 200
    assert not Alert.objects.exists()


def test_bad_input_gets_indonesian_field_errors_and_nothing_is_written(kesbangpol_analyst: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _issue(
            kesbangpol_analyst, headline=" ", level="merah", expires_at=timezone.now() - timedelta(hours=1)
        )
    errors = refused.value.message_dict
    assert errors["headline"] == ["Judul wajib diisi."]
    assert errors["level"] == ["Pilih tingkat kewaspadaan: normal, waspada, siaga atau awas."]
    assert errors["expires_at"] == ["Batas berlaku harus di masa depan."]
    response = client_for(kesbangpol_analyst).post(
        "/pertukaran/peringatan/baru/",
        {
            "region": "64.01.06",
            "isu": "sara_etnis",
            "level": "siaga",
            "scope": "Public",
            "headline": "Tegang",
            "description": "",
            "expires_at": "besok",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Batas berlaku tidak valid: besok." in html
    response = client_for(kesbangpol_analyst).post(
        "/pertukaran/peringatan/baru/",
        {
            "region": "64.01.06",
            "isu": "sara_etnis",
            "level": "siaga",
            "scope": "Public",
            "headline": "Tegang",
            "description": "",
            "expires_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    html = response.content.decode()
    assert "Uraian wajib diisi." in html and "tidak boleh bersifat Publik" in html
    assert not Alert.objects.exists() and not AuditEntry.objects.filter(action__startswith="alert.").exists()


def test_the_form_issues_updates_and_cancels(kesbangpol_analyst: Any) -> None:
    client = client_for(kesbangpol_analyst)
    expires = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/pertukaran/peringatan/baru/",
        {
            "region": "64.01.06",
            "isu": "agama",
            "level": "waspada",
            "scope": "",
            "status": "Exercise",
            "headline": "Latihan: ketegangan rumah ibadah",
            "description": "Latihan peringatan.",
            "expires_at": expires,
        },
    )
    alert = Alert.objects.get()
    assert response.status_code == 302 and alert.scope == "Restricted" and alert.status == "Exercise"
    response = client.post(
        f"/pertukaran/peringatan/{alert.identifier}/",
        {
            "action": "update",
            "level": "siaga",
            "scope": "Restricted",
            "status": "Exercise",
            "headline": "Latihan: naik ke siaga",
            "description": "Latihan.",
            "expires_at": expires,
        },
    )
    update = Alert.objects.get(previous=alert)
    assert response.status_code == 302 and update.msg_type == "Update" and update.level == "siaga"
    client.post(
        f"/pertukaran/peringatan/{update.identifier}/", {"action": "cancel", "reason": "Latihan selesai."}
    )
    assert Alert.objects.filter(previous=update, msg_type="Cancel").exists()
    html = client.get("/pertukaran/peringatan/").content.decode()
    assert "Latihan: naik ke siaga" in html


@pytest.fixture
def secret_signal(personas: Any) -> tuple[Signal, Any]:
    """A confirmed signal over a rahasia report that only the TKD may read."""
    report = submit(
        personas.desa_reporter,
        isu="narkoba",
        alert_level="siaga",
        classification="rahasia",
        title="Gudang sabu milik oknum terungkap",
        region_code="64.01.06.2006",
    ).report
    today = timezone.localdate()
    signal = Signal.objects.create(
        region_id="64.01.06",
        isu="narkoba",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation="Laporan narkoba minggu ini 9, biasanya 2",
        status=SignalStatus.DIKONFIRMASI,
    )
    signal.reports.add(report)
    return signal, report


def test_the_issue_form_is_prefilled_from_a_signal_the_person_may_see(
    secret_signal: tuple[Signal, Any], personas: Any
) -> None:
    signal, _report = secret_signal
    html = (
        client_for(personas.kesbangpol_analyst)
        .get(f"/pertukaran/peringatan/baru/?signal={signal.pk}")
        .content
    )
    text = html.decode()
    assert '<option value="64.01.06" selected>' in text
    assert '<option value="narkoba" selected>' in text
    assert '<option value="siaga" selected>' in text
    assert f'name="signal" value="{signal.pk}"' in text
    # a signal of another regency (not the analyst's TKD jurisdiction) is not found
    load_bundled_regions("64.02")
    elsewhere = Signal.objects.create(
        region_id="64.02",
        isu="narkoba",
        period_start=signal.period_start,
        period_end=signal.period_end,
        detector="scan",
        observed=1,
        expected=1,
        threshold=1,
        explanation="-",
        status=SignalStatus.DIKONFIRMASI,
    )
    response = client_for(personas.kesbangpol_analyst).get(
        f"/pertukaran/peringatan/baru/?signal={elsewhere.pk}"
    )
    assert response.status_code == 404


def test_a_signal_must_be_confirmed_before_it_becomes_an_alert(
    secret_signal: tuple[Signal, Any], kesbangpol_analyst: Any
) -> None:
    signal, _report = secret_signal
    Signal.objects.filter(pk=signal.pk).update(status=SignalStatus.BARU)
    signal.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        issue_alert(by=kesbangpol_analyst, region=signal.region, isu="narkoba", data=_data(), signal=signal)
    assert refused.value.message_dict["signal"] == [
        "Sinyal harus dikonfirmasi dulu sebelum menjadi peringatan."
    ]


def test_a_report_never_reaches_the_cap_feed_of_someone_who_may_not_see_it(
    secret_signal: tuple[Signal, Any], personas: Any
) -> None:
    signal, report = secret_signal
    alert = published(
        issue_alert(
            by=personas.kesbangpol_analyst,
            region=signal.region,
            isu="narkoba",
            data=_data(level="siaga"),
            signal=signal,
        )
    )
    assert alert.signal == signal and alert.scope == "Public"
    for client in (Client(), client_for(personas.bnk_officer), client_for(personas.fkub_officer)):
        for path in (
            "/pertukaran/peringatan/atom.xml",
            f"/pertukaran/peringatan/{alert.identifier}.xml",
            f"/pertukaran/peringatan/{alert.identifier}/",
            "/pertukaran/peringatan/",
        ):
            content = client.get(path).content.decode()
            assert alert.headline in content or path.endswith("atom.xml")
            assert report.title not in content and report.reference not in content, path
            assert signal.explanation not in content
