"""Issue 18, the province Lapsit told and sent: when a regency releases (or re-releases) its Lapsit,
the senior roles of its province's own TKD are told at once (in their notification centre and by
their channels), linking to the province Lapsit of that period; nobody of the regency and no other
province's TKD is. When the province TKD presses "Kirim ke Forkopimda provinsi", each member of
the Gubernur's Forkopimda gets their own stored copy and a notice linking to it; only they may
download it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.briefs.actions import AlreadyReleased, release_situation, send_province_brief
from waspada.briefs.models import Brief
from waspada.briefs.periods import BriefKind, Period, calendar_period
from waspada.briefs.tests.helpers import pdf_text
from waspada.forums.defaults import ensure_province_forums
from waspada.forums.models import Forum, Membership, Role
from waspada.notify.fanout import fan_out
from waspada.notify.models import ChannelName, Delivery, Event, Notification
from waspada.people.models import Person
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db

WEEK = Period(BriefKind.MINGGUAN, date(2026, 11, 30), date(2026, 12, 6))
ASSESSMENT = "Situasi Paser kondusif; sengketa lahan di Long Ikis perlu dipantau."


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def fan_out_all() -> None:
    for pk in Event.objects.filter(processed_at__isnull=True).values_list("pk", flat=True):
        fan_out(pk)


def told(person: Person, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(person=person, event__kind=kind).select_related("event"))


@pytest.fixture
def kaltara_analyst(kaltim: Region) -> Person:
    """The analyst of another province's TKD (Kalimantan Utara, 65)."""
    load_bundled_regions("65.01")
    ensure_province_forums(province=Region.objects.get(code="65"))
    person = Person.objects.create_user(
        username="analis.kaltara", password="x-Uji-Matriks-2026!", email="analis.kaltara@example.id"
    )
    Membership.objects.create(person=person, forum=Forum.objects.get(code="TKD-65"), role=Role.ANALIS)
    return person


def test_the_province_analyst_is_told_at_once_of_a_paser_release_linking_to_the_province_lapsit(
    kaltim,
    paser,
    kesbangpol_analyst,
    province_analyst,
    regent,
    tkd_head,
    kaltara_analyst,
    governor,
    ppu_analyst,
) -> None:
    release_situation(regency=paser, period=WEEK, assessment=ASSESSMENT, by=kesbangpol_analyst)
    event = Event.objects.get(kind="brief.released")
    assert event.title == f"{paser.name} merilis laporan situasi mingguan 30 Nov \u2013 6 Des 2026"
    assert event.url == "/ringkasan/provinsi/?provinsi=64&kind=mingguan&day=2026-11-30"
    fan_out_all()
    assert len(told(province_analyst, "brief.released")) == 1
    # never the regency's own people, another regency's, the Gubernur's or another province's TKD
    for person in (regent, tkd_head, kesbangpol_analyst, kaltara_analyst, governor, ppu_analyst):
        assert told(person, "brief.released") == [], person.username
    # by their channels too: an e-mail, though a release is no alert (e-mail is from siaga up)
    assert Delivery.objects.filter(event=event, person=province_analyst, channel=ChannelName.EMAIL).exists()
    # the link opens for the province analyst on the released week
    page = client_for(province_analyst).get(event.url)
    assert page.status_code == 200
    assert 'data-released="belum"' in page.content.decode()
    assert ASSESSMENT[:40] in page.content.decode()


