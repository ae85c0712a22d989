"""Webhooks are added from the command line with a generated secret, and the addition is audited."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from waspada.audit.models import AuditEntry
from waspada.notify.models import Webhook

pytestmark = pytest.mark.django_db


def test_a_webhook_is_added_with_a_secret_shown_once_and_an_audit_entry() -> None:
    out = io.StringIO()
    call_command(
        "webhook",
        "add",
        "Sistem provinsi",
        "https://prov.example.go.id/hook",
        "--min-level",
        "awas",
        stdout=out,
    )
    hook = Webhook.objects.get()
    assert hook.min_level == "awas" and hook.secret in out.getvalue() and len(hook.secret) >= 32
    assert AuditEntry.objects.filter(action="notify.webhook_added").count() == 1
    call_command("webhook", "disable", str(hook.pk))
    hook.refresh_from_db()
    assert not hook.is_active


def test_a_bad_url_is_refused_naming_the_field() -> None:
    with pytest.raises(CommandError, match="url"):
        call_command("webhook", "add", "Salah", "ftp://contoh")
    assert not Webhook.objects.exists()
