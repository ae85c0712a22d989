"""Every write of the briefs app: a situation report rendered for one recipient and stored.

``create_situation_brief`` renders the PDF through the recipient's scoped querysets (outside the
transaction: rendering reads only), writes the file under ``MEDIA_ROOT/ringkasan/``, then in one
transaction stores the ``Brief`` row, records ``brief.created`` in the audit trail and emits
``brief.ready`` to the recipient (sent after commit). A scheduled copy is unique per kind, period
and recipient: a second run of the schedule returns the copy already made.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.briefs.approval import approvers, may_approve, may_draft
from waspada.briefs.models import ASSESSMENT_MAX, LAPSIT_TEXT_MAX, Brief, Lapsit, LapsitStatus, Release
from waspada.briefs.pdf import local
from waspada.briefs.periods import Period
from waspada.briefs.province import province_draft, render_province
from waspada.briefs.release import (
    province_codes,
    province_forkopimda,
    province_tkd_seniors,
    release_content,
)
from waspada.briefs.render import render_situation
from waspada.briefs.situation import gather, home_region
from waspada.core.dbrouter import replica_reads
from waspada.forums.access import access_of
from waspada.forums.models import ForumKind, Membership
from waspada.notify.events import Kind, emit
from waspada.notify.texts import indonesian_body, indonesian_title
from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import AlertLevel
from waspada.reports.visibility import sees_whole_picture

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waspada.people.models import Person

logger = logging.getLogger(__name__)

# Who receives the scheduled situation reports: every current member of the home region's TKD
# (Kesbangpol's early-warning team) and FKPD (Forkopimda). docs/briefs.md says the same.
SCHEDULED_FORUM_KINDS = (ForumKind.TKD, ForumKind.FKPD)


def briefs_dir() -> Path:
    """``MEDIA_ROOT/ringkasan`` (by default ``WASPADA_DATA_DIR/media/ringkasan``): beside the
    attachments, so ``waspada backup`` carries the copies and nginx never serves them."""
    return Path(settings.MEDIA_ROOT) / "ringkasan"


def brief_path(brief: Brief) -> Path:
    return briefs_dir() / brief.file


def scheduled_recipients() -> list[Person]:
    from waspada.people.models import Person

    seats = Membership.objects.current().filter(
        forum__kind__in=SCHEDULED_FORUM_KINDS,
        forum__is_active=True,
        forum__jurisdiction_id=settings.WASPADA_HOME_REGION,
        person__is_active=True,
    )
    return list(Person.objects.filter(pk__in=seats.values("person_id")).order_by("pk"))


def _write(content: bytes, now: datetime) -> tuple[str, str]:
    relative = f"{now:%Y/%m}/{uuid.uuid4().hex}.pdf"
    target = briefs_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(target)  # a reader never sees half a file
    return relative, hashlib.sha256(content).hexdigest()


def _store(
    period: Period,
    recipient: Person,
    content: bytes,
    relative: str,
    checksum: str,
    *,
    actor: Person | None,
    fields: dict[str, Any],
    changes: dict[str, Any],
    channel: str = Channel.WEB,
    request: HttpRequest | None = None,
) -> Brief:
    """The Brief row of a PDF ``_write`` stored, and its ``brief.created`` audit entry; called
    inside the caller's transaction (``fields`` and ``changes``: what this kind of copy adds)."""
    brief = Brief.objects.create(
        kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        recipient=recipient,
        file=relative,
        size=len(content),
        checksum=checksum,
        **fields,
    )
    record(
        action="brief.created",
        actor=actor,
        obj=brief,
        changes={
            "kind": period.kind,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "recipient": recipient.pk,
            **changes,
            "sha256": checksum,
        },
        channel=channel,
        request=request,
    )
    return brief


