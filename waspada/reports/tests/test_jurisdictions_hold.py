"""The reproductions of issue 18's "Why", as tests: a second regency (Penajam Paser Utara) and the
province (Kalimantan Timur) in the same installation as Paser, and nothing crosses a border it
should not (docs: the access rules of issue 18, briefs/access-rules.md).

One world for the module (built once, each test in its own savepoint):

    report    filed by         where                 class    dispositions (routing, on verify)
    rahasia   desa_reporter    Desa Pait, Long Ikis  rahasia  BNK-6401, TKD-6401; an informant
    biasa     desa_reporter    Desa Lombok           biasa    TIMDU_PKS-6401, TKD-6401
    ppu       ppu_reporter     a village of PPU      biasa    PPU's own forums (TKD-6409…)

and a new signal in Long Ikis and one in PPU's first kecamatan, a Public alert for Long Ikis.

The expected answers come from the rules, not from today's code: PPU's people see and change
nothing of Paser (404 where they cannot see, PermissionError from every action); the province's
TKD analyst sees Paser's reports and dispositions (the roll-up) but triages, overrides, reveals,
publishes and acts on nothing in Paser (Paser's own TKD is the deciding TKD there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.actions import review_signal
from waspada.detection.models import Signal
from waspada.exchange.actions import AlertInput, cancel_alert, issue_alert, update_alert
from waspada.exchange.models import Alert
from waspada.exchange.tests.helpers import published
from waspada.forums.defaults import ensure_default_forums
from waspada.forums.models import Forum
from waspada.people.actions import update_person
from waspada.people.models import Person
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.reports.actions import (
    reject_report,
    reveal_informant,
    set_incident_level,
    share_report,
    verify_report,
)
from waspada.reports.models import Incident, Report
from waspada.reports.tests.factories import submit
from waspada.reports.tests.jurisdictions import (
    OTHER_PERSONAS,
    PPU_PERSONAS,
    api,
    ensure_other_personas,
    load_kaltim,
    post_json,
    web,
)
from waspada.response import actions as response_actions
from waspada.response.models import Disposition, DispositionStatus
from waspada.situation.actions import lift_status_override, set_status_override
from waspada.situation.models import StatusOverride
from waspada.situation.status import region_statuses
from waspada.testing.personas import NEIGHBOUR_REGENCY_CODE, ensure_all_personas, persona_kecamatan

pytestmark = pytest.mark.django_db

LONG_IKIS = "64.01.06"
DESA_PAIT = "64.01.06.2007"
DESA_LOMBOK = "64.01.06.2006"
TANAH_GROGOT_FKDM = "FKDM-640104"  # a kecamatan FKDM of another kecamatan than Long Ikis
INFORMANT_NAME = "Informan Perbatasan Qwxyz"
INFORMANT_CONTACT = "0813-5555-7777"
RAHASIA_TITLE = "Dugaan gudang sabu di Desa Pait dekat dermaga"
BIASA_TITLE = "Warga Desa Lombok menghadang truk hauling di simpang KM 7"
PPU_TITLE = "Sengketa lahan plasma sawit di Penajam Paser Utara"


@dataclass
class Borders:
    people: dict[str, Person]
    rahasia: Report
    biasa: Report
    ppu: Report
    paser_signal: Signal
    ppu_signal: Signal
    alert: Alert

    def dispositions(self, report: Report) -> list[Disposition]:
        return list(Disposition.objects.filter(report=report).select_related("forum").order_by("pk"))

    @property
    def paser_dispositions(self) -> list[Disposition]:
        return self.dispositions(self.rahasia) + self.dispositions(self.biasa)

    def disposition(self, report: Report, forum_code: str) -> Disposition:
        return Disposition.objects.select_related("forum", "report").get(
            report=report, forum__code=forum_code
        )


def _signal(region: str) -> Signal:
    today = timezone.localdate()
    return Signal.objects.create(
        region_id=region,
        isu="narkoba",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation=f"Laporan narkoba di {region} minggu ini 9, biasanya 2.",
    )


def _build() -> Borders:
    load_bundled_regions("64.01")
    paser = Region.objects.get(code="64.01")
    ensure_default_forums(regency=paser)
    load_kaltim()
    people: dict[str, Person] = dict(ensure_all_personas(regency=paser).all())
    people.update(ensure_other_personas(paser))
    # Paser's own analyst handles informants too: the control that the reveal works where it may.
    people["kesbangpol_analyst"] = update_person(
        person=people["kesbangpol_analyst"], by=None, is_informant_handler=True
    )
    analyst = people["kesbangpol_analyst"]
    rahasia = submit(
        people["desa_reporter"],
        title=RAHASIA_TITLE,
        region_code=DESA_PAIT,
        isu="narkoba",
        classification="rahasia",
        alert_level="siaga",
        informant_name=INFORMANT_NAME,
        informant_contact=INFORMANT_CONTACT,
    ).report
    biasa = submit(people["desa_reporter"], title=BIASA_TITLE, region_code=DESA_LOMBOK).report
    verify_report(report=rahasia, by=analyst)
    verify_report(report=biasa, by=analyst)
    ppu_desa = people["ppu_reporter"].home_region
    assert ppu_desa is not None and ppu_desa.code.startswith(NEIGHBOUR_REGENCY_CODE + ".")
    ppu = submit(people["ppu_reporter"], title=PPU_TITLE, region_code=ppu_desa.code).report
    verify_report(report=ppu, by=people["ppu_analyst"])
    alert = published(
        issue_alert(
            by=analyst,
            region=Region.objects.get(code=LONG_IKIS),
            isu="agraria_korporasi",
            data=AlertInput(
                headline="Blokade jalan hauling di Long Ikis",
                description="Uji batas yurisdiksi.",
                level="siaga",
                expires_at=timezone.now() + timedelta(days=1),
            ),
        )
    )
    ppu_kecamatan = persona_kecamatan(Region.objects.get(code=NEIGHBOUR_REGENCY_CODE))
    return Borders(
        people=people,
        rahasia=Report.objects.get(pk=rahasia.pk),
        biasa=Report.objects.get(pk=biasa.pk),
        ppu=Report.objects.get(pk=ppu.pk),
        paser_signal=_signal(LONG_IKIS),
        ppu_signal=_signal(ppu_kecamatan.code),
        alert=alert,
    )


@pytest.fixture(scope="module")
def borders(django_db_setup: None, django_db_blocker: Any) -> Iterator[Borders]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        yield built
        transaction.set_rollback(True)


def _in_days(days: float) -> Any:
    return timezone.now() + timedelta(days=days)


def _snapshot(dispositions: list[Disposition]) -> list[tuple[int, str, int, int | None]]:
    rows = Disposition.objects.filter(pk__in=[d.pk for d in dispositions]).order_by("pk")
    return [(d.pk, d.status, d.timeline.count(), d.forum_id) for d in rows]


def _audited_by(person: Person) -> list[str]:
    return list(AuditEntry.objects.filter(actor=person).values_list("action", flat=True))


# ---------------------------------------------------------------------------------------------
# The world is what the tests think it is (so that a refusal below is not an empty world's)
# ---------------------------------------------------------------------------------------------


def test_the_world_has_paser_dispositions_for_both_reports_and_ppu_its_own(borders: Borders) -> None:
    assert {d.forum.code for d in borders.dispositions(borders.rahasia)} == {"BNK-6401", "TKD-6401"}
    assert {d.forum.code for d in borders.dispositions(borders.biasa)} >= {"TKD-6401"}
    assert len(borders.dispositions(borders.biasa)) >= 2
    assert {d.forum.code for d in borders.dispositions(borders.ppu)} >= {"TKD-6409"}
    assert all(d.forum.jurisdiction_id.startswith("64.09") for d in borders.dispositions(borders.ppu))


def test_paser_analyst_still_sees_opens_and_reveals_in_paser(borders: Borders) -> None:
    """The control: everything refused below to PPU and the province works for Paser's own TKD."""
    client = web(borders.people["kesbangpol_analyst"])
    assert client.get(f"/laporan/{borders.rahasia.reference}/").status_code == 200
    inbox = client.get("/tindak-lanjut/").content.decode()
    assert borders.rahasia.reference in inbox and borders.biasa.reference in inbox
    for disposition in borders.paser_dispositions:
        assert client.get(f"/tindak-lanjut/{disposition.pk}/").status_code == 200
    revealed = client.post(f"/laporan/{borders.rahasia.reference}/informan/")
    assert revealed.status_code == 200 and INFORMANT_NAME in revealed.content.decode()


