"""New early-detection signals are told to those who may read them: the TKD's senior roles of
the signal's region (``Signal.objects.visible_to``), in the app with the signal's sentence.

A signal is marked ``rahasia`` for delivery: it names no report, but it is the TKD's own
analysis, so no room or webhook receives it and chat and e-mail carry only a nudge to open
Waspada, as for a secret report (docs/notifications.md)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.detection.hooks import signal_created
from waspada.detection.models import Signal
from waspada.forums.models import ForumKind, Membership
from waspada.notify.events import Kind, emit
from waspada.reports.taxonomy import AlertLevel, Classification


def readers_of(signal: Signal) -> list[Any]:
    """Everyone in a TKD who may see this signal."""
    members = (
        Membership.objects.current().filter(forum__kind=ForumKind.TKD).select_related("person").order_by("pk")
    )
    people = {m.person_id: m.person for m in members if m.person.is_active}
    return [p for p in people.values() if Signal.objects.visible_to(p).filter(pk=signal.pk).exists()]


@receiver(signal_created, dispatch_uid="notify.tell_tkd_of_signal")
def tell_tkd_of_signal(sender: Any, instance: Signal, **kwargs: Any) -> None:
    readers = readers_of(instance)
    if not readers:
        return
    emit(
        Kind.SIGNAL,
        level=AlertLevel.WASPADA,
        title=_("Sinyal deteksi dini: %(region)s") % {"region": instance.region.name},
        # The body is the signal's sentence, said again in each reader's language (notify/texts.py).
        params={"region": instance.region.name, "body_key": "signal", "body_params": {"signal": instance.pk}},
        body=instance.explanation,
        persons=readers,
        classification=Classification.RAHASIA,
        url=reverse("detection:detail", args=[instance.pk]),
        dedupe_key=f"signal:{instance.pk}",
    )