def create_situation_brief(
    *,
    period: Period,
    recipient: Person,
    by: Person | None,
    scheduled: bool = False,
    channel: str = Channel.WEB,
    now: datetime | None = None,
    lapsit: Lapsit | None = None,
    konsep: bool = False,
) -> Brief:
    """Render ``period``'s situation report for ``recipient``, store it and tell them.

    ``lapsit``: the Lapsit whose nomor and written parts the copy carries (its figures counted
    through its approver's view, ``situation.gather(counted_by=...)``); ``konsep``: a working
    copy of a draft for one of its drafters, marked KONSEP (nobody else is ever given a draft:
    ``request_copy``, ``release_lapsit``). The technical annex is in the copies of the TKD's
    senior roles only.

    Preconditions: ``period`` is valid (``forms.BriefForm`` or the schedule made it). ``by`` is
    None for the schedule. Returns the stored brief; for a scheduled copy that exists already,
    that copy.
    """
    now = now or timezone.now()
    if scheduled:
        existing = Brief.objects.filter(
            kind=period.kind, period_start=period.start, recipient=recipient, scheduled=True
        ).first()
        if existing is not None:
            return existing
    annex = access_of(recipient).is_tkd_senior
    # An approved Lapsit holds one picture for its TKD and Forkopimda recipients (rule 13 of
    # reports/visibility.py): the figures as its approver (the ketua of the regency's TKD) counts
    # them; each reader is named only what they may open. Anyone else who asked for a copy reads
    # figures counted from what they may open.
    picture = None
    if lapsit is not None and lapsit.approved_by_id and sees_whole_picture(recipient, lapsit.regency_id):
        picture = lapsit.approved_by
    # The figures may come from the read replica (core/dbrouter.py), at most its lag budget behind;
    # inside a transaction, or a request that writes, they come from the primary.
    with override("id"), replica_reads():  # gather() words reasons (region status) in the PDF's language
        data = gather(recipient, period, now=now, counted_by=picture)
        content = render_situation(data, lapsit=lapsit, konsep=konsep, annex=annex)
    relative, checksum = _write(content, now)
    try:
        with transaction.atomic():
            brief = _store(
                period,
                recipient,
                content,
                relative,
                checksum,
                actor=by,
                fields={"scheduled": scheduled, "lapsit": lapsit, "konsep": konsep},
                changes={
                    "scheduled": scheduled,
                    "lapsit": lapsit.pk if lapsit is not None else None,
                    "konsep": konsep,
                },
                channel=channel,
            )
            # Stored as kind and parameters, read in each recipient's language (notify/texts.py).
            params = {
                "brief_kind": brief.kind,
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "body_key": "brief_ready",
            }
            emit(
                "brief.ready",
                level=AlertLevel.NORMAL,
                title=indonesian_title("brief.ready", params),
                body=indonesian_body(params),
                params=params,
                persons=[recipient],
                url=reverse("briefs:download", args=[brief.pk]),
                dedupe_key=f"brief.ready:{brief.pk}",
            )
    except IntegrityError:
        # Another worker stored the same scheduled copy first: keep theirs, drop our file.
        (briefs_dir() / relative).unlink(missing_ok=True)
        if not scheduled:
            raise
        return Brief.objects.get(
            kind=period.kind, period_start=period.start, recipient=recipient, scheduled=True
        )
    return brief


def run_schedule(*, now: datetime | None = None, hour: int | None = None) -> list[Brief]:
    """Each due period: the home regency's Lapsit drafted (once), waiting for its analyst and the
    head of Kesbangpol; and every approved Lapsit not yet released sent to its recipients (a
    release cut short, by a crash, is finished here). Returns the copies made."""
    from waspada.briefs.periods import BriefKind, due_period

    now = now or timezone.now()
    hour = settings.WASPADA_BRIEF_HOUR if hour is None else hour
    for kind in BriefKind.values:
        draft_lapsit(period=due_period(kind, now, hour), by=None, channel=Channel.SYSTEM)
    made: list[Brief] = []
    for lapsit in Lapsit.objects.filter(status=LapsitStatus.DISETUJUI).order_by("pk"):
        made += release_lapsit(lapsit, now=now)
    if made:
        logger.info("briefs: %d Lapsit copies made", len(made))
    return made


