"""The Lapsit's flow: the application drafts it, the analyst writes analisa, prakiraan and saran
tindak, the head of Kesbangpol (the ketua of Paser's TKD) approves it, and only then does anyone
receive a copy: the scheduled recipients and whoever asked for one while it was a draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.briefs.actions import (
    LapsitRefused,
    NotADraft,
    approve_lapsit,
    brief_path,
    draft_lapsit,
    edit_lapsit,
    run_schedule,
    scheduled_recipients,
)
from waspada.briefs.gatra import ISU_GATRA, LAPSIT_GATRA
from waspada.briefs.models import Brief, Lapsit, LapsitStatus
from waspada.briefs.periods import BriefKind, Period
from waspada.briefs.tests.helpers import at, last_week, load_boundaries, pdf_text
from waspada.detection.models import Signal
from waspada.notify.models import Event
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.reports.taxonomy import Isu
from waspada.reports.tests.factories import TANAH_GROGOT, submit

pytestmark = pytest.mark.django_db

ANALISA = "Sengketa lahan di Long Ikis meningkat karena ganti rugi belum dibayar."
PRAKIRAAN = "Aksi warga diperkirakan berlanjut pekan depan."
SARAN = "Bupati mengundang perusahaan dan warga ke mediasi."
JARGON = ("ambang", "EARS", "Farrington", "CUSUM", "Kulldorff", "ACLED", "nilai p")


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def _week_with_reports(personas) -> Period:
    load_boundaries()
    week = last_week()
    for day, isu, level in ((0, "agraria_korporasi", "siaga"), (2, "narkoba", "waspada")):
        when = at(week.start + timedelta(days=day))
        report = submit(
            personas.desa_reporter,
            isu=isu,
            alert_level=level,
            reported_at=when,
            occurred_at=when,
            region_code=TANAH_GROGOT if isu == "narkoba" else "64.01.06.2006",
        ).report
        verify_report(report=report, by=personas.kesbangpol_analyst)
    Signal.objects.create(
        region=Region.objects.get(code=TANAH_GROGOT),
        isu="narkoba",
        period_start=week.start,
        period_end=week.end,
        detector="ears_c2",
        observed=4,
        expected=0.6,
        threshold=1.8,
        p_value=0.004,
        explanation="Laporan narkoba di Kec. Tanah Grogot minggu ini 4, biasanya 1; di atas ambang 1,8.",
    )
    return week


def test_each_isu_sits_under_exactly_one_of_the_five_gatra():
    assert set(ISU_GATRA) == set(Isu.values)
    assert set(ISU_GATRA.values()) == set(LAPSIT_GATRA)


def test_nobody_receives_a_draft_and_everyone_gets_theirs_once_the_head_approves(
    personas, ppu_analyst, province_analyst
):
    week = _week_with_reports(personas)
    analyst, head, regent, fkub = (
        personas.kesbangpol_analyst,
        personas.tkd_head,
        personas.regent,
        personas.fkub_officer,
    )
    # the worker drafts each kind's Lapsit at its hour, and sends nothing
    assert run_schedule(now=at(week.end + timedelta(days=1), 8)) == []
    lapsit = Lapsit.objects.get(kind=BriefKind.MINGGUAN, period_start=week.start)
    assert lapsit.status == LapsitStatus.KONSEP and lapsit.nomor == ""
    assert Lapsit.objects.count() == len(BriefKind.values)
    assert not Brief.objects.exists() and not Event.objects.filter(kind="brief.ready").exists()

    # a manual copy waits too: the regent and the FKUB member are told it comes after approval
    for person in (regent, fkub):
        response = _client(person).post("/ringkasan/", {"kind": "mingguan", "start": week.start.isoformat()})
        assert response.status_code == 302
        assert not Brief.objects.filter(recipient=person).exists()
    assert set(lapsit.waiting.all()) == {regent, fkub}
    page = _client(fkub).get("/ringkasan/").content.decode()
    assert "salinan Anda dibuat setelah disetujui" in " ".join(page.split())
    # the analyst's own copy is a working copy, KONSEP on every page
    _client(analyst).post("/ringkasan/", {"kind": "mingguan", "start": week.start.isoformat()})
    working = Brief.objects.get(recipient=analyst)
    assert working.konsep
    pages = pdf_text(brief_path(working).read_bytes(), layout=False).split("\f")
    assert all("KONSEP · belum disetujui" in page for page in pages if page.strip())

    # only the drafters open the draft; only the ketua of Paser's TKD approves it
    for outsider in (regent, fkub, ppu_analyst, province_analyst):
        assert _client(outsider).get(f"/ringkasan/lapsit/{lapsit.pk}/").status_code == 403
        assert _client(outsider).get(f"/ringkasan/lapsit/{lapsit.pk}/konsep.pdf").status_code == 403
    for refused in (analyst, personas.kesbangpol_admin, regent, ppu_analyst, province_analyst):
        assert _client(refused).post(f"/ringkasan/lapsit/{lapsit.pk}/setujui/").status_code == 403
        with pytest.raises(LapsitRefused):
            approve_lapsit(lapsit=lapsit, by=refused)
    refusals = AuditEntry.objects.filter(action="lapsit.approval_refused", object_id=str(lapsit.pk))
    assert refusals.filter(actor=analyst).count() == 2  # through the page and the action
    draft_pdf = _client(head).get(f"/ringkasan/lapsit/{lapsit.pk}/konsep.pdf")
    assert draft_pdf.status_code == 200 and "KONSEP · belum disetujui" in pdf_text(draft_pdf.content)
    # not before the analyst has written
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/setujui/").status_code == 400
    lapsit.refresh_from_db()
    assert lapsit.is_draft and not AuditEntry.objects.filter(action="lapsit.approved").exists()

    # the analyst writes; an FKUB member may not
    assert (
        _client(fkub)
        .post(f"/ringkasan/lapsit/{lapsit.pk}/", {"analisa": "x", "prakiraan": "y", "saran": "z"})
        .status_code
        == 403
    )
    response = _client(analyst).post(
        f"/ringkasan/lapsit/{lapsit.pk}/", {"analisa": ANALISA, "prakiraan": PRAKIRAAN, "saran": SARAN}
    )
    assert response.status_code == 302
    edited = AuditEntry.objects.get(action="lapsit.edited")
    assert edited.actor == analyst and edited.changes["analisa"] == ANALISA
    too_long = _client(analyst).post(
        f"/ringkasan/lapsit/{lapsit.pk}/", {"analisa": "a" * 4001, "prakiraan": "", "saran": ""}
    )
    assert too_long.status_code == 400 and "Paling banyak 4000 karakter" in too_long.content.decode()

    # approved: numbered, audited, and sent to each recipient and each who asked
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/setujui/").status_code == 302
    lapsit.refresh_from_db()
    year = lapsit.approved_at.year
    assert lapsit.status == LapsitStatus.DIRILIS and lapsit.nomor == f"300.1/1/Kesbangpol/{year}"
    approved = AuditEntry.objects.get(action="lapsit.approved")
    assert approved.actor == head and approved.changes["nomor"] == lapsit.nomor
    expected = {p.pk for p in scheduled_recipients()} | {fkub.pk}
    copies = Brief.objects.filter(lapsit=lapsit, konsep=False)
    assert set(copies.values_list("recipient_id", flat=True)) == expected
    assert Event.objects.filter(kind="brief.ready").count() == len(expected) + 1  # + the analyst's KONSEP

    regent_copy = pdf_text(brief_path(copies.get(recipient=regent)).read_bytes())
    flat = " ".join(regent_copy.split())
    for part in (
        lapsit.nomor,
        ANALISA,
        PRAKIRAAN,
        SARAN,
        "Kepada Yth.",
        "Tembusan:",
        "FAKTA-FAKTA MENURUT GATRA",
    ):
        assert part in flat, part
    assert "KONSEP" not in "".join(regent_copy.split()) and "LAMPIRAN" not in regent_copy
    for word in JARGON:
        assert word.lower() not in regent_copy.lower(), word
    analyst_copy = pdf_text(brief_path(copies.get(recipient=analyst)).read_bytes())
    # one picture for all: the Bupati's copy counts what the TKD counts, and names only what he may open
    assert "tercatat 2 laporan yang diterima" in flat
    assert "tercatat 2 laporan yang diterima" in " ".join(analyst_copy.split())
    assert "2 insiden menonjol" in flat and "2 insiden menonjol" in " ".join(analyst_copy.split())
    hidden = [
        r for r in Report.objects.all() if not Report.objects.visible_to(regent).filter(pk=r.pk).exists()
    ]
    assert hidden, "the world needs a report the Bupati may not open"
    for report in hidden:
        assert report.title not in flat and report.reference not in flat
    assert "tidak dapat Anda buka" in flat
    assert "LAMPIRAN" in analyst_copy and "ambang 1,8" in analyst_copy and "EARS C2" in analyst_copy
    # rule 13: the one picture is the TKD's and the Forkopimda's; the FKUB member who asked for a
    # copy reads figures counted from what he may open
    fkub_copy = " ".join(pdf_text(brief_path(copies.get(recipient=fkub)).read_bytes()).split())
    assert "tercatat 2 laporan yang diterima" not in fkub_copy
    assert Report.objects.visible_to(fkub).count() < 2
    # the signature never stands alone: the closing words and the tembusan share its page
    last = [page for page in regent_copy.split("\f") if "Kepala Badan Kesatuan Bangsa" in page][-1]
    assert "PENUTUP" in last and "Tembusan:" in last

    # once approved, the text stays as approved
    response = _client(analyst).post(
        f"/ringkasan/lapsit/{lapsit.pk}/", {"analisa": "diubah", "prakiraan": "", "saran": ""}
    )
    assert response.status_code == 409
    with pytest.raises(NotADraft):
        edit_lapsit(lapsit=lapsit, by=analyst, analisa="diubah", prakiraan="", saran="")
    lapsit.refresh_from_db()
    assert lapsit.analisa == ANALISA
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/setujui/").status_code == 409
    # the next worker run sends nothing again; the regent downloads his, nobody else's
    assert run_schedule(now=at(week.end + timedelta(days=1), 9)) == []
    mine = copies.get(recipient=regent)
    assert _client(regent).get(f"/ringkasan/{mine.pk}/unduh/").status_code == 200
    assert _client(fkub).get(f"/ringkasan/{mine.pk}/unduh/").status_code == 404
    assert AuditEntry.objects.filter(action="lapsit.released").count() == 1


def test_the_nomor_counts_up_through_the_year(personas):
    load_boundaries()
    week = last_week()
    numbers = []
    for period in (week, Period(week.kind, week.start - timedelta(days=7), week.end - timedelta(days=7))):
        lapsit = draft_lapsit(period=period, by=None)
        edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="a", prakiraan="b", saran="c")
        numbers.append(approve_lapsit(lapsit=lapsit, by=personas.tkd_head).sequence)
    assert numbers == [1, 2]


def test_only_the_ketua_of_the_tkd_deciding_the_regency_approves(personas, ppu_analyst, province_analyst):
    """A ketua seat is not enough: it must be in the TKD that decides Paser. The province's TKD
    and PPU's do not (Paser has its own), so their ketua is refused; Paser's ketua approves."""
    from waspada.briefs.approval import may_approve, may_draft
    from waspada.forums.actions import change_role
    from waspada.forums.models import Membership

    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    for person in (ppu_analyst, province_analyst):
        seat = Membership.objects.current().get(person=person, forum__kind="TKD")
        change_role(membership=seat, role="ketua", by=None)
        assert not may_approve(person, lapsit.regency) and not may_draft(person, lapsit.regency)
    assert may_approve(personas.tkd_head, lapsit.regency)
    assert not may_approve(personas.kesbangpol_analyst, lapsit.regency)
    assert may_draft(personas.kesbangpol_analyst, lapsit.regency)
    assert not may_draft(personas.regent, lapsit.regency) and not may_approve(personas.regent, lapsit.regency)


def test_a_scheduled_copy_from_before_the_lapsit_does_not_keep_the_lapsit_from_its_recipient(personas):
    from waspada.briefs.actions import create_situation_brief

    load_boundaries()
    week = last_week()
    old = create_situation_brief(period=week, recipient=personas.regent, by=None, scheduled=True)
    lapsit = draft_lapsit(period=week, by=None)
    edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="a", prakiraan="b", saran="c")
    lapsit = approve_lapsit(lapsit=lapsit, by=personas.tkd_head)
    assert lapsit.nomor
    mine = Brief.objects.get(lapsit=lapsit, recipient=personas.regent)
    assert (
        mine.pk != old.pk and not mine.scheduled and lapsit.nomor in pdf_text(brief_path(mine).read_bytes())
    )
