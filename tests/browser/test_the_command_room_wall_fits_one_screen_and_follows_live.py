"""Done when (issue 19 part 2): a command-room screen opened once with a display token shows the
assessed picture of Paser on one 1920x1080 screen with no scrolling (and on a 1366x768 one), and
updates in place, without a reload, when a new report is verified; a revoked token stops it.
Screenshots docs/screenshots/wall-1920.png and wall-1366.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from waspada.regions.importers import load_paser_boundaries
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.situation import actions
from waspada.situation.tests.helpers import incident, villages_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LIVE_WAIT_MS = 20_000
NEW_TITLE = "Bentrok pemuda antarkampung usai pertandingan sepak bola"


def _fits(page: Any, width: int, height: int) -> None:
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= width and scroll[1] <= height, scroll


def _forums_read_whole(page: Any) -> None:
    """Each forum in "open dispositions by forum" is named whole: its cell neither cuts the name
    (no ellipsis, nothing hidden sideways) nor runs past the bottom of its panel (a screen in a
    command room has no mouse to point at a cut name); the full name is its title."""
    cells = page.locator("[data-wall=forum]")
    assert cells.count() >= 6, cells.count()
    named: dict[str, str] = {}
    for n in range(cells.count()):
        cell = cells.nth(n)
        shown = cell.evaluate(
            """el => {
                const box = el.getBoundingClientRect();
                const panel = el.closest('section').getBoundingClientRect();
                const style = getComputedStyle(el);
                return {
                    wide: el.scrollWidth <= el.clientWidth + 1,
                    inside: box.bottom <= panel.bottom && box.right <= panel.right,
                    ellipsis: style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap',
                };
            }"""
        )
        name = " ".join(cell.inner_text().split())
        assert shown == {"wide": True, "inside": True, "ellipsis": False}, (name, shown)
        named[name] = cell.get_attribute("title") or ""
    # by the abbreviations the room reads them by, the full name in the title
    assert named["TKD"] == "Tim Kewaspadaan Dini Kabupaten Paser"
    assert named["Timdu PKS"] == "Tim Terpadu Penanganan Konflik Sosial Kabupaten Paser"
    assert named["FKUB"] == "Forum Kerukunan Umat Beragama Kabupaten Paser"


def test_the_wall_fits_one_screen_and_follows_a_verified_report_live(
    chromium: Any,
    live_server: Any,
    settings: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    kesbangpol_admin: Any,
) -> None:
    settings.WASPADA_LIVE_POLL_SECONDS = 1
    load_paser_boundaries()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # A picture with some colour: a siaga incident in Long Ikis, waspada ones in two other
    # kecamatan, an awas rahasia one (named on the wall by isu, level and kecamatan only).
    incident(
        desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga", title="Penolakan rumah ibadah"
    )
    for kecamatan in ("64.01.04", "64.01.08"):
        village = villages_of(kecamatan, 1)[0]
        incident(
            desa_reporter,
            kesbangpol_analyst,
            isu="agraria_warga",
            alert_level="waspada",
            region_code=village,
            title=f"Sengketa batas kebun di {village}",
        )
    incident(
        desa_reporter,
        kesbangpol_analyst,
        isu="radikalisme",
        alert_level="awas",
        classification="rahasia",
        title="Rapat rahasia kelompok bersenjata",
    )
    # Reports for forums with long names (politics, foreigners, drugs, ethnic tension): the
    # dispositions panel holds as many forums as it lists.
    for isu, title in (
        ("politik_pemilu", "Sengketa hasil pilkades berlanjut"),
        ("orang_asing", "Pekerja asing tanpa izin di kebun sawit"),
        ("narkoba", "Peredaran sabu di pasar desa"),
        ("sara_etnis", "Ketegangan warga pendatang dan warga lokal"),
    ):
        incident(desa_reporter, kesbangpol_analyst, isu=isu, alert_level="waspada", title=title)
    token, raw = actions.create_display_token(
        region=Region.objects.get(code="64.01"), name="Ruang komando", by=kesbangpol_admin
    )

    room = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    screen = room.new_page()
    dialogs: list[str] = []
    screen.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    screen.goto(f"{live_server.url}/situasi/layar/t/{raw}/")
    assert screen.url.endswith("/situasi/layar/")
    total = screen.locator("[data-wall=total]")
    assert total.inner_text() == "8"
    assert "Rapat rahasia" not in screen.locator("body").inner_text()
    assert screen.locator("svg.map text.map-label").count() > 5  # the kecamatan are named
    _fits(screen, 1920, 1080)
    screen.screenshot(path=str(SCREENSHOTS / "wall-1920.png"))
    _forums_read_whole(screen)
    screen.evaluate("window.wallMarker = 'not reloaded'")

    # A new report is filed and verified: the wall counts it and lists it, in place.
    report = submit(desa_reporter, isu="sara_etnis", alert_level="siaga", title=NEW_TITLE).report
    verify_report(report=report, by=kesbangpol_analyst)
    total.filter(has_text="9").wait_for(timeout=LIVE_WAIT_MS)
    screen.locator("[data-wall=incidents]").filter(has_text=NEW_TITLE).wait_for(timeout=LIVE_WAIT_MS)
    assert screen.evaluate("window.wallMarker") == "not reloaded"
    _fits(screen, 1920, 1080)

    # A smaller screen: the same wall, still without scrolling.
    screen.set_viewport_size({"width": 1366, "height": 768})
    screen.wait_for_timeout(300)
    _fits(screen, 1366, 768)
    screen.screenshot(path=str(SCREENSHOTS / "wall-1366.png"))
    _forums_read_whole(screen)

    # The token is revoked: the next refresh is refused, the screen says so and no longer shows
    # the picture (the screen may hang where the picture is no longer for).
    assert screen.locator("#wall-content").inner_text().strip()
    actions.revoke_display_token(token=token, by=kesbangpol_admin)
    screen.locator("[data-wall-stopped]").wait_for(state="visible", timeout=LIVE_WAIT_MS)
    assert screen.locator("#wall-content").inner_text().strip() == ""
    assert dialogs == []
    room.close()
