"""Every change to dispositions and their follow-up goes through these functions.

Each validates, checks who may act, writes inside one transaction and records an audit entry
there. Who may act on a disposition: the current members of its forum, and the TKD's senior
roles (who also add, redirect and withdraw dispositions). Errors are ``ValidationError`` (in
Indonesian, per field) or ``PermissionError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import diff, record, snapshot
from waspada.forums.access import access_of, forget_access
from waspada.forums.models import Forum
from waspada.lib.uploads import UploadRejected, clean_upload, store_clean_file
from waspada.notify.events import Kind, disposition_event
from waspada.regions.models import Region
from waspada.regions.names import code_within
from waspada.reports.models import Report
from waspada.response import routing, states, texts
from waspada.response.calendar import add_working_days
from waspada.response.defaults import POLICIES
from waspada.response.models import (
    DayOff,
    DeadlinePolicy,
    DeadlineUnit,
    Disposition,
    DispositionKind,
    DispositionStatus,
    Escalation,
    FollowUp,
    FollowUpKind,
    FollowUpProof,
    Outcome,
)
from waspada.response.states import Action

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waspada.people.models import Person

# Used when Kesbangpol has deleted a level's policy: the suggested defaults of the issue.
FALLBACK = POLICIES


def _deadline(start: datetime, amount: int, unit: str, *, region: str | None) -> datetime:
    """``region``: the code of the place whose clock it is (the report's region), whose regency's
    and province's days off count."""
    if unit == DeadlineUnit.JAM:
        return start + timedelta(hours=amount)
    return add_working_days(start, amount, region=region)


def deadline_for(alert_level: str, stage: str, start: datetime, *, region: str | None = None) -> datetime:
    """When a disposition at ``alert_level`` must be acknowledged (stage "acknowledge") or closed,
    counting the days off of ``region`` (the report's region code; None: installation-wide only)."""
    ack, close = _policy(alert_level)
    amount, unit = ack if stage == "acknowledge" else close
    return _deadline(start, amount, unit, region=region)


def can_act(person: Person, disposition: Disposition) -> bool:
    """Whether ``person`` may do the forum's work on it (its members, the TKD's senior roles)."""
    return Action.TERIMA in states.allowed_for(person, disposition)


def _require_manages(person: Person, report: Report) -> None:
    """Dispositions of a report are managed by the senior roles of its deciding TKD (rule 9)."""
    if not access_of(person).decides(report.region_id):
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini wilayah ini yang dapat mengatur disposisi.")
        )


def _require_forum_covers(forum: Forum, report: Report) -> None:
    """A report goes only to a forum whose area covers its place: a forum of the report's own
    regency (its kecamatan or village, when the report lies there) or of its province."""
    if not code_within(report.region_id, forum.jurisdiction_id):
        raise ValidationError(
            {
                "forum": [
                    _("Wilayah kerja forum ini tidak mencakup lokasi laporan (%(region)s).")
                    % {"region": report.region.label}
                ]
            }
        )


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > 5000:
        raise ValidationError({field: [_("Terlalu panjang, maksimal 5.000 karakter.")]})
    return value


def _log(
    disposition: Disposition, kind: str, text: str, by: Person | None, *, shared: bool = False
) -> FollowUp:
    return FollowUp.objects.create(
        disposition=disposition, kind=kind, text=text, actor=by, shared_with_reporter=shared
    )


@dataclass(frozen=True)
class SystemText:
    """A text the system writes: a key of ``texts.MESSAGES`` and its parameters."""

    key: str
    params: dict[str, str]

    @property
    def indonesian(self) -> str:
        return texts.indonesian(self.key, self.params)


def _log_system(disposition: Disposition, kind: str, message: SystemText, by: Person | None) -> FollowUp:
    """A timeline entry the system wrote, rendered in each reader's language (response/texts.py)."""
    return FollowUp.objects.create(
        disposition=disposition,
        kind=kind,
        text=message.indonesian,
        message=message.key,
        params=message.params,
        actor=by,
    )


