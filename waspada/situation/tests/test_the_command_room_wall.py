"""The command-room wall (issue 19 part 2): a display token opens the assessed picture of its region
and nothing else; its numbers are the analyst's; a revoked token stops the next refresh; only a
Kesbangpol administrator of the region makes one; TKD and Forkopimda members open their own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.regions.models import Region
from waspada.reports.tests.factories import submit
from waspada.situation import actions
from waspada.situation.counts import dashboard_counts
from waspada.situation.filters import Filters
from waspada.situation.models import DisplayToken
from waspada.situation.tests.helpers import incident
from waspada.situation.wall import WALL_ROUTES

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rapat rahasia kelompok bersenjata di hulu sungai"
ORDINARY_TITLE = "Warga berkumpul di balai desa membahas tapal batas"


@pytest.fixture
def story(personas: Any) -> dict[str, Any]:
    reporter, analyst = personas.desa_reporter, personas.kesbangpol_analyst
    return {
        "ordinary": incident(
            reporter, analyst, isu="agraria_warga", alert_level="siaga", title=ORDINARY_TITLE
        ),
        "secret": incident(
            reporter,
            analyst,
            isu="radikalisme",
            alert_level="awas",
            classification="rahasia",
            title=SECRET_TITLE,
        ),
        "unverified": submit(reporter, isu="narkoba", alert_level="waspada", title="Dugaan sabu").report,
    }


def _screen(admin: Any, region_code: str = "64.01") -> tuple[Client, DisplayToken, str]:
    token, raw = actions.create_display_token(
        region=Region.objects.get(code=region_code), name="Ruang komando", by=admin
    )
    screen = Client()
    opened = screen.get(f"/situasi/layar/t/{raw}/")
    assert opened.status_code == 302 and opened["Location"] == "/situasi/layar/"
    return screen, token, raw


def _total(html: str) -> int:
    found = re.search(r'<strong data-wall="total">(\d+)</strong>', html)
    assert found, html[:500]
    return int(found.group(1))


def test_the_walls_numbers_are_the_analysts_dashboard_for_the_same_region(personas, story) -> None:
    screen, _token, _raw = _screen(personas.kesbangpol_admin)
    page = screen.get("/situasi/layar/")
    assert page.status_code == 200
    html = page.content.decode()
    today = timezone.localdate()
    filters = Filters(region=Region.objects.get(code="64.01")).with_period(
        today - timezone.timedelta(days=29), today
    )
    analyst = dashboard_counts(filters, filters, personas.kesbangpol_analyst)
    assert _total(html) == sum(analyst.by_level.values()) == 3
    for level, n in analyst.by_level.items():
        assert f'data-wall-level="{level}">{n}<' in html
    # the room sees the ordinary incident by its title, the secret one by isu, level and kecamatan
    assert ORDINARY_TITLE in html
    assert SECRET_TITLE not in html
    assert "Insiden Radikalisme, Awas" in html


def _paths() -> Iterator[str]:
    def walk(patterns: Any, prefix: str) -> Iterator[tuple[str, str]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = entry.namespace
                for route, name in walk(entry.url_patterns, prefix + str(entry.pattern)):
                    yield route, f"{namespace}:{name}" if namespace else name
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.name or ""

    for route, name in walk(get_resolver().url_patterns, ""):
        if name in WALL_ROUTES:
            continue
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route).replace("^", "").replace("$", "").replace("\\", "")
        path = re.sub(r"<int:\w+>", "1", path)
        path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
        yield "/" + path


def test_a_display_session_opens_the_wall_and_nothing_else(personas, story) -> None:
    screen, _token, _raw = _screen(personas.kesbangpol_admin)
    assert screen.get("/situasi/layar/").status_code == 200
    assert screen.get("/situasi/layar/isi/").status_code == 200
    paths = sorted(set(_paths()))
    assert len(paths) > 100 and "/situasi/" in paths and "/admin/x/" in paths
    assert any(path.startswith("/api/v1/") for path in paths)
    answered = {}
    for path in paths:
        for method in ("get", "post"):
            status = getattr(screen, method)(path).status_code
            if status != 403:
                answered[f"{method.upper()} {path}"] = status
    assert answered == {}


def test_opening_a_token_logs_out_whoever_was_logged_in(personas) -> None:
    browser = Client()
    browser.force_login(personas.kesbangpol_analyst)
    _token, raw = actions.create_display_token(
        region=Region.objects.get(code="64.01"), name="Ruang rapat", by=personas.kesbangpol_admin
    )
    assert browser.get(f"/situasi/layar/?token={raw}").status_code == 302
    assert browser.get("/situasi/").status_code == 403
    assert browser.get("/situasi/layar/").status_code == 200


def test_a_revoked_token_stops_the_next_refresh(personas, story) -> None:
    screen, token, raw = _screen(personas.kesbangpol_admin)
    first = screen.get("/situasi/layar/isi/")
    assert first.status_code == 200
    assert screen.get("/situasi/layar/isi/", {"stamp": first["X-Wall-Stamp"]}).status_code == 204
    actions.revoke_display_token(token=token, by=personas.kesbangpol_admin)
    assert screen.get("/situasi/layar/isi/").status_code == 403
    assert screen.get("/situasi/layar/").status_code == 403
    assert Client().get(f"/situasi/layar/t/{raw}/").status_code == 403
    assert Client().get("/situasi/layar/t/wsl_tebakan/").status_code == 403


def test_the_refresh_answers_new_content_after_a_change(personas, story) -> None:
    screen, _token, _raw = _screen(personas.kesbangpol_admin)
    first = screen.get("/situasi/layar/isi/")
    stamp = first["X-Wall-Stamp"]
    assert _total(first.content.decode()) == 3
    submit(personas.desa_reporter, isu="agama", alert_level="waspada", title="Laporan baru")
    fresh = screen.get("/situasi/layar/isi/", {"stamp": stamp})
    assert fresh.status_code == 200 and fresh["X-Wall-Stamp"] != stamp
    assert _total(fresh.content.decode()) == 4


def test_tokens_are_stored_hashed_and_every_step_audited(personas) -> None:
    admin = personas.kesbangpol_admin
    token, raw = actions.create_display_token(region=Region.objects.get(code="64.01"), name="Layar", by=admin)
    assert raw not in token.digest and len(token.digest) == 64
    screen = Client()
    screen.get(f"/situasi/layar/t/{raw}/")
    screen.get("/situasi/layar/isi/")
    screen.get("/situasi/layar/isi/")
    actions.revoke_display_token(token=token, by=admin)
    steps = list(
        AuditEntry.objects.filter(action__startswith="display_token.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert steps == ["display_token.created", "display_token.used", "display_token.revoked"]
    assert raw not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_regency_admin_cannot_make_or_revoke_a_token_for_another_regency(personas, kaltim) -> None:
    admin = personas.kesbangpol_admin
    with pytest.raises(PermissionError):
        actions.create_display_token(region=Region.objects.get(code="64.09"), name="Layar PPU", by=admin)
    with pytest.raises(PermissionError):
        actions.create_display_token(region=Region.objects.get(code="64"), name="Layar Kaltim", by=admin)
    assert not DisplayToken.objects.exists()
    client = Client()
    client.force_login(admin)
    page = client.post("/situasi/layar/token/", {"name": "Layar PPU", "region": "64.09"})
    assert page.status_code == 403 and not DisplayToken.objects.exists()
    listed = client.get("/situasi/layar/token/").content.decode()
    assert 'value="64.01"' in listed and 'value="64.09"' not in listed
    made = client.post("/situasi/layar/token/", {"name": "Ruang Kesbangpol", "region": "64.01"})
    assert made.status_code == 200 and "/situasi/layar/t/wsl_" in made.content.decode()


def test_only_a_kesbangpol_admin_makes_tokens(personas) -> None:
    region = Region.objects.get(code="64.01")
    with pytest.raises(PermissionError):
        actions.create_display_token(region=region, name="Layar", by=personas.kesbangpol_analyst)
    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    assert client.get("/situasi/layar/token/").status_code == 403


def test_tkd_and_forkopimda_members_open_their_own_wall_and_others_are_refused(personas, story) -> None:
    for person, status in (
        (personas.kesbangpol_analyst, 200),
        (personas.tkd_head, 200),
        (personas.regent, 200),
        (personas.desa_reporter, 403),
        (personas.fkub_officer, 403),
        (personas.outsider, 403),
    ):
        client = Client()
        client.force_login(person)
        page = client.get("/situasi/layar/")
        assert page.status_code == status, person.username
        if status == 200:
            html = page.content.decode()
            assert _total(html) == 3
            assert SECRET_TITLE not in html
    assert Client().get("/situasi/layar/").status_code == 302
