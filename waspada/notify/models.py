"""Notification events, the in-app notification centre, preferences, the delivery outbox, chat
accounts and rooms.

An ``Event`` is written inside the transaction of the action that caused it (so it exists exactly
when the change does) and is fanned out after commit: one ``Notification`` per person for the
notification centre, and one ``Delivery`` per (event, recipient, channel), unique, which the worker
sends with the delivery's idempotency key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.lib.taxonomy import AlertLevel, Classification


class ChannelName(models.TextChoices):
    EMAIL = "email", _("Surel")
    MATRIX = "matrix", _("Matrix")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")


class Event(models.Model):
    """Something happened that people should hear about."""

    kind = models.CharField(_("jenis"), max_length=40)
    level = models.CharField(_("tingkat"), max_length=10, choices=AlertLevel.choices)
    classification = models.CharField(
        _("klasifikasi"), max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    # What the title and body are made of, rendered in the reader's language (notify/texts.py).
    # ``title`` and ``body`` keep the Indonesian rendering: the fallback for rows from before.
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    disposition = models.ForeignKey(
        "response.Disposition", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    forums = models.ManyToManyField("forums.Forum", blank=True, related_name="+")
    persons = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    tell_reporter = models.BooleanField(default=False)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peristiwa notifikasi")
        verbose_name_plural = _("peristiwa notifikasi")
        indexes = [models.Index(fields=["processed_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.title[:60]}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line in a person's notification centre."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_notification_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.event_id}"


class Preference(models.Model):
    """How a person wants to hear through one channel: from which level, and quiet hours (WITA).

    An ``awas`` event ignores quiet hours. Without a row, the defaults in ``preferences.py`` apply.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("saluran"), max_length=10, choices=ChannelName.choices)
    enabled = models.BooleanField(_("aktif"), default=True)
    min_level = models.CharField(
        _("mulai tingkat"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.WASPADA
    )
    quiet_start = models.TimeField(_("jam tenang mulai"), null=True, blank=True)
    quiet_end = models.TimeField(_("jam tenang selesai"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], name="one_preference_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.channel} ≥{self.min_level}"


class ChatAccount(models.Model):
    """A person's account on a chat network (Matrix ID, Telegram chat id), linked by an admin or code."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("saluran"), max_length=10, choices=ChannelName.choices)
    address = models.CharField(_("alamat"), max_length=255)
    direct_room = models.CharField(max_length=255, blank=True)  # Matrix: the bot's DM room with them
    linked_at = models.DateTimeField(default=timezone.now)
    # WhatsApp: when this number last wrote to us. Free-form messages may go out for 24 hours after
    # it (the customer service window); outside it only an approved template (channels/whatsapp.py).
    last_inbound_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("akun obrolan")
        verbose_name_plural = _("akun obrolan")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="one_person_per_chat_address"),
            models.UniqueConstraint(fields=["person", "channel"], name="one_chat_account_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"


class LinkCode(models.Model):
    """A one-time code a person sends to the bot (``!tautkan KODE``) to link their chat account;
    or, with ``address``, a code Waspada sent to that WhatsApp number, which the person enters in
    the app to link it (``notify/actions.py``: ``send_whatsapp_code``, ``confirm_whatsapp_code``)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=ChannelName.choices, blank=True)
    address = models.CharField(max_length=255, blank=True)  # the number the code was sent to
    attempts = models.PositiveSmallIntegerField(default=0)  # wrong codes entered for it
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"kode {self.person_id}"


class Room(models.Model):
    """A group chat the bot keeps: the cross-forum room (no forum) or one forum's room."""

    channel = models.CharField(max_length=10, choices=ChannelName.choices, default=ChannelName.MATRIX)
    address = models.CharField(_("ID ruang"), max_length=255)
    name = models.CharField(_("nama"), max_length=200)
    forum = models.ForeignKey(
        "forums.Forum", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    min_level = models.CharField(
        _("mulai tingkat"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.SIAGA
    )

    class Meta:
        verbose_name = _("ruang obrolan")
        verbose_name_plural = _("ruang obrolan")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="one_room_per_address"),
            models.UniqueConstraint(fields=["channel", "forum"], name="one_room_per_forum"),
        ]

    def __str__(self) -> str:
        return self.name


class Webhook(models.Model):
    """Another government system told of events by a signed POST (HMAC-SHA256 of the body)."""

    name = models.CharField(_("nama"), max_length=200)
    url = models.URLField(_("alamat"), max_length=500)
    secret = models.CharField(_("rahasia penandatanganan"), max_length=200)
    min_level = models.CharField(
        _("mulai tingkat"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.SIAGA
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal permanen")
    UNCERTAIN = "uncertain", _("Tidak pasti: periksa")
    WITHHELD = "withheld", _("Ditahan (tidak semua anggota ruang berhak)")


class Delivery(models.Model):
    """One message to send: (event, recipient, channel) is unique, and so is its idempotency key."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=ChannelName.choices)
    recipient = models.CharField(max_length=60)  # "person:12", "room:3", "webhook:1"
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=255, blank=True)
    # What the platform last said of the message (WhatsApp status webhooks: sent, delivered, read, failed).
    platform_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.recipient} ({self.channel}, {self.status})"


class CommandLog(models.Model):
    """Every chat command received, once (a re-read message is not acted on twice)."""

    channel = models.CharField(max_length=10, choices=ChannelName.choices)
    message_id = models.CharField(max_length=255)
    sender = models.CharField(max_length=255)
    room = models.CharField(max_length=255, blank=True)
    command = models.CharField(max_length=30)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20)  # ok, ditolak, galat
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("perintah obrolan")
        verbose_name_plural = _("perintah obrolan")
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="one_log_per_chat_message")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.sender} {self.command} {self.outcome}"


class BotState(models.Model):
    """Where a bot's long-poll left off (Matrix ``next_batch``, Telegram update offset)."""

    channel = models.CharField(max_length=10, choices=ChannelName.choices, unique=True)
    cursor = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.channel}: {self.cursor[:20]}"


class InboundMessage(models.Model):
    """A chat message received by webhook (WhatsApp, SMS), remembered by the platform's id (SMS: a
    key made from the sender, the gateway's message id and the time received) so that a replayed
    or re-delivered webhook is not acted on twice. Only messages of linked numbers."""

    channel = models.CharField(max_length=10, choices=ChannelName.choices)
    message_id = models.CharField(max_length=255)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="one_inbound_per_message_id")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.message_id}"


class UnlinkedAnswer(models.Model):
    """That an unlinked number was told how to get linked, so that it is told at most once per
    ``WASPADA_UNLINKED_REPLY_HOURS``. Nothing of the message and not the number: a keyed digest
    of the number (HMAC-SHA256 with the site's secret key), deleted once the hours have passed."""

    channel = models.CharField(max_length=10, choices=ChannelName.choices)
    digest = models.CharField(max_length=64)
    answered_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "digest"], name="one_unlinked_answer_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.digest[:8]}"
