"""A report from submission through routing, acknowledgement, follow-up, a pause and closure."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from waspada.audit.models import AuditEntry
from waspada.reports.tests.factories import jpeg_with_gps
from waspada.response import actions
from waspada.response.actions import Proof
from waspada.response.models import FollowUpProof
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def test_the_fkub_acknowledges_acts_pauses_and_closes_a_religious_tension_report(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="waspada")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    acknowledge_by = fkub.due_at

    fkub = actions.acknowledge(disposition=fkub, by=fkub_officer)
    assert fkub.status == "diterima" and fkub.acknowledged_at is not None
    assert fkub.due_at > acknowledge_by  # now the deadline to close (10 working days)

    entry = actions.add_action(
        disposition=fkub,
        text="Dialog dengan panitia pembangunan dan warga di kantor desa.",
        by=fkub_officer,
        proofs=[Proof(name="dialog.jpg", data=jpeg_with_gps())],
    )
    fkub.refresh_from_db()
    assert fkub.status == "ditangani"
    proof = FollowUpProof.objects.get(follow_up=entry)
    stored = Image.open(proof.file.open("rb"))
    assert not stored.getexif().get(0x8825)  # GPS stripped

    due_before_pause = fkub.due_at
    fkub = actions.pause(disposition=fkub, reason="Menunggu hasil mediasi Timdu PKS", by=fkub_officer)
    assert fkub.pause_reason == "Menunggu hasil mediasi Timdu PKS"
    fkub.paused_at = timezone.now() - timedelta(hours=5)  # five hours of waiting
    fkub.save(update_fields=["paused_at"])
    fkub = actions.resume(disposition=fkub, by=fkub_officer)
    assert fkub.paused_seconds >= 5 * 3600
    assert fkub.due_at - due_before_pause >= timedelta(hours=5)

    fkub = actions.close(
        disposition=fkub,
        outcome="tertangani",
        text="Kesepakatan tertulis: pembangunan ditunda sampai izin lengkap.",
        lessons="Libatkan FKUB sejak awal pengurusan izin.",
        by=fkub_officer,
    )
    assert fkub.status == "selesai" and fkub.outcome == "tertangani" and fkub.closed_at is not None
    kinds = list(fkub.timeline.values_list("kind", flat=True))
    assert kinds == ["dibuat", "diterima", "tindakan", "jeda", "lanjut", "selesai"]
    actions_recorded = set(AuditEntry.objects.filter(object_id=str(fkub.pk)).values_list("action", flat=True))
    assert {"disposition.acknowledged", "disposition.closed", "disposition.paused"} <= actions_recorded


def test_a_closed_disposition_reopens_only_with_a_reason(
    desa_reporter, kesbangpol_analyst, bnk_officer
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    bnk = report.dispositions.get(forum__code="BNK-6401")
    bnk = actions.acknowledge(disposition=bnk, by=bnk_officer)
    bnk = actions.close(
        disposition=bnk, outcome="tidak_terbukti", text="Tidak ditemukan transaksi.", by=bnk_officer
    )
    with pytest.raises(ValidationError) as error:
        actions.reopen(disposition=bnk, reason=" ", by=bnk_officer)
    assert error.value.message_dict == {"reason": ["Alasan membuka kembali wajib diisi."]}
    bnk = actions.reopen(disposition=bnk, reason="Warga melapor transaksi lagi.", by=bnk_officer)
    assert bnk.status == "ditangani" and bnk.closed_at is None and bnk.outcome == ""


def test_only_the_forum_and_the_tkd_may_act(desa_reporter, kesbangpol_analyst, bnk_officer, outsider) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    for stranger in (bnk_officer, outsider, desa_reporter):
        with pytest.raises(PermissionError):
            actions.acknowledge(disposition=fkub, by=stranger)
    assert actions.acknowledge(disposition=fkub, by=kesbangpol_analyst).status == "diterima"


def test_closing_needs_a_known_outcome_and_a_summary(desa_reporter, kesbangpol_analyst, fkub_officer) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    with pytest.raises(ValidationError) as error:
        actions.close(disposition=fkub, outcome="beres", text="x", by=fkub_officer)
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.close(disposition=fkub, outcome="tertangani", text="", by=fkub_officer)
    assert error.value.message_dict == {"text": ["Ringkasan penyelesaian wajib diisi."]}


def test_a_disguised_file_is_refused_as_proof(desa_reporter, kesbangpol_analyst, fkub_officer) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    with pytest.raises(ValidationError) as error:
        actions.add_action(
            disposition=fkub,
            text="Bukti",
            by=fkub_officer,
            proofs=[Proof(name="foto.jpg", data=b"MZ\x90\x00" * 50)],
        )
    assert "proofs" in error.value.message_dict
    assert not FollowUpProof.objects.exists()
    fkub.refresh_from_db()
    assert fkub.status == "menunggu"


def test_analysts_add_redirect_and_withdraw_with_a_reason(
    desa_reporter, kesbangpol_analyst, fkub_officer, paser
) -> None:
    from waspada.forums.models import Forum

    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    with pytest.raises(PermissionError):
        actions.redirect_disposition(
            disposition=fkub, forum=Forum.objects.get(code="FPK-6401"), reason="x", by=fkub_officer
        )
    fpk = actions.redirect_disposition(
        disposition=fkub,
        forum=Forum.objects.get(code="FPK-6401"),
        reason="Ternyata gesekan antaretnis, bukan agama.",
        by=kesbangpol_analyst,
    )
    fkub.refresh_from_db()
    assert fkub.status == "ditarik" and fpk.kind == "tindakan" and fpk.forum.code == "FPK-6401"
    bnk = actions.add_disposition(
        report=report,
        forum=Forum.objects.get(code="BNK-6401"),
        kind="tembusan",
        reason="Ada dugaan minuman keras dan narkoba.",
        by=kesbangpol_analyst,
    )
    with pytest.raises(ValidationError):
        actions.add_disposition(
            report=report,
            forum=Forum.objects.get(code="BNK-6401"),
            kind="tembusan",
            reason="lagi",
            by=kesbangpol_analyst,
        )
    actions.withdraw_disposition(disposition=bnk, reason="Tidak terkait.", by=kesbangpol_analyst)
    bnk.refresh_from_db()
    assert bnk.status == "ditarik"


def test_a_forum_can_hand_a_disposition_back(desa_reporter, kesbangpol_analyst, fkub_officer) -> None:
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    fkub = actions.return_disposition(disposition=fkub, reason="Bukan kewenangan FKUB.", by=fkub_officer)
    assert fkub.status == "dikembalikan" and not fkub.is_open