def _locked(disposition: Disposition) -> Disposition:
    return Disposition.objects.select_for_update().select_related("report", "forum").get(pk=disposition.pk)


def _create(
    report: Report,
    forum: Forum,
    kind: str,
    reason: str | SystemText,
    by: Person | None,
    escalated_from: Disposition | None = None,
) -> Disposition:
    """``reason``: what a person typed, or a ``SystemText`` (rendered in each reader's language)."""
    system = reason if isinstance(reason, SystemText) else None
    reason = system.indonesian if system is not None else str(reason)
    now = timezone.now()
    disposition = Disposition.objects.create(
        report=report,
        forum=forum,
        kind=kind,
        reason=reason,
        created_by=by,
        created_at=now,
        due_at=deadline_for(report.alert_level, "acknowledge", now, region=report.region_id)
        if kind == DispositionKind.TINDAKAN
        else None,
        escalated_from=escalated_from,
    )
    # The forum's members must be able to read what they are asked to act on.
    report.shared_with.add(forum)
    forget_access()  # the shared lists read earlier in this request are stale now
    if system is not None:
        _log_system(disposition, FollowUpKind.DIBUAT, system, by)
    else:
        _log(disposition, FollowUpKind.DIBUAT, reason, by)
    record(
        action="disposition.created",
        actor=by,
        obj=disposition,
        changes={"report": report.reference, "forum": forum.code, "kind": kind, "reason": reason},
    )
    disposition_event(  # sent after commit
        Kind.DISPOSITION_CREATED,
        disposition,
        reason,
        note_key=f"response.{system.key}" if system else "",
        note_params=system.params if system else None,
    )
    return disposition


def _policy(alert_level: str) -> tuple[tuple[int, str], tuple[int, str]]:
    policy = DeadlinePolicy.objects.filter(alert_level=alert_level).first()
    if policy is not None:
        return (policy.acknowledge_amount, policy.acknowledge_unit), (policy.close_amount, policy.close_unit)
    a, au, c, cu = FALLBACK[alert_level]
    return (a, au), (c, cu)


@dataclass(frozen=True)
class PlannedDisposition:
    """One disposition routing would make (or leave alone) if the report were verified now."""

    forum: Forum
    kind: str  # DispositionKind
    acknowledge_by: datetime | None  # "perlu tindakan": when the forum must acknowledge it
    close_within: tuple[int, str] | None  # and how long it then has to close it
    already: bool  # the forum already holds a live disposition of this report or incident

    @property
    def kind_label(self) -> str:
        return str(DispositionKind(self.kind).label)

    @property
    def close_within_text(self) -> str:
        if self.close_within is None:
            return ""
        amount, unit = self.close_within
        return f"{amount} {DeadlineUnit(unit).label}"


def preview_routing(
    *,
    report: Report,
    isu: str,
    alert_level: str,
    region: Region,
    incident_id: int | None = None,
    now: datetime | None = None,
) -> list[PlannedDisposition]:
    """What ``route_report`` would do for ``report`` verified with these values, writing nothing.

    The TKD's analysts see it on the verify form before confirming. Forums already holding a
    live disposition of the report (or of ``incident_id``, the incident it would join) are
    marked ``already``: routing gives them nothing new.
    """
    now = now or timezone.now()
    shadow = Report(isu=isu, alert_level=alert_level, region=region)
    same_event = Q(report_id=report.pk)
    if incident_id is not None:
        same_event |= Q(report__incident_id=incident_id)
    live = set(
        Disposition.objects.filter(same_event)
        .exclude(status=DispositionStatus.DITARIK)
        .values_list("forum_id", flat=True)
    )
    (ack_amount, ack_unit), close = _policy(alert_level)
    planned = [
        PlannedDisposition(
            forum=forum,
            kind=kind,
            acknowledge_by=_deadline(now, ack_amount, ack_unit, region=region.code)
            if kind == DispositionKind.TINDAKAN
            else None,
            close_within=close if kind == DispositionKind.TINDAKAN else None,
            already=forum.pk in live,
        )
        for forum, kind in routing.plan(shadow).items()
    ]
    # Those who must act first, then the copies; by name within each.
    return sorted(planned, key=lambda p: (p.kind != DispositionKind.TINDAKAN, p.forum.name))


