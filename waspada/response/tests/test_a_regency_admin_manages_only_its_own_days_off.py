"""Who manages which days off in the admin: each regency's Kesbangpol administrator its own
regency's, the province's administrator the province's, a superuser every one, including the
days off of the whole installation (no region)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.actions import set_kesbangpol_admin
from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.response.actions import delete_day_off, save_day_off
from waspada.response.models import DayOff
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/admin/response/dayoff/"


def client_for(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PERSONA_PASSWORD)
    return client


@pytest.fixture
def days_off(kaltim: Region) -> dict[str, DayOff]:
    return {
        "paser": DayOff.objects.create(
            date=date(2026, 3, 21), name="Hari Jadi Kabupaten Paser", region_id="64.01"
        ),
        "ppu": DayOff.objects.create(
            date=date(2026, 4, 10), name="Hari Jadi Kabupaten PPU", region_id="64.09"
        ),
        "province": DayOff.objects.create(date=date(2026, 1, 9), name="Hari Jadi Kaltim", region_id="64"),
        "all": DayOff.objects.create(date=date(2026, 12, 31), name="Cuti bersama daerah", region=None),
    }


def test_paser_admin_lists_only_paser_days_off(kesbangpol_admin, days_off) -> None:
    page = client_for(kesbangpol_admin).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hari Jadi Kabupaten Paser" in text
    assert "Hari Jadi Kabupaten PPU" not in text
    assert "Hari Jadi Kaltim" not in text
    assert "Cuti bersama daerah" not in text
    assert "Penajam Paser Utara" not in text  # not even in the list's region filter


@pytest.mark.parametrize("which", ["ppu", "province", "all"])
def test_paser_admin_cannot_see_change_or_delete_another_regions_day_off(
    kesbangpol_admin, days_off, which
) -> None:
    client = client_for(kesbangpol_admin)
    other = days_off[which]
    for view in ("change/", "history/", "delete/"):
        assert client.get(f"{URL}{other.pk}/{view}").status_code == 403, view
    assert client.post(f"{URL}{other.pk}/delete/", {"post": "yes"}).status_code == 403
    changed = client.post(
        f"{URL}{other.pk}/change/", {"date": "2026-05-01", "name": "Diubah", "region": "64.01"}
    )
    assert changed.status_code == 403
    other.refresh_from_db()
    assert other.name != "Diubah"
    # the bulk action on the list cannot reach it either (it is not in the list)
    client.post(URL, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    assert DayOff.objects.filter(pk=other.pk).exists()


def test_paser_admin_changes_and_deletes_paser_days_off_with_an_audit_entry(
    kesbangpol_admin, days_off
) -> None:
    client = client_for(kesbangpol_admin)
    paser = days_off["paser"]
    response = client.post(
        f"{URL}{paser.pk}/change/", {"date": "2026-03-21", "name": "Hari Jadi Paser ke-67", "region": "64.01"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="dayoff.changed")
    assert entry.actor == kesbangpol_admin
    assert entry.changes["name"] == ["Hari Jadi Kabupaten Paser", "Hari Jadi Paser ke-67"]
    assert client.post(f"{URL}{paser.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not DayOff.objects.filter(pk=paser.pk).exists()
    assert AuditEntry.objects.filter(action="dayoff.deleted", actor=kesbangpol_admin).exists()


def test_paser_admin_adds_a_paser_day_off(kesbangpol_admin, kaltim) -> None:
    response = client_for(kesbangpol_admin).post(
        f"{URL}add/", {"date": "2026-08-15", "name": "Hari jadi", "region": "64.01"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DayOff.objects.get(date=date(2026, 8, 15)).region_id == "64.01"
    assert AuditEntry.objects.get(action="dayoff.created").changes["region"] == "64.01"


def test_paser_admin_cannot_add_an_installation_wide_day_off(kesbangpol_admin, kaltim) -> None:
    response = client_for(kesbangpol_admin).post(
        f"{URL}add/", {"date": "2026-08-15", "name": "Libur semua", "region": ""}
    )
    assert response.status_code == 200
    assert "hari libur seluruh instalasi hanya diatur superuser" in response.content.decode()
    assert not DayOff.objects.exists()


@pytest.mark.parametrize("region", ["64.09", "64", "64.01.06"])
def test_paser_admin_cannot_add_a_day_off_of_another_region(kesbangpol_admin, kaltim, region) -> None:
    response = client_for(kesbangpol_admin).post(
        f"{URL}add/", {"date": "2026-08-15", "name": "Hari jadi", "region": region}
    )
    assert response.status_code == 200
    assert "pilih kabupaten/kota atau provinsi yang hari liburnya Anda atur" in response.content.decode()
    assert not DayOff.objects.exists()


def test_the_add_form_offers_the_admins_own_regency_only(kesbangpol_admin, kaltim) -> None:
    form = client_for(kesbangpol_admin).get(f"{URL}add/").context["adminform"].form
    assert list(form.fields["region"].queryset.values_list("code", flat=True)) == ["64.01"]


def test_the_provinces_admin_manages_the_provinces_days_off_not_pasers(province_analyst, days_off) -> None:
    admin = set_kesbangpol_admin(person=province_analyst, value=True, by=None)
    client = client_for(admin)
    assert client.get(f"{URL}{days_off['province'].pk}/change/").status_code == 200
    assert client.get(f"{URL}{days_off['paser'].pk}/change/").status_code == 403
    assert client.get(f"{URL}{days_off['all'].pk}/change/").status_code == 403


def test_a_superuser_manages_installation_wide_days_off(days_off) -> None:
    root = Person.objects.create_superuser(
        username="root.waspada", email="root@waspada.test", password=PERSONA_PASSWORD
    )
    client = client_for(root)
    for day_off in days_off.values():
        assert client.get(f"{URL}{day_off.pk}/change/").status_code == 200
    response = client.post(f"{URL}add/", {"date": "2026-08-15", "name": "Libur semua", "region": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DayOff.objects.get(date=date(2026, 8, 15)).region_id is None


def test_the_day_off_actions_check_the_region_too(kesbangpol_admin, days_off) -> None:
    ppu = days_off["ppu"]
    with pytest.raises(PermissionError):
        delete_day_off(day_off=ppu, by=kesbangpol_admin)
    ppu.region_id = "64.01"  # moving PPU's day off into Paser is changing PPU's day off
    with pytest.raises(PermissionError):
        save_day_off(day_off=ppu, by=kesbangpol_admin)
    with pytest.raises(PermissionError):
        save_day_off(day_off=DayOff(date=date(2026, 8, 15), name="Libur"), by=kesbangpol_admin)
    assert DayOff.objects.get(pk=ppu.pk).region_id == "64.09"
    assert not AuditEntry.objects.filter(action__startswith="dayoff.").exists()
