"""Issue 19, part 1, in a real Chromium at 1366x768: the analyst, the head of Kesbangpol, the
Bupati and a member of the Forkopimda (the Kapolres) open the situation dashboard and the map
from the home page. The total, the kecamatan's status on the map and the hotspots agree across
the four; the Bupati and the Kapolres are told how many reports of the picture they may not open,
and the secret incident's title reaches only the TKD. Screenshots docs/screenshots/picture-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, ForumKind, Role
from waspada.people.models import Person
from waspada.regions.importers import load_paser_boundaries
from waspada.reports.models import Report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.tests.helpers import incident
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
SECRET_TITLE = "Informasi rahasia kelompok bersenjata"
LONG_IKIS = "64.01.06"


@pytest.fixture
def story(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    load_paser_boundaries()
    agama = {"isu": "agama", "alert_level": "siaga", "title": "Penolakan rumah ibadah"}
    incident(desa_reporter, kesbangpol_analyst, **agama)
    submit(desa_reporter, isu="narkoba", alert_level="waspada", title="Dugaan sabu di pelabuhan")
    incident(
        desa_reporter,
        kesbangpol_analyst,
        isu="radikalisme",
        alert_level="awas",
        classification="rahasia",
        title=SECRET_TITLE,
    )


@pytest.fixture
def kapolres(kesbangpol_admin: Any) -> Person:
    person = Person.objects.create_user(username="kapolres.paser", password=PERSONA_PASSWORD)
    forum = Forum.objects.get(kind=ForumKind.FKPD, jurisdiction_id="64.01")
    add_membership(person=person, forum=forum, role=Role.ANGGOTA, by=kesbangpol_admin)
    return person


def _walk(chromium: Any, base: str, person: Any, name: str) -> dict[str, Any]:
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, base, person, PERSONA_PASSWORD)
        page.locator("header, nav").get_by_role("link", name="Situasi").first.click()
        page.wait_for_url("**/situasi/")
        main = page.locator("main")
        total = int(main.locator('[data-count="total"]').inner_text())
        note = main.locator(".picture-note")
        withheld = int(note.get_attribute("data-withheld") or 0) if note.count() else 0
        hotspots = main.locator("section", has_text="Titik rawan").inner_text()
        text = main.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"picture-{name}.png"), full_page=True)
        page.goto(f"{base}/situasi/peta/?region={LONG_IKIS}")
        status = page.locator(f'[data-status="{LONG_IKIS_VILLAGE}"]').first.inner_text()
        return {"total": total, "withheld": withheld, "hotspots": hotspots, "text": text, "village": status}
    finally:
        context.close()


def test_the_bupati_and_the_forkopimda_see_the_analysts_picture(
    chromium: Any,
    live_server: Any,
    story: None,
    kesbangpol_analyst: Any,
    tkd_head: Any,
    regent: Any,
    kapolres: Person,
) -> None:
    seen = {
        name: _walk(chromium, live_server.url, person, name)
        for name, person in {
            "analyst": kesbangpol_analyst,
            "tkd-head": tkd_head,
            "bupati": regent,
            "kapolres": kapolres,
        }.items()
    }
    analyst = seen["analyst"]
    assert analyst["total"] == 3 and analyst["village"] == "Awas" and analyst["withheld"] == 0
    assert "Long Ikis" in analyst["hotspots"] and SECRET_TITLE in analyst["text"]
    for name, view in seen.items():
        assert (view["total"], view["village"], view["hotspots"]) == (3, "Awas", analyst["hotspots"]), name
    for name, person in (("bupati", regent), ("kapolres", kapolres)):
        closed = 3 - Report.objects.visible_to(person).count()
        assert closed > 0 and seen[name]["withheld"] == closed, name
        said = rf"{closed} laporan dalam gambaran ini tidak dapat Anda buka"
        assert re.search(said, seen[name]["text"]), name
    assert SECRET_TITLE not in seen["kapolres"]["text"]
    assert "(tidak dapat Anda buka)" in seen["kapolres"]["text"]