def route_report(*, report: Report, by: Person | None) -> list[Disposition]:
    """Apply the routing rules: one disposition per forum not yet holding a live one.

    Called inside the transaction that verifies a report (or files an ``awas`` one); running it
    again adds only what is missing. A forum already acting on the same incident (through
    another report of it) gets nothing new: people work on one incident, not ten reports. A
    forum holding a "tembusan" that the rules now ask to act is upgraded to "perlu tindakan".
    """
    same_event = Q(report_id=report.pk)
    if report.incident_id is not None:
        same_event |= Q(report__incident_id=report.incident_id)
    live: dict[int, Disposition] = {}
    for disposition in Disposition.objects.filter(same_event).exclude(status=DispositionStatus.DITARIK):
        if disposition.forum_id not in live or disposition.kind == DispositionKind.TINDAKAN:
            live[disposition.forum_id] = disposition
    made: list[Disposition] = []
    for forum, kind in routing.plan(report).items():
        existing = live.get(forum.pk)
        if existing is None:
            made.append(_create(report, forum, kind, SystemText("auto_routed", {}), by))
        elif (
            existing.kind == DispositionKind.TEMBUSAN
            and kind == DispositionKind.TINDAKAN
            and existing.is_open
        ):
            existing.kind = DispositionKind.TINDAKAN
            existing.due_at = deadline_for(
                report.alert_level, "acknowledge", timezone.now(), region=report.region_id
            )
            existing.save(update_fields=["kind", "due_at"])
            _log_system(existing, FollowUpKind.DIBUAT, SystemText("upgraded", {}), by)
            record(
                action="disposition.upgraded",
                actor=by,
                obj=existing,
                changes={"kind": ["tembusan", "tindakan"]},
            )
    return made


def add_disposition(*, report: Report, forum: Forum, kind: str, reason: str, by: Person) -> Disposition:
    _require_manages(by, report)
    reason = _require_text(reason, "reason", _("Alasan disposisi wajib diisi."))
    if kind not in DispositionKind.values:
        raise ValidationError({"kind": [_("Sifat disposisi tidak dikenal.")]})
    if not forum.is_active:
        raise ValidationError({"forum": [_("Forum ini sudah tidak aktif.")]})
    _require_forum_covers(forum, report)
    try:
        with transaction.atomic():
            return _create(report, forum, kind, reason, by)
    except IntegrityError as exc:
        raise ValidationError({"forum": [_("Forum ini sudah menerima disposisi laporan ini.")]}) from exc


def withdraw_disposition(*, disposition: Disposition, reason: str, by: Person) -> Disposition:
    states.require_right(by, disposition, Action.TARIK)
    reason = _require_text(reason, "reason", _("Alasan penarikan wajib diisi."))
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.TARIK)
        before = disposition.status
        disposition.status = DispositionStatus.DITARIK
        disposition.closed_at = timezone.now()
        disposition.save(update_fields=["status", "closed_at"])
        _log(disposition, FollowUpKind.DITARIK, reason, by)
        record(
            action="disposition.withdrawn",
            actor=by,
            obj=disposition,
            changes={"status": [before, disposition.status], "reason": reason},
        )
    return disposition


