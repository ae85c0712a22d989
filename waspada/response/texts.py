"""Texts the system writes into a disposition's timeline, kept as a key and parameters.

A ``FollowUp`` written by the system (routing, redirection, escalation) stores ``message`` (a
key of ``MESSAGES``) and ``params``; pages render it in the reader's language at display time.
``text`` keeps the Indonesian rendering, so rows from before (and anyone reading the raw table)
still read. Parameters are plain strings (forum names, a reason a person typed, a WITA time
already formatted), never anything about an informant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

MESSAGES: dict[str, Promise] = {
    "auto_routed": _("Disposisi otomatis menurut aturan."),
    "upgraded": _("Ditingkatkan menjadi perlu tindakan."),
    "redirected": _("Dialihkan ke %(forum)s: %(reason)s"),
    "escalation_reason": _("Eskalasi: %(forum)s melewati batas waktu."),
    "past_due": _("Melewati batas waktu %(due)s"),
    "top_of_ladder": _("Sudah di puncak tangga (FKPD); tidak ada tingkat berikutnya."),
    "top_of_ladder_province": _(
        "Sudah di puncak tangga (Tim Kewaspadaan Dini provinsi); tidak ada tingkat berikutnya."
    ),
}


def render(key: str, params: Mapping[str, Any] | None, *, fallback: str = "") -> str:
    """``key`` rendered with ``params`` in the active language; ``fallback`` when unknown or broken."""
    params = dict(params or {})
    suffix = ""
    if key == "past_due_to":  # escalated: the deadline missed, and the forum it went up to
        key, suffix = "past_due", f" → {params.get('to', '')}"
    template = MESSAGES.get(key) if key else None
    if template is None:
        return fallback
    try:
        return str(template) % params + suffix
    except (KeyError, TypeError, ValueError):
        return fallback


def indonesian(key: str, params: Mapping[str, Any] | None = None) -> str:
    """The stored fallback: the text in the site's source language."""
    with override("id"):
        return render(key, params)