def test_a_re_release_tells_the_province_analyst_again_saying_it_replaces_the_earlier_one(
    kaltim, paser, kesbangpol_analyst, tkd_head, province_analyst, regent
) -> None:
    release_situation(regency=paser, period=WEEK, assessment=ASSESSMENT, by=tkd_head)
    release_situation(
        regency=paser, period=WEEK, assessment="Penilaian baru", by=kesbangpol_analyst, replace=True
    )
    fan_out_all()
    again = told(province_analyst, "brief.re_released")
    assert len(again) == 1 and len(told(province_analyst, "brief.released")) == 1
    assert "menggantikan rilis sebelumnya" in again[0].event.title
    english = Client()
    english.force_login(province_analyst)
    english.cookies["django_language"] = "en"
    centre = english.get("/notifikasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    wanted = "re-released its weekly situation report 30 Nov \u2013 6 Dec 2026, replacing the earlier release"
    assert wanted in centre
    assert told(regent, "brief.re_released") == []


def test_nothing_is_sent_when_the_release_is_refused(
    kaltim, paser, tkd_head, ppu_analyst, province_analyst
) -> None:
    with pytest.raises(PermissionDenied):
        release_situation(regency=paser, period=WEEK, assessment=ASSESSMENT, by=ppu_analyst)
    with pytest.raises(ValueError, match="penilaian"):
        release_situation(regency=paser, period=WEEK, assessment="  ", by=tkd_head)
    assert not Event.objects.filter(kind__startswith="brief.").exists()
    release_situation(regency=paser, period=WEEK, assessment=ASSESSMENT, by=tkd_head)
    with pytest.raises(AlreadyReleased):
        release_situation(regency=paser, period=WEEK, assessment="Lain", by=tkd_head)
    assert Event.objects.filter(kind__startswith="brief.").count() == 1
    fan_out_all()
    assert len(told(province_analyst, "brief.released")) == 1


def last_month() -> Period:
    this_month = calendar_period(BriefKind.BULANAN, timezone.localdate())
    return calendar_period(BriefKind.BULANAN, this_month.start - timedelta(days=1))


def test_the_governor_gets_the_province_lapsit_sent_to_the_forkopimda_and_downloads_it(
    kaltim, paser, tkd_head, province_analyst, governor, regent, kaltara_analyst
) -> None:
    month = last_month()
    release_situation(regency=paser, period=month, assessment=ASSESSMENT, by=tkd_head)
    response = client_for(province_analyst).post(
        "/ringkasan/provinsi/kirim/",
        {"provinsi": "64", "kind": "bulanan", "day": month.start.isoformat(), "assessment": "Kondusif."},
    )
    assert response.status_code == 302
    copy = Brief.objects.get(recipient=governor)
    assert copy.province_id == "64" and copy.period_start == month.start
    # one copy for each member of FKPD-64 (the governor is its only one here), none for anyone else
    assert not Brief.objects.exclude(recipient=governor).exists()
    entry = AuditEntry.objects.get(action="brief.sent_to_forkopimda")
    assert entry.actor == province_analyst and entry.changes["recipients"] == [governor.pk]
    assert AuditEntry.objects.get(action="brief.created").changes["forum"] == "FKPD-64"
    fan_out_all()
    [notice] = told(governor, "brief.province")
    assert notice.event.url == f"/ringkasan/{copy.pk}/unduh/"
    assert told(regent, "brief.province") == [] and told(province_analyst, "brief.province") == []
    download = client_for(governor).get(notice.event.url)
    assert download.status_code == 200
    text = pdf_text(download.content)
    assert "LAPORAN SITUASI PROVINSI" in text and "Kondusif." in text
    # the governor's list of briefs names it
    assert f"/ringkasan/{copy.pk}/unduh/" in client_for(governor).get("/ringkasan/").content.decode()
    # nobody else opens the governor's copy
    for person in (regent, province_analyst, kaltara_analyst, tkd_head):
        assert client_for(person).get(f"/ringkasan/{copy.pk}/unduh/").status_code == 404, person.username


def test_the_paser_regent_cannot_download_the_governors_copy(
    kaltim, paser, province_analyst, governor, regent
) -> None:
    [copy] = send_province_brief(province=Region.objects.get(code="64"), period=WEEK, by=province_analyst)
    assert client_for(regent).get(f"/ringkasan/{copy.pk}/unduh/").status_code == 404


def test_a_governor_who_left_the_forkopimda_no_longer_opens_the_province_copy(
    kaltim, paser, province_analyst, governor
) -> None:
    [copy] = send_province_brief(province=Region.objects.get(code="64"), period=WEEK, by=province_analyst)
    assert client_for(governor).get(f"/ringkasan/{copy.pk}/unduh/").status_code == 200
    Membership.objects.filter(person=governor).update(ended_at=timezone.now())
    Membership.objects.create(person=governor, forum=Forum.objects.get(code="TKD-6401"), role=Role.ANGGOTA)
    assert client_for(governor).get(f"/ringkasan/{copy.pk}/unduh/").status_code == 404


@pytest.mark.parametrize("who", ["governor", "regent", "tkd_head", "ppu_analyst"])
def test_only_the_province_tkd_seniors_send_to_the_forkopimda(kaltim, paser, who, request) -> None:
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        send_province_brief(province=Region.objects.get(code="64"), period=WEEK, by=person)
    response = client_for(person).post(
        "/ringkasan/provinsi/kirim/", {"provinsi": "64", "kind": "mingguan", "day": "2026-11-30"}
    )
    assert response.status_code == 403
    assert not Brief.objects.exists() and not Event.objects.filter(kind="brief.province").exists()


def test_a_forkopimda_without_members_gets_nothing_and_the_analyst_is_told_why(
    kaltim, paser, province_analyst
) -> None:
    response = client_for(province_analyst).post(
        "/ringkasan/provinsi/kirim/",
        {"provinsi": "64", "kind": "mingguan", "day": "2026-11-30"},
        follow=True,
    )
    assert "belum punya anggota" in response.content.decode()
    assert not Brief.objects.exists()
    assert not AuditEntry.objects.filter(action="brief.sent_to_forkopimda").exists()


def test_the_province_lapsit_page_offers_the_send_button(kaltim, paser, province_analyst) -> None:
    page = client_for(province_analyst).get("/ringkasan/provinsi/?provinsi=64&kind=mingguan&day=2026-11-30")
    assert "Kirim ke Forkopimda provinsi" in page.content.decode()
    assert 'formaction="/ringkasan/provinsi/kirim/"' in page.content.decode()