def redirect_disposition(*, disposition: Disposition, forum: Forum, reason: str, by: Person) -> Disposition:
    """Withdraw ``disposition`` and give the same report to ``forum`` instead (same sifat)."""
    states.require_right(by, disposition, Action.ALIHKAN)
    reason = _require_text(reason, "reason", _("Alasan pengalihan wajib diisi."))
    if forum.pk == disposition.forum_id:
        raise ValidationError({"forum": [_("Pilih forum lain.")]})
    if not forum.is_active:
        raise ValidationError({"forum": [_("Forum ini sudah tidak aktif.")]})
    _require_forum_covers(forum, disposition.report)
    with transaction.atomic():
        old = _locked(disposition)
        states.require_state(old, Action.ALIHKAN)
        old.status = DispositionStatus.DITARIK
        old.closed_at = timezone.now()
        old.save(update_fields=["status", "closed_at"])
        _log_system(
            old, FollowUpKind.DIALIHKAN, SystemText("redirected", {"forum": forum.name, "reason": reason}), by
        )
        try:
            with transaction.atomic():
                new = _create(old.report, forum, old.kind, reason, by)
        except IntegrityError as exc:
            raise ValidationError({"forum": [_("Forum ini sudah menerima disposisi laporan ini.")]}) from exc
        record(
            action="disposition.redirected", actor=by, obj=old, changes={"to": forum.code, "reason": reason}
        )
    return new


def acknowledge(*, disposition: Disposition, by: Person) -> Disposition:
    """The forum has seen it: the clock moves from "acknowledge" to "close".

    Acknowledging an acknowledged disposition changes nothing (a second tap, a chat command
    repeated); any other state is refused.
    """
    states.require_right(by, disposition, Action.TERIMA)
    with transaction.atomic():
        disposition = _locked(disposition)
        if disposition.status in (DispositionStatus.DITERIMA, DispositionStatus.DITANGANI):
            return disposition
        states.require_state(disposition, Action.TERIMA)
        now = timezone.now()
        disposition.status = DispositionStatus.DITERIMA
        disposition.acknowledged_at = now
        if disposition.kind == DispositionKind.TINDAKAN:
            disposition.due_at = deadline_for(
                disposition.report.alert_level, "close", now, region=disposition.report.region_id
            )
        disposition.save(update_fields=["status", "acknowledged_at", "due_at"])
        _log(disposition, FollowUpKind.DITERIMA, "", by)
        record(
            action="disposition.acknowledged",
            actor=by,
            obj=disposition,
            changes={"status": ["menunggu", "diterima"]},
        )
        disposition_event(Kind.DISPOSITION_ACKNOWLEDGED, disposition)
    return disposition


@dataclass(frozen=True)
class Proof:
    name: str
    data: bytes


def add_action(
    *,
    disposition: Disposition,
    text: str,
    by: Person,
    proofs: list[Proof] | None = None,
    share_with_reporter: bool = False,
) -> FollowUp:
    """A step taken (mediation held, patrol sent…), with optional photos or PDFs as proof.

    ``share_with_reporter``: the forum chose to let the reporter read this step on her report's
    timeline (and be told of it); otherwise it stays inside the forum and the TKD.
    Only on an acknowledged disposition: a forum first says it has it (``acknowledge``).
    """
    states.require_right(by, disposition, Action.TINDAKAN)
    text = _require_text(text, "text", _("Uraian tindak lanjut wajib diisi."))
    cleaned = []
    for proof in proofs or []:
        try:
            cleaned.append((proof, clean_upload(proof.data)))
        except UploadRejected as exc:
            raise ValidationError({"proofs": [f"{proof.name[:80]}: {exc}"]}) from exc
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.TINDAKAN)
        before = disposition.status
        disposition.status = DispositionStatus.DITANGANI
        disposition.save(update_fields=["status"])
        entry = _log(disposition, FollowUpKind.TINDAKAN, text, by, shared=share_with_reporter)
        for proof, clean in cleaned:
            store_clean_file(FollowUpProof(follow_up=entry), clean, proof.name)
        record(
            action="disposition.action",
            actor=by,
            obj=disposition,
            changes={
                "status": [before, disposition.status],
                "proofs": len(cleaned),
                "shared_with_reporter": share_with_reporter,
            },
        )
        # The reporter hears of a step only when the forum shared it with her.
        disposition_event(Kind.DISPOSITION_ACTION, disposition, text, tell_reporter=share_with_reporter)
    return entry


