"""Seeing is wider than deciding: a province TKD sees its regencies, but each regency's own TKD
decides there (waspada/forums/access.py, rule 6 of reports/visibility.py)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from waspada.forums.access import access_cached, access_of
from waspada.forums.actions import retire_forum
from waspada.forums.models import Forum

LONG_IKIS = "64.01.06"
PPU_DISTRICT = "64.09.01"
PROVINCE = "64"
BERAU = "64.05"  # a regency of the province with no TKD loaded in these tests


def test_paser_analyst_decides_in_paser_only(kaltim: Any, kesbangpol_analyst: Any) -> None:
    access = access_of(kesbangpol_analyst)
    assert access.decides(LONG_IKIS)
    assert not access.decides(PPU_DISTRICT)
    assert not access.decides(PROVINCE)


def test_province_analyst_decides_only_where_no_regency_team_does(province_analyst: Any) -> None:
    access = access_of(province_analyst)
    assert not access.decides(LONG_IKIS)
    assert not access.decides(PPU_DISTRICT)
    assert access.decides(PROVINCE)
    assert access.decides(BERAU + ".01")


def test_the_province_decides_again_once_a_regency_team_is_retired(province_analyst: Any) -> None:
    retire_forum(forum=Forum.objects.get(code="TKD-6409"), by=None)
    assert access_of(province_analyst).decides(PPU_DISTRICT)
    assert not access_of(province_analyst).decides(LONG_IKIS)


def test_an_ordinary_member_of_a_team_decides_nothing(kaltim: Any, desa_reporter: Any, regent: Any) -> None:
    assert not access_of(desa_reporter).decides(LONG_IKIS)
    assert not access_of(regent).decides(LONG_IKIS)


def test_the_filter_says_what_the_question_says(kaltim: Any, province_analyst: Any) -> None:
    from waspada.regions.models import Region

    regions = Region.objects.filter(access_of(province_analyst).decides_q(""))
    decided = set(regions.values_list("code", flat=True))
    assert PROVINCE in decided
    assert LONG_IKIS not in decided and "64.01" not in decided
    assert PPU_DISTRICT not in decided


def test_seats_are_read_once_inside_a_request_block(
    kesbangpol_analyst: Any, django_assert_num_queries: Any
) -> None:
    with access_cached():
        access_of(kesbangpol_analyst)
        with django_assert_num_queries(0):
            access_of(kesbangpol_analyst).decides(LONG_IKIS)
            access_of(kesbangpol_analyst).decides_q("region")


def test_a_page_reads_the_seats_once(client: Client, kesbangpol_analyst: Any) -> None:
    """A list page asks several rights questions of the same person; the seats query runs once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(kesbangpol_analyst)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("response:inbox")).status_code == 200
    seat_reads = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "forums_membership"' in q["sql"] and '"forums_forum"."level"' in q["sql"]
    ]
    assert len(seat_reads) == 1


def test_a_team_inside_an_analysts_area_takes_the_decision_there(
    kaltim: Any, kesbangpol_analyst: Any
) -> None:
    """The analyst's seats read only the teams inside her own area (an installation of every
    regency has 515 of them), and a team there still takes the decision from her."""
    Forum.objects.create(
        code="TKD-640106", name="TKD Long Ikis", kind="TKD", level="kecamatan", jurisdiction_id=LONG_IKIS
    )
    access = access_of(kesbangpol_analyst)
    assert not access.decides(LONG_IKIS)
    assert not access.decides(LONG_IKIS + ".2001")
    assert access.decides("64.01.01")
    assert access.inner_tkd_areas("64.01") == [LONG_IKIS]


def test_teams_of_other_regencies_are_not_read_for_a_regency_analyst(
    kaltim: Any, kesbangpol_analyst: Any, province_analyst: Any
) -> None:
    assert access_of(kesbangpol_analyst).tkd_areas == frozenset({"64.01"})
    assert {"64", "64.01", "64.09"} <= access_of(province_analyst).tkd_areas
