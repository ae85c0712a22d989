"""Every persona, signed in, follows every same-site link and form target the site shows them,
from the home page on (bounded: waspada/testing/crawl.py), and none answers 404, 403 or 500 or
sends them back to the login page; no page shows an internal code where a name belongs.

One world is built for the module, through the real actions, so that the pages have something
to link to: reports at every level and classification (one rahasia with an informant), one
awaiting verification, one rejected; a photo and a PDF attached; incidents (two merged);
dispositions waiting, acknowledged, acted on with a photo and a PDF as proof, paused, returned,
closed, and one overdue and escalated; a notification of every kind fanned out to its readers;
an early-detection signal, a stored weekly brief and a CAP alert. The world lives in a
transaction rolled back at the end of the module; each crawl runs in its own savepoint.

Every persona of ``PERSONAS`` is crawled (a persona added there is crawled too), in Indonesian,
and once more in English (``Accept-Language: en``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image

from waspada.detection.models import Signal
from waspada.forums.defaults import ensure_default_forums
from waspada.forums.models import Forum
from waspada.notify.events import Kind, disposition_event
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event
from waspada.people.actions import update_person
from waspada.people.models import Person
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.reports.actions import attach_file, merge_incidents, reject_report, share_report, verify_report
from waspada.reports.models import Report
from waspada.reports.taxonomy import Gatra
from waspada.reports.tests.factories import jpeg_with_gps, submit
from waspada.response import actions as response_actions
from waspada.response.defaults import ensure_defaults as ensure_response_defaults
from waspada.response.models import Disposition, DispositionKind
from waspada.testing.crawl import Crawler, CrawlResult, internal_codes
from waspada.testing.personas import PERSONAS, ensure_persona

# Codes outside the models' choice fields: notification kinds ("disposition.escalated") and the
# gatra (a list field), e.g. "sumber_kekayaan_alam".
EXTRA_CODES = [value for name, value in vars(Kind).items() if name.isupper()] + [
    value for value in Gatra.values if "_" in value
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    people: dict[str, Person]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, format="PNG")
    return out.getvalue()


def _disposition(report: Report, forum_code: str) -> Disposition:
    return Disposition.objects.get(report=report, forum__code=forum_code)


def _build_world() -> World:
    load_bundled_regions("64.01")
    paser = Region.objects.get(code="64.01")
    ensure_default_forums(regency=paser)
    ensure_response_defaults()
    people = {persona.key: ensure_persona(persona.key, regency=paser) for persona in PERSONAS}
    analyst = update_person(person=people["kesbangpol_analyst"], by=None, is_informant_handler=True)
    people["kesbangpol_analyst"] = analyst
    reporter = people["desa_reporter"]
    chair = people["kecamatan_fkdm_chair"]
    fkub_officer = people["fkub_officer"]
    bnk_officer = people["bnk_officer"]
    now = timezone.now()

    # A blockade reported twice (village reporter, district chair), verified, then merged.
    hauling = submit(
        reporter,
        title="Warga Desa Lombok menghadang truk hauling batu bara",
        latitude=-1.6180339,
        longitude=116.2718281,
        where_detail="Simpang jalan hauling KM 7",
    ).report
    attach_file(report=hauling, uploader=reporter, data=jpeg_with_gps(), original_name="blokade.jpg")
    attach_file(report=hauling, uploader=reporter, data=PDF, original_name="surat-warga.pdf")
    second_day = submit(
        chair, title="Blokade jalan hauling di Lombok berlanjut hari kedua", classification="terbatas"
    ).report
    ins_hauling = verify_report(report=hauling, by=analyst)
    ins_second = verify_report(report=second_day, by=analyst)
    merge_incidents(target=ins_hauling, sources=[ins_second], by=analyst, reason="Kejadian yang sama")

    # A house of worship: FKUB acknowledges, acts with a photo and a PDF as proof, and closes.
    worship = submit(
        reporter,
        title="Penolakan renovasi rumah ibadah di Desa Lombok",
        isu="agama",
        athg="tantangan",
        gatra=["sosial_budaya"],
    ).report
    attach_file(report=worship, uploader=reporter, data=_png(), original_name="spanduk.png")
    verify_report(report=worship, by=analyst)
    fkub = _disposition(worship, "FKUB-6401")
    response_actions.acknowledge(disposition=fkub, by=fkub_officer)
    response_actions.add_action(
        disposition=fkub,
        text="Mediasi di balai desa bersama tokoh agama dan panitia renovasi.",
        by=fkub_officer,
        proofs=[
            response_actions.Proof(name="mediasi.jpg", data=jpeg_with_gps()),
            response_actions.Proof(name="berita-acara.pdf", data=PDF),
        ],
    )
    response_actions.close(
        disposition=fkub, outcome="tertangani", text="Warga dan panitia sepakat.", by=fkub_officer
    )

    # Drugs in Tanah Grogot (siaga): BNK acknowledges, misses its deadline, and it is escalated.
    drugs = submit(
        bnk_officer,
        title="Peredaran obat daftar G di sekitar pasar Tanah Grogot",
        isu="narkoba",
        athg="ancaman",
        alert_level="siaga",
        region_code="64.01.04.1001",
    ).report
    verify_report(report=drugs, by=analyst)
    bnk = _disposition(drugs, "BNK-6401")
    response_actions.acknowledge(disposition=bnk, by=bnk_officer)
    # The deadline passed two hours ago (a fixture, as if the clock had run).
    Disposition.objects.filter(pk=bnk.pk).update(due_at=now - timedelta(hours=2))
    response_actions.escalate(bnk.pk, now)

    # A secret report with an informant, shared with Forkopimda and FKUB.
    secret = submit(
        reporter,
        title="Dugaan gudang sabu di Desa Pait",
        isu="narkoba",
        athg="ancaman",
        alert_level="siaga",
        classification="rahasia",
        region_code="64.01.06.2007",
        informant_name="Informan Rahasia Zyxwv",
        informant_contact="0812-9999-0000",
    ).report
    share_report(report=secret, forum=Forum.objects.get(code="FKPD-6401"), by=analyst)
    share_report(report=secret, forum=Forum.objects.get(code="FKUB-6401"), by=analyst)
    verify_report(report=secret, by=analyst)

    # Ethnic friction at awas: one disposition paused, the deadline of another near, one returned.
    friction = submit(
        chair,
        title="Ketegangan antarkelompok pemuda setelah perkelahian di pasar malam",
        isu="sara_etnis",
        athg="gangguan",
        alert_level="awas",
        gatra=["sosial_budaya", "pertahanan_keamanan"],
    ).report
    verify_report(report=friction, by=analyst)
    open_ones = list(Disposition.objects.filter(report=friction).order_by("pk"))
    # Only a disposition that must be acted on has a clock to pause, and only once acknowledged.
    to_pause = next(d for d in open_ones if d.kind == DispositionKind.TINDAKAN)
    response_actions.acknowledge(disposition=to_pause, by=analyst)
    response_actions.pause(disposition=to_pause, reason="Menunggu hasil mediasi Timdu PKS", by=analyst)
    open_ones = [d for d in open_ones if d != to_pause] + [to_pause]
    disposition_event(Kind.DEADLINE_NEAR, open_ones[-1])
    if len(open_ones) > 2:
        response_actions.return_disposition(
            disposition=open_ones[1], reason="Bukan kewenangan forum ini", by=analyst
        )

    # Waiting for verification (normal, from the district), and one rejected.
    submit(
        chair,
        title="Antrean BBM di SPBU Long Ikis sejak subuh",
        isu="infrastruktur_logistik",
        alert_level="normal",
    )
    rumour = submit(
        reporter, title="Kabar bendungan jebol", isu="hoaks", athg="gangguan", alert_level="normal"
    ).report
    reject_report(report=rumour, by=analyst, reason="Tidak ada bendungan di wilayah itu; kabar bohong.")

    # An early-detection signal, told to the TKD as the detector would.
    from waspada.detection.notices import announce_signal

    today = timezone.localdate()
    signal = Signal.objects.create(
        region_id="64.01.06",
        isu="agraria_korporasi",
        period_start=today - timedelta(days=6),
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation="Laporan agraria di Kec. Long Ikis minggu ini 9, biasanya 2.",
    )
    announce_signal(signal)

    # A stored weekly brief for the analyst, and a CAP alert.
    from waspada.briefs.actions import create_situation_brief
    from waspada.briefs.periods import BriefKind, calendar_period
    from waspada.exchange.actions import AlertInput, issue_alert

    create_situation_brief(period=calendar_period(BriefKind.MINGGUAN, today), recipient=analyst, by=analyst)
    issue_alert(
        by=analyst,
        region=Region.objects.get(code="64.01.06"),
        isu="agraria_korporasi",
        data=AlertInput(
            headline="Blokade jalan hauling di Long Ikis",
            description="Hindari jalan hauling KM 7.",
            level="siaga",
            expires_at=now + timedelta(days=1),
        ),
    )

    # Every event reaches its readers' notification centres, as the worker would do.
    for event_id in Event.objects.order_by("pk").values_list("pk", flat=True):
        fan_out(event_id)
    return World(people=people)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db  # each crawl in a savepoint of the world: what it writes is undone


def _crawl(person: Person, language: str) -> CrawlResult:
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    client.force_login(person)
    assert f'<html lang="{language}">' in client.get("/").content.decode(), (
        "the home page is not in that language"
    )
    return Crawler(client, codes=internal_codes(extra=EXTRA_CODES)).crawl()


def _report(key: str, result: CrawlResult) -> str:
    lines = [hop.line(key) for hop in result.broken]
    lines += [f"{key}: {page} shows {', '.join(codes)}" for page, codes in sorted(result.codes.items())]
    return "\n".join(lines)


@pytest.mark.parametrize("key", [persona.key for persona in PERSONAS])
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_link_and_form_a_persona_is_shown_opens_and_names_things(
    world: World, key: str, language: str
) -> None:
    result = _crawl(world.people[key], language)
    print(f"{key} ({language}): {result.pages} pages, {len(result.hops)} links, {result.unchecked} left out")
    assert result.pages > 5, "the crawl did not get past the home page"
    assert not result.broken and not result.codes, "\n" + _report(key, result)
