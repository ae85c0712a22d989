"""A new early-detection signal is told to those who may read it: the TKD's senior roles of the
signal's region (``Signal.objects.visible_to``), in the app, with the signal's sentence.

``announce_signal`` is called by the detection run in the transaction that creates the signal and
writes the event through ``notify.events.emit`` there, as every other app announces: a run that
rolls back tells nobody, and a committed signal is never left untold (no hook after commit).

A signal is marked ``rahasia`` for delivery: it names no report, but it is the TKD's own analysis,
so no room or webhook receives it and chat and e-mail carry only a nudge to open Waspada, as for a
secret report (docs/notifications.md).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.detection.models import Signal
from waspada.forums.models import ForumKind, Membership
from waspada.notify.events import Kind, emit
from waspada.notify.models import Event
from waspada.people.models import Person
from waspada.reports.taxonomy import AlertLevel, Classification


def readers_of(signal: Signal) -> list[Person]:
    """Everyone in a TKD who may see this signal."""
    members = (
        Membership.objects.current().filter(forum__kind=ForumKind.TKD).select_related("person").order_by("pk")
    )
    people = {m.person_id: m.person for m in members if m.person.is_active}
    return [p for p in people.values() if Signal.objects.visible_to(p).filter(pk=signal.pk).exists()]


def announce_signal(signal: Signal) -> Event | None:
    """Write the ``signal.detected`` event for a new signal in the caller's transaction.

    Returns None when nobody may read it, or when it was announced before (``dedupe_key``).
    """
    readers = readers_of(signal)
    if not readers:
        return None
    return emit(
        Kind.SIGNAL,
        level=AlertLevel.WASPADA,
        title=_("Sinyal deteksi dini: %(region)s") % {"region": signal.region.name},
        # The body is the signal's sentence, said again in each reader's language (notify/texts.py).
        params={"region": signal.region.name, "body_key": "signal", "body_params": {"signal": signal.pk}},
        body=signal.explanation,
        persons=readers,
        classification=Classification.RAHASIA,
        url=reverse("detection:detail", args=[signal.pk]),
        dedupe_key=f"signal:{signal.pk}",
    )
