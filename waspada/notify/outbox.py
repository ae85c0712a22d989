"""Sending the outbox: claim a delivery, send it with its idempotency key, record the result.

A delivery is claimed with a conditional UPDATE (pending and due, or "sending" with an expired
lease), so two workers never send the same row at once. If a worker dies after the channel
accepted the message and before the row says "sent", the lease expires and the delivery is sent
again with the same idempotency key: channels that deduplicate on it (Matrix, e-mail, webhooks)
show it once; for a channel that cannot (Telegram) the row becomes "uncertain" for an admin to
check instead of being sent twice. A failed send backs off exponentially; a permanent failure,
or one that used up its attempts, stays "failed" and is listed for admins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from waspada.lib.taxonomy import AlertLevel, Classification
from waspada.notify.channels import DeliveryError, Message, get_channel
from waspada.notify.models import ChannelName, ChatAccount, Delivery, DeliveryStatus, Event
from waspada.notify.texts import event_body, event_title, language_for, link_for
from waspada.reports.models import Report

if TYPE_CHECKING:
    from waspada.people.models import Person

logger = logging.getLogger(__name__)


class Withheld(Exception):
    """Not every member of the room may see this: it is not posted there."""


@dataclass(frozen=True)
class Prepared:
    address: str
    message: Message


def backoff(attempts: int) -> timedelta:
    base = settings.WASPADA_NOTIFY_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def render(event: Event, person: Person | None = None) -> Message:
    """The text of an event in ``person``'s language (the site's for rooms and webhooks), with the
    link that person can open. Built from the event's own fields and the report's reference, place
    and level only: never the narrative, never an informant; nothing at all of a ``rahasia`` one."""
    with override(language_for(person)):
        return _render(event, person)


def _render(event: Event, person: Person | None) -> Message:
    level = AlertLevel(event.level).label
    if event.classification == Classification.RAHASIA:
        # A secret report leaves the application in no message: only a nudge to open it.
        text = _("Ada notifikasi baru tingkat %(level)s untuk Anda. Buka Waspada untuk membacanya.") % {
            "level": level
        }
        return Message(subject=_("[Waspada] Notifikasi baru"), text=text, level=event.level)
    title = event_title(event)
    body = event_body(event)
    lines = [f"[{str(level).upper()}] {title}"]
    data: dict[str, object] = {
        "event_id": event.pk,
        "kind": event.kind,
        "level": event.level,
        "title": title,
        "created_at": event.created_at.isoformat(),
    }
    report = event.report
    if report is not None:
        lines.append(_("Lokasi: %(place)s") % {"place": report.region.label})
        data.update(
            {
                "reference": report.reference,
                "isu": report.isu,
                "region_code": report.region_id,
                "region": report.region.label,
                "occurred_at": report.occurred_at.isoformat(),
            }
        )
    if body:
        lines.append(body)
        data["body"] = body
    url = ""
    path = link_for(event, person) if person is not None else event.url
    if path and settings.WASPADA_BASE_URL:
        url = settings.WASPADA_BASE_URL.rstrip("/") + path
        data["url"] = url
    return Message(
        subject=f"[Waspada] {title}"[:200], text="\n".join(lines), url=url, level=event.level, data=data
    )


def room_audience_ok(delivery: Delivery, event: Event) -> None:
    """Raise Withheld unless every member of the room (joined or invited) is a linked person who
    may see what the event is about."""
    from waspada.notify.fanout import may_see
    from waspada.notify.matrix import MatrixClient

    assert delivery.room is not None
    if event.classification == Classification.RAHASIA:
        raise Withheld("rahasia")
    client = MatrixClient()
    members = set(client.joined_members(delivery.room.address)) | set(
        client.invited_members(delivery.room.address)
    )
    members.discard(client.user_id)
    accounts = {
        a.address: a.person
        for a in ChatAccount.objects.filter(channel=ChannelName.MATRIX, address__in=members).select_related(
            "person"
        )
    }
    unlinked = sorted(members - set(accounts))
    if unlinked:
        raise Withheld(_("anggota ruang belum ditautkan: %(who)s") % {"who": ", ".join(unlinked)[:300]})
    for address, person in accounts.items():
        if not may_see(person, event):
            raise Withheld(_("%(who)s tidak berhak melihat ini") % {"who": address})


def prepare(delivery: Delivery) -> Prepared:
    event = Event.objects.select_related("report__region").get(pk=delivery.event_id)
    if delivery.room is not None:
        if delivery.room.channel == ChannelName.WHATSAPP:
            from waspada.notify.whatsapp_groups import GroupWithheld, audience_ok

            try:
                audience_ok(delivery.room, event)
            except GroupWithheld as exc:
                raise Withheld(str(exc)) from exc
        else:
            room_audience_ok(delivery, event)
        return Prepared(delivery.room.address, render(event))
    if delivery.webhook is not None:
        if event.classification == Classification.RAHASIA:
            raise Withheld("rahasia")
        return Prepared(str(delivery.webhook.pk), render(event))
    person = delivery.person
    assert person is not None
    message = render(event, person)
    # Visibility may have changed since the fan-out (a seat ended): check again.
    from waspada.notify.fanout import may_see

    if (
        event.report_id is not None
        and not Report.objects.visible_to(person).filter(pk=event.report_id).exists()
    ):
        raise Withheld(_("penerima tidak lagi berhak melihat laporan ini"))
    if event.report_id is None and not may_see(person, event):
        raise Withheld(_("penerima tidak lagi berhak"))
    if delivery.channel == ChannelName.EMAIL:
        return Prepared(person.email, message)
    account = ChatAccount.objects.filter(person=person, channel=delivery.channel).first()
    if account is None:
        raise DeliveryError(_("akun obrolan penerima tidak lagi tertaut"), retryable=False)
    return Prepared(account.address, message)


def _claim(pk: int, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.WASPADA_NOTIFY_LEASE_SECONDS)
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, lease_until__lt=now
    )
    return bool(
        Delivery.objects.filter(due, pk=pk).update(
            status=DeliveryStatus.SENDING, lease_until=lease, attempts=F("attempts") + 1
        )
    )


def record_sent(delivery: Delivery, provider_ref: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), provider_ref=provider_ref[:255], last_error=""
    )


def deliver(pk: int, now: datetime | None = None) -> str | None:
    """Try one delivery if it is due; returns its new status (None when it was not ours to send)."""
    now = now or timezone.now()
    current = Delivery.objects.filter(pk=pk).values("status", "lease_until", "channel").first()
    if current is None:
        return None
    channel = get_channel(current["channel"])
    if current["status"] == DeliveryStatus.SENDING and not channel.dedupes:
        # Its sender died after the send may have gone out: never send it twice.
        if current["lease_until"] is not None and current["lease_until"] < now:
            Delivery.objects.filter(
                pk=pk, status=DeliveryStatus.SENDING, lease_until=current["lease_until"]
            ).update(
                status=DeliveryStatus.UNCERTAIN,
                last_error=_("Pengirim berhenti sebelum mencatat hasil; periksa apakah pesan sampai."),
            )
            return DeliveryStatus.UNCERTAIN
        return None
    if not _claim(pk, now):
        return None
    delivery = Delivery.objects.select_related("person", "room", "webhook").get(pk=pk)
    try:
        prepared = prepare(delivery)
        ref = channel.send(prepared.address, prepared.message, idempotency_key=str(delivery.idempotency_key))
    except Withheld as exc:
        Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.WITHHELD, last_error=str(exc)[:2000])
        return DeliveryStatus.WITHHELD
    except DeliveryError as exc:
        return _failed(delivery, str(exc), retryable=exc.retryable, now=now)
    except Exception as exc:  # a bug or an unexpected answer: retry later, keep the worker alive
        logger.exception("delivery %s failed", pk)
        return _failed(delivery, repr(exc), retryable=True, now=now)
    record_sent(delivery, ref)
    return DeliveryStatus.SENT


def _failed(delivery: Delivery, error: str, *, retryable: bool, now: datetime) -> str:
    if retryable and delivery.attempts < settings.WASPADA_NOTIFY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING,
            next_attempt_at=now + backoff(delivery.attempts),
            lease_until=None,
            last_error=error[:2000],
        )
        return DeliveryStatus.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, last_error=error[:2000])
    logger.warning("delivery %s failed permanently: %s", delivery.pk, error)
    return DeliveryStatus.FAILED


def due_ids(now: datetime, *, limit: int = 200, event_id: int | None = None) -> list[int]:
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, lease_until__lt=now
    )
    rows = Delivery.objects.filter(due)
    if event_id is not None:
        rows = rows.filter(event_id=event_id)
    # Rooms and groups first (one message that every member sees), then the people, whose e-mails
    # are slower to hand over. Measured with the WhatsApp group: its post waited ~0.6 s behind
    # the e-mails of the same event (docs/notifications.md, Latency). The sweep, which fans out
    # what a busy worker has not reached yet, sends in the same order.
    rows = rows.order_by(F("room_id").asc(nulls_last=True), "next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def deliver_due(now: datetime | None = None, *, event_id: int | None = None) -> int:
    """Send every due delivery (of one event, or all); returns how many were sent."""
    now = now or timezone.now()
    return sum(1 for pk in due_ids(now, event_id=event_id) if deliver(pk, now) == DeliveryStatus.SENT)


def process_pending(now: datetime | None = None) -> int:
    """Fan out the events not yet processed, then send what is due: the sweep, and tests' one step."""
    from waspada.notify.fanout import fan_out

    for event_id in (
        Event.objects.filter(processed_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:200]
    ):
        fan_out(event_id)
    return deliver_due(now)
