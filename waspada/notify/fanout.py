"""Fan an event out: who is told (only people who may see the thing), through which channels
(their preferences, quiet hours), and which rooms and webhooks get it.

Idempotent: run twice (the task and the sweep), it creates nothing twice (unique constraints).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from waspada.forums.models import Membership
from waspada.lib.taxonomy import ALERT_RANK, AlertLevel, Classification
from waspada.notify.events import ADDRESSED_KINDS, REPORTER_KINDS, Kind
from waspada.notify.models import (
    ChannelName,
    ChatAccount,
    Delivery,
    Event,
    Notification,
    Preference,
    Room,
    Webhook,
)
from waspada.reports.models import Report

if TYPE_CHECKING:
    from waspada.people.models import Person

# Without a preference row: e-mail and SMS from siaga up, chat from waspada up; in-app always.
DEFAULT_MIN_LEVEL = {
    ChannelName.EMAIL: AlertLevel.SIAGA,
    ChannelName.MATRIX: AlertLevel.WASPADA,
    ChannelName.TELEGRAM: AlertLevel.WASPADA,
    ChannelName.WHATSAPP: AlertLevel.WASPADA,
    # Each SMS costs the regency credit and reaches a phone without data: from siaga up.
    ChannelName.SMS: AlertLevel.SIAGA,
}
PERSONAL_CHANNELS = (
    ChannelName.EMAIL,
    ChannelName.MATRIX,
    ChannelName.TELEGRAM,
    ChannelName.WHATSAPP,
    ChannelName.SMS,
)
# What the cross-forum room hears about (above its level); a forum's room hears its forum's events.
CROSS_FORUM_KINDS = frozenset({Kind.REPORT_SUBMITTED, Kind.REPORT_VERIFIED, Kind.ESCALATED, Kind.SIGNAL})
# Kinds that go by one channel only: a WhatsApp group's invite link goes by WhatsApp, to that
# person, whatever their levels (notify/whatsapp_groups.py); it still shows in the notification centre.
ONLY_CHANNEL = {Kind.WHATSAPP_GROUP_INVITE: ChannelName.WHATSAPP}


def audience(event: Event) -> list[Person]:
    """The people an event is for, each of whom may see what it is about."""
    from waspada.people.models import Person

    forum_ids = list(event.forums.values_list("pk", flat=True))
    ids = set(Membership.objects.current().filter(forum_id__in=forum_ids).values_list("person_id", flat=True))
    ids |= set(event.persons.values_list("pk", flat=True))
    if event.tell_reporter and event.report_id is not None:
        ids.add(Report.objects.filter(pk=event.report_id).values_list("reporter_id", flat=True).get())
    people = list(Person.objects.filter(pk__in=ids, is_active=True).order_by("pk"))
    if event.report_id is None:
        return people
    return [person for person in people if may_see(person, event)]


def may_see(person: Person, event: Event) -> bool:
    """Whether ``person`` may see what the event is about (the report's visibility rules)."""
    if not person.is_active:
        return False
    if event.report_id is None:
        forum_ids = list(event.forums.values_list("pk", flat=True))
        return (
            event.persons.filter(pk=person.pk).exists()
            or Membership.objects.current().filter(person_id=person.pk, forum_id__in=forum_ids).exists()
        )
    return Report.objects.visible_to(person).filter(pk=event.report_id).exists()


def _in_quiet_hours(pref: Preference, now: datetime) -> datetime | None:
    """When the quiet hours containing ``now`` end (WITA), or None when not in them."""
    if pref.quiet_start is None or pref.quiet_end is None or pref.quiet_start == pref.quiet_end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    start, end = pref.quiet_start, pref.quiet_end
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_at = timezone.make_aware(datetime.combine(local.date(), end), local.tzinfo)
    if end_at <= local:
        end_at += timedelta(days=1)
    return end_at


def _address(person: Person, channel: str, accounts: dict[tuple[int, str], str]) -> str:
    if channel == ChannelName.EMAIL:
        return person.email or ""
    return accounts.get((person.pk, channel), "")


def fan_out(event_id: int) -> int:
    """Create the notifications and deliveries of one event; returns how many deliveries it made."""
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id, processed_at__isnull=True).first()
        if event is None:
            return 0
        people = audience(event)
        reporter_id = None
        if event.report_id is not None:
            reporter_id = (
                Report.objects.filter(pk=event.report_id).values_list("reporter_id", flat=True).get()
            )
        Notification.objects.bulk_create(
            [Notification(event=event, person=person, created_at=now) for person in people],
            ignore_conflicts=True,
        )
        prefs = {
            (p.person_id, p.channel): p for p in Preference.objects.filter(person__in=[x.pk for x in people])
        }
        accounts = {
            (a.person_id, a.channel): a.address
            for a in ChatAccount.objects.filter(person__in=[x.pk for x in people])
        }
        rank = ALERT_RANK[event.level]
        deliveries: list[Delivery] = []
        for person in people:
            own_report = person.pk == reporter_id and event.kind in REPORTER_KINDS
            addressed = event.kind in ADDRESSED_KINDS and event.report_id is None
            only = ONLY_CHANNEL.get(event.kind)
            for channel in PERSONAL_CHANNELS:
                if only is not None and channel != only:
                    continue
                address = _address(person, channel, accounts)
                if not address:
                    continue
                pref = prefs.get((person.pk, channel)) or Preference(
                    person=person, channel=channel, min_level=DEFAULT_MIN_LEVEL[channel]
                )
                if not pref.enabled:
                    continue
                # A reporter hears about their own report whatever its level: closing the loop.
                # So does whoever a notice is addressed to for their desk (a release, the province Lapsit).
                if rank < ALERT_RANK[pref.min_level] and not own_report and not addressed:
                    continue
                when = now
                if event.level != AlertLevel.AWAS:
                    when = _in_quiet_hours(pref, now) or now
                deliveries.append(
                    Delivery(
                        event=event,
                        channel=channel,
                        recipient=f"person:{person.pk}",
                        person=person,
                        next_attempt_at=when,
                        created_at=now,
                    )
                )
        # Secret reports never go to a room or to another system.
        if event.classification != Classification.RAHASIA:
            forum_ids = set(event.forums.values_list("pk", flat=True))
            # A WhatsApp group asked for and not yet created by the platform has no address yet.
            for room in Room.objects.exclude(address__startswith="pending:"):
                if rank < ALERT_RANK[room.min_level]:
                    continue
                if room.forum_id is None and event.kind not in CROSS_FORUM_KINDS:
                    continue
                if room.forum_id is not None and (
                    room.forum_id not in forum_ids or not event.kind.startswith(("disposition.", "signal."))
                ):
                    continue
                deliveries.append(
                    Delivery(
                        event=event,
                        channel=room.channel,
                        recipient=f"room:{room.pk}",
                        room=room,
                        created_at=now,
                    )
                )
            for hook in Webhook.objects.filter(is_active=True):
                if rank >= ALERT_RANK[hook.min_level]:
                    deliveries.append(
                        Delivery(
                            event=event,
                            channel=ChannelName.WEBHOOK,
                            recipient=f"webhook:{hook.pk}",
                            webhook=hook,
                            created_at=now,
                        )
                    )
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        event.processed_at = now
        event.save(update_fields=["processed_at"])
    return len(deliveries)


def quiet_hours_example() -> tuple[time, time]:
    """The quiet hours the preferences page suggests: 22:00 to 06:00 WITA."""
    return time(22, 0), time(6, 0)