def pause(*, disposition: Disposition, reason: str, by: Person) -> Disposition:
    """Stop the clock while waiting on another forum; the reason is shown with the pause."""
    states.require_right(by, disposition, Action.JEDA)
    reason = _require_text(reason, "reason", _("Alasan jeda wajib diisi, mis. menunggu hasil mediasi Timdu."))
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.JEDA)
        disposition.paused_at = timezone.now()
        disposition.pause_reason = reason
        disposition.save(update_fields=["paused_at", "pause_reason"])
        _log(disposition, FollowUpKind.JEDA, reason, by)
        record(action="disposition.paused", actor=by, obj=disposition, changes={"reason": reason})
    return disposition


def _resume_clock(disposition: Disposition, now: datetime) -> int:
    assert disposition.paused_at is not None
    seconds = max(0, int((now - disposition.paused_at).total_seconds()))
    if disposition.due_at is not None:
        disposition.due_at += timedelta(seconds=seconds)
    disposition.paused_seconds += seconds
    disposition.paused_at = None
    disposition.pause_reason = ""
    return seconds


def resume(*, disposition: Disposition, by: Person) -> Disposition:
    states.require_right(by, disposition, Action.LANJUT)
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.LANJUT)
        seconds = _resume_clock(disposition, timezone.now())
        disposition.save(update_fields=["paused_at", "pause_reason", "paused_seconds", "due_at"])
        _log(disposition, FollowUpKind.LANJUT, "", by)
        record(action="disposition.resumed", actor=by, obj=disposition, changes={"paused_seconds": seconds})
    return disposition


def close(*, disposition: Disposition, outcome: str, text: str, lessons: str = "", by: Person) -> Disposition:
    states.require_right(by, disposition, Action.SELESAI)
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": [_("Pilih hasil: tertangani, dialihkan, berulang, atau tidak terbukti.")]}
        )
    text = _require_text(text, "text", _("Ringkasan penyelesaian wajib diisi."))
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.SELESAI)
        now = timezone.now()
        if disposition.paused_at is not None:
            _resume_clock(disposition, now)
        if disposition.acknowledged_at is None:
            disposition.acknowledged_at = now
        before = disposition.status
        disposition.status = DispositionStatus.SELESAI
        disposition.outcome = outcome
        disposition.lessons = lessons.strip()
        disposition.closed_at = now
        disposition.save()
        _log(disposition, FollowUpKind.SELESAI, text, by)
        record(
            action="disposition.closed",
            actor=by,
            obj=disposition,
            changes={"status": [before, disposition.status], "outcome": outcome},
        )
        disposition_event(
            Kind.DISPOSITION_CLOSED,
            disposition,
            disposition.get_outcome_display(),
            note_key="outcome",
            note_params={"outcome": outcome},
        )
    return disposition


def reopen(*, disposition: Disposition, reason: str, by: Person) -> Disposition:
    states.require_right(by, disposition, Action.BUKA)
    reason = _require_text(reason, "reason", _("Alasan membuka kembali wajib diisi."))
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.BUKA)
        now = timezone.now()
        disposition.status = DispositionStatus.DITANGANI
        disposition.closed_at = None
        disposition.outcome = ""
        if disposition.kind == DispositionKind.TINDAKAN:
            disposition.due_at = deadline_for(
                disposition.report.alert_level, "close", now, region=disposition.report.region_id
            )
        disposition.save()
        _log(disposition, FollowUpKind.DIBUKA, reason, by)
        record(action="disposition.reopened", actor=by, obj=disposition, changes={"reason": reason})
    return disposition


def return_disposition(*, disposition: Disposition, reason: str, by: Person) -> Disposition:
    """The forum hands it back ("bukan kewenangan kami"); the TKD then redirects or withdraws it."""
    states.require_right(by, disposition, Action.KEMBALIKAN)
    reason = _require_text(reason, "reason", _("Alasan pengembalian wajib diisi."))
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.KEMBALIKAN)
        before = disposition.status
        disposition.status = DispositionStatus.DIKEMBALIKAN
        disposition.save(update_fields=["status"])
        _log(disposition, FollowUpKind.DIKEMBALIKAN, reason, by)
        record(
            action="disposition.returned",
            actor=by,
            obj=disposition,
            changes={"status": [before, disposition.status], "reason": reason},
        )
    return disposition