# -- the Lapsit: draft, analyst's text, approval, release -------------------------------------


class LapsitRefused(PermissionDenied):
    """Someone other than the drafters or the approver of that regency's Lapsit."""


class NotADraft(ValueError):
    """The Lapsit is approved: its text no longer changes."""


def draft_lapsit(
    *,
    period: Period,
    by: Person | None,
    regency: Region | None = None,
    channel: str = Channel.WEB,
    request: HttpRequest | None = None,
) -> Lapsit:
    """The Lapsit of ``regency`` (default the home region) for ``period``, drafted now if there is
    none yet (audited ``lapsit.drafted``); the figures are drawn for each reader when rendered."""
    regency = regency or home_region()
    existing = Lapsit.objects.filter(
        regency=regency, kind=period.kind, period_start=period.start, period_end=period.end
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            lapsit = Lapsit.objects.create(
                regency=regency, kind=period.kind, period_start=period.start, period_end=period.end
            )
            record(
                action="lapsit.drafted",
                actor=by,
                obj=lapsit,
                changes={
                    "regency": regency.code,
                    "kind": period.kind,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                },
                channel=channel,
                request=request,
            )
    except IntegrityError:  # drafted by another request at the same moment
        return Lapsit.objects.get(
            regency=regency, kind=period.kind, period_start=period.start, period_end=period.end
        )
    return lapsit


def _refuse_unless_drafter(lapsit: Lapsit, person: Person) -> None:
    if not may_draft(person, lapsit.regency):
        raise LapsitRefused(
            _(
                "Hanya ketua, sekretaris, atau analis Tim Kewaspadaan Dini %(regency)s yang dapat "
                "menyusun Lapsit-nya."
            )
            % {"regency": lapsit.regency.name}
        )


def edit_lapsit(
    *,
    lapsit: Lapsit,
    by: Person,
    analisa: str,
    prakiraan: str,
    saran: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Lapsit:
    """The analyst's part of a draft: analisa, prakiraan and saran tindak. Only the drafters of
    that regency (``approval.may_draft``), only while it is a draft (NotADraft afterwards);
    audited ``lapsit.edited`` with the text before."""
    _refuse_unless_drafter(lapsit, by)
    texts = {"analisa": analisa.strip(), "prakiraan": prakiraan.strip(), "saran": saran.strip()}
    for name, text in texts.items():
        if len(text) > LAPSIT_TEXT_MAX:
            raise ValueError(name, _("Paling banyak %(n)d karakter.") % {"n": LAPSIT_TEXT_MAX})
    with transaction.atomic():
        locked = Lapsit.objects.select_for_update().get(pk=lapsit.pk)
        if not locked.is_draft:
            raise NotADraft(_("Lapsit ini sudah disetujui; isinya tidak dapat diubah lagi."))
        before = {name: getattr(locked, name) for name in texts}
        for name, text in texts.items():
            setattr(locked, name, text)
        locked.edited_by = by
        locked.edited_at = now or timezone.now()
        locked.save()
        record(
            action="lapsit.edited", actor=by, obj=locked, changes={**texts, "before": before}, request=request
        )
    return locked


def lapsit_nomor(lapsit: Lapsit, sequence: int, year: int, month: int) -> str:
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[month - 1]
    return settings.WASPADA_LAPSIT_NOMOR.format(seq=sequence, year=year, month=roman)


def approve_lapsit(
    *,
    lapsit: Lapsit,
    by: Person,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Lapsit:
    """The head of Kesbangpol (``approval.may_approve``: the ketua of that regency's deciding
    TKD) approves a draft whose analisa, prakiraan and saran are written: it gets the year's next
    nomor (``WASPADA_LAPSIT_NOMOR``), audited ``lapsit.approved``; then it is released to its
    recipients (``release_lapsit``). Anyone else: LapsitRefused, nothing changes but the audit
    entry ``lapsit.approval_refused``."""
    if not may_approve(by, lapsit.regency):
        with transaction.atomic():  # a refused sign-off of an official document is kept on record
            record(
                action="lapsit.approval_refused",
                actor=by,
                obj=lapsit,
                changes={"status": lapsit.status},
                request=request,
            )
        raise LapsitRefused(
            _(
                "Hanya Kepala Kesbangpol (ketua Tim Kewaspadaan Dini %(regency)s) "
                "yang dapat menyetujui Lapsit."
            )
            % {"regency": lapsit.regency.name}
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Lapsit.objects.select_for_update().get(pk=lapsit.pk)
        if not locked.is_draft:
            raise NotADraft(_("Lapsit ini sudah disetujui."))
        _refuse_unless_written(locked)
        year = timezone.localtime(now).year
        # the year's numbers, one after another: the rows of the year are locked while counting
        taken = list(
            Lapsit.objects.select_for_update()
            .filter(regency=locked.regency, year=year)
            .values_list("sequence", flat=True)
        )
        sequence = max((n for n in taken if n), default=0) + 1
        locked.year = year
        locked.sequence = sequence
        locked.nomor = lapsit_nomor(locked, sequence, year, timezone.localtime(now).month)
        locked.status = LapsitStatus.DISETUJUI
        locked.approved_by = by
        locked.approved_at = now
        locked.save()
        record(
            action="lapsit.approved",
            actor=by,
            obj=locked,
            changes={
                "nomor": locked.nomor,
                "kind": locked.kind,
                "period_start": locked.period_start.isoformat(),
            },
            request=request,
        )
        _tell_lapsit(Kind.LAPSIT_APPROVED, locked, _analysts(locked, by), body_key="lapsit_approved")
    release_lapsit(locked, now=now)
    return locked


def _refuse_unless_written(lapsit: Lapsit) -> None:
    missing = [
        str(label)
        for name, label in (
            ("analisa", _("analisa")),
            ("prakiraan", _("prakiraan")),
            ("saran", _("saran tindak")),
        )
        if not getattr(lapsit, name).strip()
    ]
    if missing:
        raise ValueError(_("Belum ditulis: %(list)s.") % {"list": ", ".join(missing)})


def _analysts(lapsit: Lapsit, by: Person) -> list[Person]:
    """Who wrote the draft and is told what became of it: whoever submitted it and whoever last
    edited it, while they may still draft that regency's Lapsit; never ``by`` himself."""
    people = {p.pk: p for p in (lapsit.submitted_by, lapsit.edited_by) if p is not None}
    return [
        person
        for pk, person in sorted(people.items())
        if pk != by.pk and person.is_active and may_draft(person, lapsit.regency)
    ]


def _tell_lapsit(
    kind: str, lapsit: Lapsit, people: list[Person], *, body_key: str = "", note: str = ""
) -> None:
    """A notice about ``lapsit`` addressed by name to ``people`` (notify outbox, the caller's
    transaction), linking the Lapsit's page; nothing when there is nobody to tell."""
    if not people:
        return
    params = {
        "regency": lapsit.regency.name,
        "brief_kind": lapsit.kind,
        "period_start": lapsit.period_start.isoformat(),
        "period_end": lapsit.period_end.isoformat(),
        "nomor": lapsit.nomor,
        "body_key": body_key,
    }
    emit(
        kind,
        level=AlertLevel.NORMAL,
        title=indonesian_title(kind, params),
        body=indonesian_body(params) if body_key else note[:2000],
        params=params,
        persons=people,
        url=reverse("briefs:lapsit", args=[lapsit.pk]),
    )


def submit_lapsit(
    *, lapsit: Lapsit, by: Person, request: HttpRequest | None = None, now: datetime | None = None
) -> Lapsit:
    """The analyst asks for approval ("Ajukan"): only a drafter of that regency, only a draft whose
    analisa, prakiraan and saran are written; audited ``lapsit.submitted``, and those who may
    approve it (``approval.approvers``) are told, in the same transaction."""
    _refuse_unless_drafter(lapsit, by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Lapsit.objects.select_for_update().get(pk=lapsit.pk)
        if not locked.is_draft:
            raise NotADraft(_("Lapsit ini sudah disetujui."))
        _refuse_unless_written(locked)
        locked.submitted_by = by
        locked.submitted_at = now
        locked.save(update_fields=["submitted_by", "submitted_at"])
        record(
            action="lapsit.submitted",
            actor=by,
            obj=locked,
            changes={"kind": locked.kind, "period_start": locked.period_start.isoformat()},
            request=request,
        )
        people = [person for person in approvers(locked.regency) if person.pk != by.pk]
        _tell_lapsit(Kind.LAPSIT_SUBMITTED, locked, people, body_key="lapsit_submitted")
    return locked


def return_lapsit(
    *, lapsit: Lapsit, by: Person, note: str, request: HttpRequest | None = None, now: datetime | None = None
) -> Lapsit:
    """The head of Kesbangpol sends a draft back to its analyst ("Kembalikan") with a note saying
    what to change: only the approver (``approval.may_approve``), only a draft; it stays a draft,
    no longer submitted; audited ``lapsit.returned``, and its analyst is told with the note."""
    if not may_approve(by, lapsit.regency):
        raise LapsitRefused(
            _(
                "Hanya Kepala Kesbangpol (ketua Tim Kewaspadaan Dini %(regency)s) "
                "yang dapat mengembalikan Lapsit."
            )
            % {"regency": lapsit.regency.name}
        )
    note = note.strip()
    if not note:
        raise ValueError("note", _("Tulis apa yang perlu diperbaiki analis."))
    if len(note) > LAPSIT_TEXT_MAX:
        raise ValueError("note", _("Paling banyak %(n)d karakter.") % {"n": LAPSIT_TEXT_MAX})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Lapsit.objects.select_for_update().get(pk=lapsit.pk)
        if not locked.is_draft:
            raise NotADraft(_("Lapsit ini sudah disetujui."))
        told = _analysts(locked, by)
        locked.submitted_by = None
        locked.submitted_at = None
        locked.returned_at = now
        locked.return_note = note
        locked.save(update_fields=["submitted_by", "submitted_at", "returned_at", "return_note"])
        record(action="lapsit.returned", actor=by, obj=locked, changes={"note": note}, request=request)
        _tell_lapsit(Kind.LAPSIT_RETURNED, locked, told, note=note)
    return locked


def lapsit_recipients(lapsit: Lapsit) -> list[Person]:
    """The scheduled recipients (TKD and Forkopimda of the home region) and whoever asked for a
    copy while it was a draft."""
    people = {p.pk: p for p in scheduled_recipients()}
    for person in lapsit.waiting.filter(is_active=True):
        people.setdefault(person.pk, person)
    return [people[pk] for pk in sorted(people)]


def release_lapsit(lapsit: Lapsit, *, now: datetime | None = None) -> list[Brief]:
    """An approved Lapsit to each recipient: one copy each, drawn through their own view, told
    with ``brief.ready``; then marked released (audited ``lapsit.released``). Idempotent: a
    recipient who has their copy is skipped, so a release cut short is finished by the schedule.
    A draft is never released."""
    if lapsit.status == LapsitStatus.KONSEP:
        raise NotADraft(_("Lapsit yang masih konsep tidak dikirim kepada siapa pun."))
    now = now or timezone.now()
    have = set(Brief.objects.filter(lapsit=lapsit, konsep=False).values_list("recipient_id", flat=True))
    # a scheduled copy made before the Lapsit existed (an upgrade mid-period) holds the schedule's
    # unique slot: the Lapsit copy is then made beside it, unscheduled
    earlier = set(
        Brief.objects.filter(
            kind=lapsit.kind, period_start=lapsit.period_start, scheduled=True, lapsit__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    scheduled_ids = {p.pk for p in scheduled_recipients()} - earlier
    periodic = lapsit.period.is_calendar()
    made = []
    for person in lapsit_recipients(lapsit):
        if person.pk in have:
            continue
        made.append(
            create_situation_brief(
                period=lapsit.period,
                recipient=person,
                by=None,
                scheduled=periodic and person.pk in scheduled_ids,
                channel=Channel.SYSTEM,
                now=now,
                lapsit=lapsit,
            )
        )
    with transaction.atomic():
        locked = Lapsit.objects.select_for_update().get(pk=lapsit.pk)
        if locked.status != LapsitStatus.DIRILIS:
            locked.status = LapsitStatus.DIRILIS
            locked.released_at = now
            locked.save(update_fields=["status", "released_at"])
            record(
                action="lapsit.released",
                actor=None,
                obj=locked,
                changes={
                    "nomor": locked.nomor,
                    "recipients": sorted(b.recipient_id for b in locked.copies.all()),
                },
                channel=Channel.SYSTEM,
            )
        lapsit.status, lapsit.released_at = locked.status, locked.released_at
    return made


def request_copy(*, period: Period, person: Person, request: HttpRequest | None = None) -> Brief | None:
    """A copy asked for on the briefs page. A released Lapsit of that period: the person's copy
    now. A drafter (``may_draft``): a working copy of the draft, marked KONSEP. Anyone else:
    nothing yet; they wait for the approval, and ``release_lapsit`` makes their copy (audited
    ``lapsit.copy_requested``). Returns the copy made, or None when it waits."""
    lapsit = draft_lapsit(period=period, by=person, request=request)
    if lapsit.status == LapsitStatus.DIRILIS:
        return create_situation_brief(period=period, recipient=person, by=person, lapsit=lapsit)
    if lapsit.is_draft and may_draft(person, lapsit.regency):
        return create_situation_brief(period=period, recipient=person, by=person, lapsit=lapsit, konsep=True)
    with transaction.atomic():
        lapsit.waiting.add(person)
        record(
            action="lapsit.copy_requested",
            actor=person,
            obj=lapsit,
            changes={"person": person.pk},
            request=request,
        )
    if lapsit.status == LapsitStatus.DISETUJUI:  # approved, its release under way or cut short
        release_lapsit(lapsit)
        return Brief.objects.filter(lapsit=lapsit, recipient=person, konsep=False).first()
    return None


# -- release to the province and the province Lapsit ------------------------------------------


class AlreadyReleased(Exception):
    """The regency's Lapsit of this period is released already and no "Rilis ulang" was asked."""

    def __init__(self, release: Release) -> None:
        super().__init__(
            _(
                "Laporan situasi periode ini sudah dirilis oleh %(who)s pada %(when)s. "
                "Centang Rilis ulang untuk menggantinya."
            )
            % {"who": release.released_by.display_name, "when": local(release.released_at)}
        )
        self.release = release


def release_situation(
    *,
    regency: Region,
    period: Period,
    assessment: str,
    by: Person,
    replace: bool = False,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Release:
    """Release ``regency``'s Lapsit of ``period`` to the province, with ``by``'s assessment.

    Only a senior of the regency's deciding TKD may (``access_of(by).decides``): anyone else gets
    PermissionDenied. The content is gathered through ``by``'s scoped querysets, rahasia left out
    (``release.release_content``). One release per (regency, kind, period start): a second one
    raises AlreadyReleased unless ``replace`` ("Rilis ulang"), which replaces it, audited as
    ``brief.re_released`` with who and when before. In the same transaction the province TKD's
    senior roles are told (``_tell_province``); nothing is told when the release is refused.
    """
    if regency.level != Level.KABUPATEN or not access_of(by).decides(regency.code):
        raise PermissionDenied(
            _(
                "Hanya ketua, sekretaris, atau analis Tim Kewaspadaan Dini %(regency)s yang dapat merilis "
                "laporan situasinya ke provinsi."
            )
            % {"regency": regency.name}
        )
    assessment = assessment.strip()
    if not assessment:
        raise ValueError(_("Tulis penilaian / analisis sebelum merilis."))
    if len(assessment) > ASSESSMENT_MAX:
        raise ValueError(_("Penilaian / analisis paling banyak %(n)d karakter.") % {"n": ASSESSMENT_MAX})
    now = now or timezone.now()
    with override("id"):
        content = release_content(gather(by, period, now=now, region=regency, without_rahasia=True))
    with transaction.atomic():
        existing = (
            Release.objects.select_for_update()
            .select_related("released_by")
            .filter(regency=regency, kind=period.kind, period_start=period.start)
            .first()
        )
        if existing is not None and not replace:
            raise AlreadyReleased(existing)
        changes: dict[str, Any] = {
            "regency": regency.code,
            "kind": period.kind,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "assessment": assessment,
            "total": content["total"],
        }
        if existing is None:
            release = Release.objects.create(
                regency=regency,
                kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                released_by=by,
                released_at=now,
                assessment=assessment,
                content=content,
            )
            action = "brief.released"
        else:
            changes["before"] = {
                "released_by": existing.released_by_id,
                "released_at": existing.released_at.isoformat(),
                "assessment": existing.assessment,
                "total": existing.content.get("total"),
            }
            existing.period_end = period.end
            existing.released_by = by
            existing.released_at = now
            existing.assessment = assessment
            existing.content = content
            existing.times_released += 1
            existing.save()
            release = existing
            action = "brief.re_released"
        record(action=action, actor=by, obj=release, changes=changes, request=request)
        _tell_province(release, by=by, again=existing is not None)
    return release


def province_lapsit_url(province_code: str, period: Period) -> str:
    """The province Lapsit page opened on ``period`` (what a release notice links to)."""
    from urllib.parse import urlencode

    query = urlencode({"provinsi": province_code, "kind": period.kind, "day": period.start.isoformat()})
    return f"{reverse('briefs:province')}?{query}"


def _tell_province(release: Release, *, by: Person, again: bool) -> None:
    """Tell the ketua, sekretaris, analis and pimpinan of the province's own TKD (the province
    above the regency: never another province's, never the regency's own people) that
    ``release`` was made, or made again (a re-release says it replaces the earlier one)."""
    province_code = release.regency.parent_id
    if not province_code:
        return
    people = [person for person in province_tkd_seniors(province_code) if person.pk != by.pk]
    if not people:
        return
    kind = Kind.BRIEF_RE_RELEASED if again else Kind.BRIEF_RELEASED
    params = {
        "regency": release.regency.name,
        "brief_kind": release.kind,
        "period_start": release.period_start.isoformat(),
        "period_end": release.period_end.isoformat(),
        "body_key": "brief_re_released" if again else "brief_released",
    }
    emit(
        kind,
        level=AlertLevel.NORMAL,
        title=indonesian_title(kind, params),
        body=indonesian_body(params),
        params=params,
        persons=people,
        url=province_lapsit_url(province_code, release.period),
        dedupe_key=f"{kind}:{release.pk}:{release.times_released}",
    )


def _province_assessment(province: Region, person: Person, assessment: str) -> str:
    """The province Lapsit's right (a senior of the province's own TKD) and its assessment's
    length, checked alike for drafting it and for sending it to the Forkopimda."""
    if province.code not in province_codes(person):
        raise PermissionDenied(
            _(
                "Laporan situasi provinsi hanya untuk ketua, sekretaris, dan analis "
                "Tim Kewaspadaan Dini provinsi."
            )
        )
    assessment = assessment.strip()
    if len(assessment) > ASSESSMENT_MAX:
        raise ValueError(_("Penilaian provinsi paling banyak %(n)d karakter.") % {"n": ASSESSMENT_MAX})
    return assessment


def create_province_brief(
    *,
    province: Region,
    period: Period,
    recipient: Person,
    assessment: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Brief:
    """Draft the province's Lapsit of ``period`` from its regencies' releases and store it as a
    Brief for ``recipient`` (a senior of the province's own TKD: ``release.province_codes``)."""
    assessment = _province_assessment(province, recipient, assessment)
    now = now or timezone.now()
    draft = province_draft(province, period)
    with override("id"):
        content = render_province(draft, recipient=recipient, assessment=assessment, now=now)
    relative, checksum = _write(content, now)
    try:
        with transaction.atomic():
            brief = _store(
                period,
                recipient,
                content,
                relative,
                checksum,
                actor=recipient,
                fields={"province": province},
                changes={
                    "province": province.code,
                    "released": [r.regency_id for r in draft.released],
                    "not_released": [r.code for r in draft.missing],
                    "assessment": assessment,
                },
                request=request,
            )
    except Exception:
        (briefs_dir() / relative).unlink(missing_ok=True)
        raise
    return brief


class NoForkopimda(ValueError):
    """The province's Forkopimda has no current member: nobody to send the province Lapsit to."""


def send_province_brief(
    *,
    province: Region,
    period: Period,
    by: Person,
    assessment: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> list[Brief]:
    """ "Kirim ke Forkopimda provinsi": draft the province Lapsit of ``period`` and store one copy
    (a Brief with ``province`` set) for each current member of the province's Forkopimda (the
    Gubernur's FKPD), each told with a link to download their own copy.

    Only a senior of the province's own TKD may (``release.province_codes``): anyone else gets
    PermissionDenied. Each copy is audited as ``brief.created`` (with the forum and the sender),
    and the sending as a whole as ``brief.sent_to_forkopimda``, all in one transaction with the
    notices; a failure stores no copy and leaves no file.
    """
    assessment = _province_assessment(province, by, assessment)
    forum, recipients = province_forkopimda(province.code)
    if forum is None or not recipients:
        raise NoForkopimda(
            _("Forkopimda %(province)s belum punya anggota: laporan tidak dikirim kepada siapa pun.")
            % {"province": province.name}
        )
    now = now or timezone.now()
    draft = province_draft(province, period)
    written: list[tuple[Person, bytes, str, str]] = []
    try:
        for recipient in recipients:
            with override("id"):
                content = render_province(draft, recipient=recipient, assessment=assessment, now=now)
            relative, checksum = _write(content, now)
            written.append((recipient, content, relative, checksum))
        with transaction.atomic():
            briefs = []
            for recipient, content, relative, checksum in written:
                brief = _store(
                    period,
                    recipient,
                    content,
                    relative,
                    checksum,
                    actor=by,
                    fields={"province": province},
                    changes={
                        "province": province.code,
                        "forum": forum.code,
                        "sent_by": by.pk,
                        "released": [r.regency_id for r in draft.released],
                        "not_released": [r.code for r in draft.missing],
                        "assessment": assessment,
                    },
                    request=request,
                )
                params = {
                    "province": province.name,
                    "brief_kind": brief.kind,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "body_key": "brief_province",
                }
                emit(
                    Kind.BRIEF_PROVINCE,
                    level=AlertLevel.NORMAL,
                    title=indonesian_title(Kind.BRIEF_PROVINCE, params),
                    body=indonesian_body(params),
                    params=params,
                    persons=[recipient],
                    url=reverse("briefs:download", args=[brief.pk]),
                    dedupe_key=f"{Kind.BRIEF_PROVINCE}:{brief.pk}",
                )
                briefs.append(brief)
            record(
                action="brief.sent_to_forkopimda",
                actor=by,
                obj=forum,
                changes={
                    "province": province.code,
                    "kind": period.kind,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "recipients": [b.recipient_id for b in briefs],
                    "briefs": [b.pk for b in briefs],
                    "assessment": assessment,
                },
                request=request,
            )
    except Exception:
        for _recipient, _content, relative, _checksum in written:
            (briefs_dir() / relative).unlink(missing_ok=True)
        raise
    return briefs