# ---------------------------------------------------------------------------------------------
# PPU's analyst and Paser's dispositions
# ---------------------------------------------------------------------------------------------


def test_ppu_analyst_lists_no_paser_disposition_on_the_web_or_the_api(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    assert (
        not Disposition.objects.visible_to(analyst).filter(report__region__code__startswith="64.01.").exists()
    )
    inbox = web(analyst).get("/tindak-lanjut/")
    listed = api(analyst).get("/api/v1/dispositions/")
    assert inbox.status_code == 200 and listed.status_code == 200
    for body in (inbox.content.decode(), listed.content.decode()):
        assert borders.rahasia.reference not in body and borders.biasa.reference not in body
        assert RAHASIA_TITLE not in body and BIASA_TITLE not in body
    # its own regency's work is listed: the list is not merely empty
    assert borders.ppu.reference in inbox.content.decode()
    assert borders.ppu.reference in listed.content.decode()


def test_ppu_analyst_cannot_open_any_paser_disposition(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    client, token = web(analyst), api(analyst)
    for disposition in borders.paser_dispositions:
        page = client.get(f"/tindak-lanjut/{disposition.pk}/")
        answer = token.get(f"/api/v1/dispositions/{disposition.pk}")
        assert (page.status_code, answer.status_code) == (404, 404), disposition.forum.code
        for body in (page.content.decode(), answer.content.decode()):
            assert RAHASIA_TITLE not in body and BIASA_TITLE not in body


DISPOSITION_WORK: dict[str, Callable[[Disposition, Person, Forum], Any]] = {
    "acknowledge": lambda d, p, f: response_actions.acknowledge(disposition=d, by=p),
    "add_action": lambda d, p, f: response_actions.add_action(disposition=d, text="Patroli bersama.", by=p),
    "pause": lambda d, p, f: response_actions.pause(disposition=d, reason="Menunggu polsek", by=p),
    "close": lambda d, p, f: response_actions.close(
        disposition=d, outcome="tertangani", text="Selesai.", by=p
    ),
    "return": lambda d, p, f: response_actions.return_disposition(disposition=d, reason="Bukan kami", by=p),
    "withdraw": lambda d, p, f: response_actions.withdraw_disposition(disposition=d, reason="Keliru", by=p),
    "redirect": lambda d, p, f: response_actions.redirect_disposition(
        disposition=d, forum=f, reason="Lebih tepat", by=p
    ),
}
# The work a disposition's state allows only once its forum has acknowledged it: Paser's analyst
# acknowledges it first, so that the only reason left to refuse is who asks.
AFTER_ACKNOWLEDGING = frozenset({"add_action", "pause", "close", "tindakan", "jeda", "selesai"})


def _ready_for(borders: Borders, disposition: Disposition, work: str) -> Disposition:
    if work in AFTER_ACKNOWLEDGING:
        response_actions.acknowledge(disposition=disposition, by=borders.people["kesbangpol_analyst"])
    return Disposition.objects.select_related("forum", "report").get(pk=disposition.pk)


def _acting(borders: Borders, report: Report) -> Disposition:
    """The report's disposition "perlu tindakan" (not the TKD's copy): every verb applies to it."""
    return Disposition.objects.select_related("forum", "report").get(report=report, kind="tindakan")


@pytest.mark.parametrize("work", DISPOSITION_WORK, ids=str)
@pytest.mark.parametrize("report", ["rahasia", "biasa"])
def test_ppu_analyst_cannot_touch_a_paser_disposition_through_the_actions(
    borders: Borders, work: str, report: str
) -> None:
    analyst = borders.people["ppu_analyst"]
    disposition = _ready_for(borders, _acting(borders, getattr(borders, report)), work)
    before = _snapshot(borders.paser_dispositions)
    audited = _audited_by(analyst)
    with pytest.raises(PermissionError):
        DISPOSITION_WORK[work](disposition, analyst, Forum.objects.get(code="TKD-6409"))
    assert _snapshot(borders.paser_dispositions) == before
    assert _audited_by(analyst) == audited


@pytest.mark.parametrize("work", ["acknowledge", "withdraw", "redirect"])
def test_ppu_analyst_cannot_touch_the_paser_tkds_copy_through_the_actions(
    borders: Borders, work: str
) -> None:
    analyst = borders.people["ppu_analyst"]
    disposition = borders.disposition(borders.rahasia, "TKD-6401")
    before = _snapshot(borders.paser_dispositions)
    with pytest.raises(PermissionError):
        DISPOSITION_WORK[work](disposition, analyst, Forum.objects.get(code="TKD-6409"))
    assert _snapshot(borders.paser_dispositions) == before


PAGE_WORK = {
    "terima": {},
    "tindakan": {"text": "Patroli bersama."},
    "jeda": {"reason": "Menunggu polsek"},
    "selesai": {"outcome": "tertangani", "text": "Selesai."},
    "kembalikan": {"reason": "Bukan kami", "confirm": "on"},
    "tarik": {"reason": "Keliru", "confirm": "on"},
    "alihkan": {"forum": "TKD-6409", "reason": "Lebih tepat", "confirm": "on"},
}
API_WORK = {
    "terima": {},
    "tindakan": {"text": "Patroli bersama."},
    "jeda": {"reason": "Menunggu polsek"},
    "selesai": {"outcome": "tertangani", "text": "Selesai."},
    "kembalikan": {"reason": "Bukan kami"},
    "tarik": {"reason": "Keliru"},
    "alihkan": {"forum_code": "TKD-6409", "reason": "Lebih tepat"},
}


def _each_undone(
    borders: Borders, disposition: Disposition, ask: Callable[[str], int], verbs: list[str]
) -> dict[str, int]:
    """Ask each verb of ``disposition`` in a savepoint rolled back after it, from the state that
    verb needs: each answer is about who asks, not about what an earlier request changed."""
    answers = {}
    for verb in verbs:
        with transaction.atomic():
            _ready_for(borders, disposition, verb)
            answers[verb] = ask(verb)
            transaction.set_rollback(True)
    return answers


def test_ppu_analyst_gets_404_acting_on_paser_dispositions_through_the_pages_and_the_api(
    borders: Borders,
) -> None:
    analyst = borders.people["ppu_analyst"]
    client, token = web(analyst), api(analyst)
    before = _snapshot(borders.paser_dispositions)
    wrong = {}
    for disposition in borders.paser_dispositions:

        def on_page(verb: str, pk: int = disposition.pk) -> int:
            return client.post(f"/tindak-lanjut/{pk}/aksi/", {"action": verb, **PAGE_WORK[verb]}).status_code

        def on_api(verb: str, pk: int = disposition.pk) -> int:
            return post_json(token, f"/api/v1/dispositions/{pk}/{verb}", API_WORK[verb]).status_code

        pages = _each_undone(borders, disposition, on_page, list(PAGE_WORK))
        calls = _each_undone(borders, disposition, on_api, list(API_WORK))
        wrong.update({("web", disposition.forum.code, v): c for v, c in pages.items() if c != 404})
        wrong.update({("api", disposition.forum.code, v): c for v, c in calls.items() if c != 404})
    assert wrong == {}
    assert _snapshot(borders.paser_dispositions) == before


def test_ppu_analyst_cannot_redirect_a_paser_rahasia_disposition_to_their_own_tkd(borders: Borders) -> None:
    """The heart of the bug: after the redirect the whole report opened (404 → 200)."""
    analyst = borders.people["ppu_analyst"]
    own_tkd = Forum.objects.get(code="TKD-6409")
    disposition = borders.disposition(borders.rahasia, "BNK-6401")
    with pytest.raises(PermissionError):
        response_actions.redirect_disposition(
            disposition=disposition, forum=own_tkd, reason="Milik kami", by=analyst
        )
    assert (
        web(analyst)
        .post(
            f"/tindak-lanjut/{disposition.pk}/aksi/",
            {"action": "alihkan", "forum": "TKD-6409", "reason": "Milik kami", "confirm": "on"},
        )
        .status_code
        == 404
    )
    assert (
        post_json(
            api(analyst),
            f"/api/v1/dispositions/{disposition.pk}/alihkan",
            {"forum_code": "TKD-6409", "reason": "Milik kami"},
        ).status_code
        == 404
    )
    assert not Disposition.objects.filter(report=borders.rahasia, forum=own_tkd).exists()
    assert web(analyst).get(f"/laporan/{borders.rahasia.reference}/").status_code == 404


def test_ppu_analyst_cannot_add_a_disposition_of_a_paser_report(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    with pytest.raises(PermissionError):
        response_actions.add_disposition(
            report=borders.rahasia,
            forum=Forum.objects.get(code="TKD-6409"),
            kind="tindakan",
            reason="Milik kami",
            by=analyst,
        )
    answer = post_json(
        api(analyst),
        "/api/v1/dispositions/",
        {"report_reference": borders.biasa.reference, "forum_code": "TKD-6409", "reason": "Milik kami"},
    )
    assert answer.status_code == 404
    assert not Disposition.objects.filter(
        forum__code="TKD-6409", report__in=[borders.rahasia, borders.biasa]
    ).exists()


# ---------------------------------------------------------------------------------------------
# Redirect and add-disposition accept only forums whose area covers the report's region
# ---------------------------------------------------------------------------------------------

OUTSIDE_FORUMS = ("TKD-6409", "BNK-6409", TANAH_GROGOT_FKDM)


@pytest.mark.parametrize("forum_code", OUTSIDE_FORUMS)
def test_paser_analyst_cannot_redirect_a_disposition_to_a_forum_that_does_not_cover_the_report(
    borders: Borders, forum_code: str
) -> None:
    analyst = borders.people["kesbangpol_analyst"]
    disposition = borders.disposition(borders.rahasia, "BNK-6401")
    with pytest.raises(ValidationError) as refused:
        response_actions.redirect_disposition(
            disposition=disposition, forum=Forum.objects.get(code=forum_code), reason="Coba", by=analyst
        )
    assert "forum" in refused.value.message_dict
    page = web(analyst).post(
        f"/tindak-lanjut/{disposition.pk}/aksi/",
        {"action": "alihkan", "forum": forum_code, "reason": "Coba", "confirm": "on"},
    )
    assert page.status_code == 422
    answer = post_json(
        api(analyst),
        f"/api/v1/dispositions/{disposition.pk}/alihkan",
        {"forum_code": forum_code, "reason": "Coba"},
    )
    assert answer.status_code == 422
    assert Disposition.objects.get(pk=disposition.pk).status != DispositionStatus.DITARIK
    assert not Disposition.objects.filter(report=borders.rahasia, forum__code=forum_code).exists()


@pytest.mark.parametrize("forum_code", OUTSIDE_FORUMS)
def test_paser_analyst_cannot_add_a_disposition_for_a_forum_that_does_not_cover_the_report(
    borders: Borders, forum_code: str
) -> None:
    analyst = borders.people["kesbangpol_analyst"]
    with pytest.raises(ValidationError) as refused:
        response_actions.add_disposition(
            report=borders.biasa,
            forum=Forum.objects.get(code=forum_code),
            kind="tindakan",
            reason="Coba",
            by=analyst,
        )
    assert "forum" in refused.value.message_dict
    answer = post_json(
        api(analyst),
        "/api/v1/dispositions/",
        {"report_reference": borders.biasa.reference, "forum_code": forum_code, "reason": "Coba"},
    )
    assert answer.status_code == 422
    assert not Disposition.objects.filter(report=borders.biasa, forum__code=forum_code).exists()


@pytest.mark.parametrize("forum_code", ["FKDM-640106", "FKPD-64", "TKD-64"])
def test_paser_analyst_may_redirect_to_a_forum_that_covers_the_report(
    borders: Borders, forum_code: str
) -> None:
    """The other side: Long Ikis's own FKDM, and the province's forums, cover a Long Ikis report."""
    analyst = borders.people["kesbangpol_analyst"]
    disposition = borders.disposition(borders.rahasia, "BNK-6401")
    new = response_actions.redirect_disposition(
        disposition=disposition, forum=Forum.objects.get(code=forum_code), reason="Lebih tepat", by=analyst
    )
    assert new.forum.code == forum_code


# ---------------------------------------------------------------------------------------------
# The report page and the informant
# ---------------------------------------------------------------------------------------------


def test_the_paser_rahasia_report_stays_404_for_ppu_analyst(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    assert not Report.objects.visible_to(analyst).filter(pk=borders.rahasia.pk).exists()
    page = web(analyst).get(f"/laporan/{borders.rahasia.reference}/")
    answer = api(analyst).get(f"/api/v1/reports/{borders.rahasia.reference}")
    assert (page.status_code, answer.status_code) == (404, 404)
    assert RAHASIA_TITLE not in page.content.decode() + answer.content.decode()


def test_ppu_handler_cannot_reveal_the_paser_informant(borders: Borders) -> None:
    handler = borders.people["ppu_analyst"]
    assert handler.is_informant_handler
    with pytest.raises(PermissionError):
        reveal_informant(report=borders.rahasia, by=handler)
    page = web(handler).post(f"/laporan/{borders.rahasia.reference}/informan/")
    answer = post_json(api(handler), f"/api/v1/reports/{borders.rahasia.reference}/informant/reveal")
    assert (page.status_code, answer.status_code) == (404, 404)
    for body in (page.content.decode(), answer.content.decode()):
        assert INFORMANT_NAME not in body and INFORMANT_CONTACT not in body
    assert "informant.revealed" not in _audited_by(handler)


# ---------------------------------------------------------------------------------------------
# Long Ikis's status
# ---------------------------------------------------------------------------------------------


def _regent_sees(borders: Borders) -> tuple[str, Any]:
    entry = region_statuses(borders.people["regent"])[LONG_IKIS]
    return entry.status, entry.override


def test_ppu_analyst_cannot_set_long_ikis_status_and_the_bupati_sees_no_change(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    before = _regent_sees(borders)
    with pytest.raises(PermissionError):
        set_status_override(
            region=Region.objects.get(code=LONG_IKIS),
            status="awas",
            reason="Bentrok",
            expires_at=_in_days(2),
            by=analyst,
        )
    page = web(analyst).post(
        f"/situasi/wilayah/{LONG_IKIS}/",
        {"status": "awas", "reason": "Bentrok", "expires_at": _in_days(2).strftime("%Y-%m-%dT%H:%M")},
    )
    answer = post_json(
        api(analyst),
        "/api/v1/situation/penetapan-status",
        {
            "region_code": LONG_IKIS,
            "status": "awas",
            "reason": "Bentrok",
            "expires_at": _in_days(2).isoformat(),
        },
    )
    assert page.status_code in (403, 404) and answer.status_code in (403, 404)
    assert not StatusOverride.objects.filter(region_id=LONG_IKIS).exists()
    assert _regent_sees(borders) == before
    assert before[1] is None


def test_ppu_analyst_cannot_lift_a_status_paser_set(borders: Borders) -> None:
    override = set_status_override(
        region=Region.objects.get(code=LONG_IKIS),
        status="siaga",
        reason="Rapat TKD Paser",
        expires_at=_in_days(2),
        by=borders.people["kesbangpol_analyst"],
    )
    analyst = borders.people["ppu_analyst"]
    with pytest.raises(PermissionError):
        lift_status_override(override=override, reason="Sudah aman", by=analyst)
    answer = post_json(
        api(analyst), f"/api/v1/situation/penetapan-status/{override.pk}/cabut", {"reason": "Sudah aman"}
    )
    assert answer.status_code in (403, 404)
    assert StatusOverride.objects.get(pk=override.pk).lifted_at is None
    assert _regent_sees(borders) == ("siaga", StatusOverride.objects.get(pk=override.pk))


# ---------------------------------------------------------------------------------------------
# Signals and alerts
# ---------------------------------------------------------------------------------------------


def test_ppu_analyst_does_not_see_or_review_a_paser_signal(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    signal = borders.paser_signal
    assert list(Signal.objects.visible_to(analyst).filter(region__code__startswith="64.01")) == []
    client = web(analyst)
    listing = client.get("/deteksi/").content.decode()
    assert signal.explanation not in listing
    assert borders.ppu_signal.explanation in listing  # their own regency's signal is there
    assert client.get(f"/deteksi/{signal.pk}/").status_code == 404
    assert client.post(f"/deteksi/{signal.pk}/tinjau/", {"decision": "konfirmasi"}).status_code == 404
    with pytest.raises(PermissionError):
        review_signal(signal=signal, by=analyst, decision="konfirmasi")
    assert Signal.objects.get(pk=signal.pk).status == signal.status


def test_ppu_analyst_cannot_publish_update_or_cancel_an_alert_for_a_paser_region(borders: Borders) -> None:
    analyst = borders.people["ppu_analyst"]
    data = AlertInput(headline="Blokade di Long Ikis", description="x", level="awas", expires_at=_in_days(1))
    with pytest.raises(PermissionError):
        issue_alert(by=analyst, region=Region.objects.get(code=LONG_IKIS), isu="agraria_korporasi", data=data)
    with pytest.raises(PermissionError):
        update_alert(alert=borders.alert, by=analyst, data=data)
    with pytest.raises(PermissionError):
        cancel_alert(alert=borders.alert, by=analyst, reason="Keliru")
    assert Alert.objects.count() == 1


def test_ppu_analyst_may_publish_an_alert_for_their_own_regency(borders: Borders) -> None:
    """The control of the refusal above: the right is there, only not across the border."""
    ppu_kecamatan = borders.ppu_signal.region
    alert = issue_alert(
        by=borders.people["ppu_analyst"],
        region=ppu_kecamatan,
        isu="agraria_korporasi",
        data=AlertInput(headline="Sengketa lahan", description="x", level="siaga", expires_at=_in_days(1)),
    )
    assert alert.pk is not None


# ---------------------------------------------------------------------------------------------
# The province's analyst: reads the roll-up, decides nothing in Paser
# ---------------------------------------------------------------------------------------------


def test_province_analyst_sees_paser_and_ppu_reports_and_dispositions(borders: Borders) -> None:
    analyst = borders.people["province_analyst"]
    seen = set(Report.objects.visible_to(analyst).values_list("pk", flat=True))
    assert {borders.rahasia.pk, borders.biasa.pk, borders.ppu.pk} <= seen
    all_dispositions = [*borders.paser_dispositions, *borders.dispositions(borders.ppu)]
    visible = set(Disposition.objects.visible_to(analyst).values_list("pk", flat=True))
    assert {d.pk for d in all_dispositions} <= visible
    client = web(analyst)
    assert client.get(f"/laporan/{borders.rahasia.reference}/").status_code == 200
    assert client.get(f"/laporan/{borders.ppu.reference}/").status_code == 200
    inbox = client.get("/tindak-lanjut/").content.decode()
    for report in (borders.rahasia, borders.biasa, borders.ppu):
        assert report.reference in inbox
    for disposition in all_dispositions:
        assert client.get(f"/tindak-lanjut/{disposition.pk}/").status_code == 200


def test_province_analyst_sees_paser_signals_but_cannot_review_them(borders: Borders) -> None:
    analyst = borders.people["province_analyst"]
    signal = borders.paser_signal
    assert Signal.objects.visible_to(analyst).filter(pk=signal.pk).exists()
    client = web(analyst)
    assert client.get(f"/deteksi/{signal.pk}/").status_code == 200
    with pytest.raises(PermissionError):
        review_signal(signal=signal, by=analyst, decision="konfirmasi")
    assert client.post(f"/deteksi/{signal.pk}/tinjau/", {"decision": "konfirmasi"}).status_code == 403
    assert Signal.objects.get(pk=signal.pk).status == signal.status


def test_province_analyst_cannot_verify_reject_share_or_level_a_paser_report(borders: Borders) -> None:
    analyst = borders.people["province_analyst"]
    fresh = submit(borders.people["desa_reporter"], title="Laporan baru di Long Ikis").report
    with pytest.raises(PermissionError):
        verify_report(report=fresh, by=analyst)
    with pytest.raises(PermissionError):
        reject_report(report=fresh, by=analyst, reason="Tidak terbukti")
    with pytest.raises(PermissionError):
        share_report(report=borders.biasa, forum=Forum.objects.get(code="FKPD-64"), by=analyst)
    incident = Incident.objects.get(reports=borders.biasa)
    with pytest.raises(PermissionError):
        set_incident_level(incident=incident, level="awas", by=analyst, reason="Provinsi menilai")
    token = api(analyst)
    assert post_json(token, f"/api/v1/reports/{fresh.reference}/verify").status_code == 403
    assert post_json(token, f"/api/v1/reports/{fresh.reference}/reject", {"reason": "x"}).status_code == 403
    assert web(analyst).post(f"/laporan/{fresh.reference}/triase/", {"action": "verify"}).status_code == 403
    assert Report.objects.get(pk=fresh.pk).status == fresh.status
    assert Incident.objects.get(pk=incident.pk).alert_level == incident.alert_level
    assert not Report.objects.filter(pk=borders.biasa.pk, shared_with__code="FKPD-64").exists()


def test_province_analyst_cannot_set_long_ikis_status(borders: Borders) -> None:
    analyst = borders.people["province_analyst"]
    before = _regent_sees(borders)
    with pytest.raises(PermissionError):
        set_status_override(
            region=Region.objects.get(code=LONG_IKIS),
            status="awas",
            reason="Provinsi",
            expires_at=_in_days(2),
            by=analyst,
        )
    answer = post_json(
        api(analyst),
        "/api/v1/situation/penetapan-status",
        {
            "region_code": LONG_IKIS,
            "status": "awas",
            "reason": "Provinsi",
            "expires_at": _in_days(2).isoformat(),
        },
    )
    page = web(analyst).post(
        f"/situasi/wilayah/{LONG_IKIS}/",
        {"status": "awas", "reason": "Provinsi", "expires_at": _in_days(2).strftime("%Y-%m-%dT%H:%M")},
    )
    assert (answer.status_code, page.status_code) == (403, 403)
    assert not StatusOverride.objects.filter(region_id=LONG_IKIS).exists()
    assert _regent_sees(borders) == before


def test_province_analyst_as_informant_handler_cannot_reveal_a_paser_informant(borders: Borders) -> None:
    """Even made a handler, the province's analyst is not of Paser's TKD, the deciding TKD."""
    handler = update_person(
        person=Person.objects.get(pk=borders.people["province_analyst"].pk),
        by=None,
        is_informant_handler=True,
    )
    with pytest.raises(PermissionError):
        reveal_informant(report=borders.rahasia, by=handler)
    page = web(handler).post(f"/laporan/{borders.rahasia.reference}/informan/")
    answer = post_json(api(handler), f"/api/v1/reports/{borders.rahasia.reference}/informant/reveal")
    assert (page.status_code, answer.status_code) == (403, 403)
    for body in (page.content.decode(), answer.content.decode()):
        assert INFORMANT_NAME not in body and INFORMANT_CONTACT not in body
    assert "informant.revealed" not in _audited_by(handler)


@pytest.mark.parametrize("work", DISPOSITION_WORK, ids=str)
def test_province_analyst_cannot_act_on_or_redirect_a_paser_disposition(borders: Borders, work: str) -> None:
    analyst = borders.people["province_analyst"]
    disposition = _ready_for(borders, _acting(borders, borders.rahasia), work)
    before = _snapshot(borders.paser_dispositions)
    with pytest.raises(PermissionError):
        DISPOSITION_WORK[work](disposition, analyst, Forum.objects.get(code="TKD-64"))
    assert _snapshot(borders.paser_dispositions) == before


def test_province_analyst_gets_403_acting_on_a_paser_disposition_through_the_pages_and_the_api(
    borders: Borders,
) -> None:
    """The province's analyst sees the disposition (the roll-up), so the refusal is a 403."""
    analyst = borders.people["province_analyst"]
    client, token = web(analyst), api(analyst)
    disposition = _acting(borders, borders.biasa)
    before = _snapshot(borders.paser_dispositions)
    pages = {**PAGE_WORK, "alihkan": {**PAGE_WORK["alihkan"], "forum": "TKD-64"}}
    calls = {**API_WORK, "alihkan": {**API_WORK["alihkan"], "forum_code": "TKD-64"}}
    answers = {
        ("web", verb): code
        for verb, code in _each_undone(
            borders,
            disposition,
            lambda verb: (
                client.post(
                    f"/tindak-lanjut/{disposition.pk}/aksi/", {"action": verb, **pages[verb]}
                ).status_code
            ),
            list(pages),
        ).items()
    }
    answers.update(
        {
            ("api", verb): code
            for verb, code in _each_undone(
                borders,
                disposition,
                lambda verb: (
                    post_json(token, f"/api/v1/dispositions/{disposition.pk}/{verb}", calls[verb]).status_code
                ),
                list(calls),
            ).items()
        }
    )
    assert {key: code for key, code in answers.items() if code != 403} == {}
    assert _snapshot(borders.paser_dispositions) == before


def test_province_analyst_cannot_publish_an_alert_for_a_paser_region(borders: Borders) -> None:
    analyst = borders.people["province_analyst"]
    data = AlertInput(headline="Blokade di Long Ikis", description="x", level="awas", expires_at=_in_days(1))
    with pytest.raises(PermissionError):
        issue_alert(by=analyst, region=Region.objects.get(code=LONG_IKIS), isu="agraria_korporasi", data=data)
    with pytest.raises(PermissionError):
        cancel_alert(alert=borders.alert, by=analyst, reason="Provinsi")
    assert Alert.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# The other way round: Paser sees nothing of PPU; PPU's other people nothing of Paser
# ---------------------------------------------------------------------------------------------


PASER_TKD = ("kesbangpol_analyst", "kesbangpol_admin", "tkd_head")


@pytest.mark.parametrize("persona", PASER_TKD)
def test_paser_tkd_sees_nothing_of_ppu(borders: Borders, persona: str) -> None:
    person = borders.people[persona]
    assert not Report.objects.visible_to(person).filter(pk=borders.ppu.pk).exists()
    assert not Incident.objects.visible_to(person).filter(reports=borders.ppu).exists()
    assert not Disposition.objects.visible_to(person).filter(report=borders.ppu).exists()
    assert not Signal.objects.visible_to(person).filter(pk=borders.ppu_signal.pk).exists()
    client = web(person)
    assert client.get(f"/laporan/{borders.ppu.reference}/").status_code == 404
    for disposition in borders.dispositions(borders.ppu):
        assert client.get(f"/tindak-lanjut/{disposition.pk}/").status_code == 404
    assert client.get(f"/deteksi/{borders.ppu_signal.pk}/").status_code == 404
    for path in ("/laporan/", "/tindak-lanjut/", "/laporan/insiden/", "/deteksi/", "/situasi/laporan/"):
        body = client.get(path).content.decode()
        assert borders.ppu.reference not in body and PPU_TITLE not in body, path
    token = api(person)
    for path in ("/api/v1/reports/", "/api/v1/dispositions/", "/api/v1/incidents/"):
        assert PPU_TITLE not in token.get(path).content.decode(), path


def test_paser_analyst_cannot_triage_or_set_a_status_in_ppu(borders: Borders) -> None:
    analyst = borders.people["kesbangpol_analyst"]
    ppu_disposition = borders.dispositions(borders.ppu)[0]
    with pytest.raises(PermissionError):
        reject_report(report=borders.ppu, by=analyst, reason="Bukan wilayah kami")
    with pytest.raises(PermissionError):
        response_actions.acknowledge(disposition=ppu_disposition, by=analyst)
    with pytest.raises(PermissionError):
        set_status_override(
            region=borders.ppu_signal.region, status="awas", reason="x", expires_at=_in_days(1), by=analyst
        )
    with pytest.raises(PermissionError):
        review_signal(signal=borders.ppu_signal, by=analyst, decision="konfirmasi")
    assert Report.objects.get(pk=borders.ppu.pk).status == borders.ppu.status


@pytest.mark.parametrize("persona", PPU_PERSONAS)
def test_ppu_people_see_no_paser_report_incident_or_disposition(borders: Borders, persona: str) -> None:
    person = borders.people[persona]
    paser = [borders.rahasia.pk, borders.biasa.pk]
    assert not Report.objects.visible_to(person).filter(pk__in=paser).exists()
    assert not Incident.objects.visible_to(person).filter(reports__pk__in=paser).exists()
    assert not Disposition.objects.visible_to(person).filter(report_id__in=paser).exists()
    client, token = web(person), api(person)
    for path in (
        "/laporan/",
        "/laporan/insiden/",
        "/tindak-lanjut/",
        "/situasi/laporan/",
        "/situasi/insiden/",
    ):
        body = client.get(path).content.decode()
        assert RAHASIA_TITLE not in body and BIASA_TITLE not in body, path
    for path in ("/api/v1/reports/", "/api/v1/incidents/", "/api/v1/dispositions/"):
        body = token.get(path).content.decode()
        assert RAHASIA_TITLE not in body and BIASA_TITLE not in body, path
    for report in (borders.rahasia, borders.biasa):
        assert client.get(f"/laporan/{report.reference}/").status_code == 404


@pytest.mark.parametrize("persona", ["governor", "province_fkdm_chair"])
def test_the_governor_and_the_province_fkdm_see_no_paser_report_until_one_is_shared_with_them(
    borders: Borders, persona: str
) -> None:
    """Neither is of a TKD: a Paser report reaches them when Paser's TKD shares it with their forum.

    (The province FKDM, like a kecamatan FKDM, also sees the ``biasa`` reports filed through the
    FKDMs below it, rule 4: the world's reports here are filed through a village FKDM, so this
    test files its report through the BNK, a forum of neither's kind.)"""
    person = borders.people[persona]
    forum_code = "FKPD-64" if persona == "governor" else "FKDM-64"
    report = submit(borders.people["bnk_officer"], title="Unjuk rasa sopir truk di Long Ikis").report
    verify_report(report=report, by=borders.people["kesbangpol_analyst"])
    assert not Report.objects.visible_to(person).filter(pk__in=[report.pk, borders.rahasia.pk]).exists()
    assert (
        not Disposition.objects.visible_to(person).filter(report__region__code__startswith="64.01.").exists()
    )
    assert web(person).get(f"/laporan/{report.reference}/").status_code == 404

    share_report(
        report=report, forum=Forum.objects.get(code=forum_code), by=borders.people["kesbangpol_analyst"]
    )
    assert Report.objects.visible_to(person).filter(pk=report.pk).exists()
    assert web(person).get(f"/laporan/{report.reference}/").status_code == 200
    assert not Report.objects.visible_to(person).filter(pk=borders.rahasia.pk).exists()


def test_nobody_outside_paser_and_the_province_analyst_was_given_a_paser_right(borders: Borders) -> None:
    """Sweep: every action of the world refused to every persona of the other jurisdictions."""
    refused: dict[str, list[str]] = {}
    for persona in OTHER_PERSONAS:
        person = borders.people[persona]
        checks = {
            "verify": lambda p: verify_report(report=submit(borders.people["desa_reporter"]).report, by=p),
            "reveal": lambda p: reveal_informant(report=borders.rahasia, by=p),
            "override": lambda p: set_status_override(
                region=Region.objects.get(code=LONG_IKIS),
                status="awas",
                reason="x",
                expires_at=_in_days(1),
                by=p,
            ),
            "acknowledge": lambda p: response_actions.acknowledge(
                disposition=borders.disposition(borders.biasa, "TKD-6401"), by=p
            ),
            "withdraw": lambda p: response_actions.withdraw_disposition(
                disposition=borders.disposition(borders.biasa, "TKD-6401"), reason="x", by=p
            ),
            "review": lambda p: review_signal(signal=borders.paser_signal, by=p, decision="konfirmasi"),
        }
        for name, check in checks.items():
            try:
                with transaction.atomic():
                    check(person)
            except PermissionError:
                continue
            except ValidationError as error:
                refused.setdefault(persona, []).append(f"{name}: ValidationError {error.messages}")
                continue
            refused.setdefault(persona, []).append(f"{name}: allowed")
    assert refused == {}