def assign_disposition(*, disposition: Disposition, member: Person, by: Person) -> Disposition:
    """The forum's chair names the member who carries this disposition; the member is notified.

    Refused to anyone but the chair (ketua) of the forum, and for a person without a current
    seat in that forum. Assigning again replaces the previous assignee.
    """
    states.require_right(by, disposition, Action.TUGASKAN)
    if not states.is_member(member, disposition) or not member.is_active:
        raise ValidationError({"member": [_("Pilih anggota forum penerima disposisi ini.")]})
    with transaction.atomic():
        disposition = _locked(disposition)
        states.require_state(disposition, Action.TUGASKAN)
        before = disposition.assigned_to_id
        disposition.assigned_to = member
        disposition.assigned_at = timezone.now()
        disposition.save(update_fields=["assigned_to", "assigned_at"])
        _log(disposition, FollowUpKind.DITUGASKAN, member.display_name, by)
        record(
            action="disposition.assigned",
            actor=by,
            obj=disposition,
            changes={"assigned_to": [before, member.pk]},
        )
        disposition_event(Kind.DISPOSITION_ASSIGNED, disposition, member.display_name, persons=[member])
    return disposition


def escalate(disposition_id: int, now: datetime | None = None) -> Escalation | None:
    """Escalate one overdue disposition one step, once; None if it is no longer overdue.

    The row is locked (skipped if another worker holds it), re-checked, and the ``Escalation``
    row (one per disposition, unique) is written in the same transaction as the new
    disposition: two workers, or a worker killed half-way and started again, cannot escalate
    the same step twice, and a step whose transaction did not commit is simply done again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = list(
            Disposition.objects.overdue(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("report", "report__region", "forum")
            .filter(pk=disposition_id)
        )
        if not locked:
            return None
        # Re-checked under the lock with a fresh statement: another worker may have escalated it
        # and committed between this statement's snapshot and the lock (its Escalation row does not
        # touch the disposition's row, so the lock alone does not re-evaluate "not yet escalated").
        if Escalation.objects.filter(disposition_id=disposition_id).exists():
            return None
        disposition = locked[0]
        report = disposition.report
        upward = routing.needs_province(report)  # the incident's mark: go on up to the province
        target = routing.next_forum(disposition.forum, report.region, needs_province=upward)
        live = {
            d.forum_id: d
            for d in Disposition.objects.filter(report_id=report.pk).exclude(status=DispositionStatus.DITARIK)
        }
        seen = {disposition.forum_id}
        # Climb past forums that already act on this report.
        while (
            target is not None
            and target.pk in live
            and live[target.pk].kind == DispositionKind.TINDAKAN
            and live[target.pk].is_open
            and target.pk not in seen
        ):
            seen.add(target.pk)
            target = routing.next_forum(target, report.region, needs_province=upward)
        due = timezone.localtime(disposition.due_at).strftime("%d-%m-%Y %H:%M")
        note = SystemText("past_due", {"due": due})
        to_disposition: Disposition | None = None
        if target is not None:
            existing = live.get(target.pk)
            reason = SystemText("escalation_reason", {"forum": disposition.forum.name})
            if existing is None:
                to_disposition = _create(
                    report, target, DispositionKind.TINDAKAN, reason, None, escalated_from=disposition
                )
            elif existing.is_open and existing.kind == DispositionKind.TEMBUSAN:
                existing.kind = DispositionKind.TINDAKAN
                existing.escalated_from = disposition
                existing.due_at = deadline_for(
                    report.alert_level, "acknowledge", now, region=report.region_id
                )
                existing.save(update_fields=["kind", "escalated_from", "due_at"])
                _log_system(existing, FollowUpKind.ESKALASI, reason, None)
                to_disposition = existing
        else:
            note = SystemText(routing.top_of_ladder_key(disposition.forum), {})
        escalation = Escalation.objects.create(
            disposition=disposition, to_disposition=to_disposition, note=note.indonesian, created_at=now
        )
        logged = SystemText("past_due_to", {"due": due, "to": target.name}) if target else note
        _log_system(disposition, FollowUpKind.ESKALASI, logged, None)
        record(
            action="disposition.escalated",
            actor=None,
            obj=disposition,
            changes={"to": target.code if target else None, "due_at": disposition.due_at},
            channel="system",
        )
        disposition_event(
            Kind.ESCALATED,
            to_disposition or disposition,
            note.indonesian,
            note_key=f"response.{note.key}",
            note_params=note.params,
        )
        if to_disposition is not None:
            # The late forum (members and chair) is told too, with a link to its own disposition
            # (it may not open the next forum's); the TKD already heard through the first event.
            disposition_event(
                Kind.ESCALATED,
                disposition,
                note.indonesian,
                note_key=f"response.{note.key}",
                note_params=note.params,
                tell_tkd=False,
            )
    return escalation


def escalate_overdue(now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: escalate every overdue disposition one step. Returns how many it escalated."""
    now = now or timezone.now()
    ids = list(Disposition.objects.overdue(now).order_by("due_at").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if escalate(pk, now) is not None)


# -- regional days off ---------------------------------------------------------------------------

DAY_OFF_FIELDS = ("date", "name", "region")


def manages_days_off(person: Person, region_code: str | None) -> bool:
    """Who adds, changes and deletes the days off of ``region_code`` (None: installation-wide).

    A superuser: any, installation-wide ones included. A Kesbangpol administrator: those of a
    regency or province their own TKD decides for (Paser's administrator, seated in Paser's
    TKD, Paser's; the province's administrator the province's), never installation-wide ones.
    """
    access = access_of(person)
    if not access.active:
        return False
    if access.superuser:
        return True
    if region_code is None or not person.is_kesbangpol_admin:
        return False
    return access.decides(region_code, senior=False)


def days_off_managed_q(person: Person, field: str = "region") -> Q:
    """``manages_days_off`` as a filter on the region foreign key ``field`` (``""``: on regions)."""
    access = access_of(person)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return Q()
    if not person.is_kesbangpol_admin:
        return Q(pk__in=[])
    return access.decides_q(field, senior=False)


def _require_manages_days_off(person: Person, region_code: str | None) -> None:
    if not manages_days_off(person, region_code):
        raise PermissionError(
            _("Hari libur seluruh instalasi hanya diatur superuser.")
            if region_code is None
            else _("Anda hanya dapat mengatur hari libur wilayah Tim Kewaspadaan Dini Anda.")
        )


def save_day_off(*, day_off: DayOff, by: Person, request: HttpRequest | None = None) -> DayOff:
    """Add or change a regional day off; both its stored region and its new one must be ``by``'s."""
    with transaction.atomic():
        before: dict[str, Any] = {}
        if day_off.pk is not None:
            stored = DayOff.objects.select_for_update().get(pk=day_off.pk)
            _require_manages_days_off(by, stored.region_id)
            before = snapshot(stored, DAY_OFF_FIELDS)
        _require_manages_days_off(by, day_off.region_id)
        day_off.full_clean()
        day_off.save()
        after = snapshot(day_off, DAY_OFF_FIELDS)
        record(
            action="dayoff.changed" if before else "dayoff.created",
            actor=by,
            obj=day_off,
            changes=diff(before, after) if before else after,
            request=request,
        )
    return day_off


def delete_day_off(*, day_off: DayOff, by: Person, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        stored = DayOff.objects.select_for_update().get(pk=day_off.pk)
        _require_manages_days_off(by, stored.region_id)
        record(
            action="dayoff.deleted",
            actor=by,
            obj=stored,
            changes=snapshot(stored, DAY_OFF_FIELDS),
            request=request,
        )
        stored.delete()
