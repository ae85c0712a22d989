"""Every write of the notify app that a person causes: linking chat accounts, one-time codes,
preferences, marking notifications read. Audited like every other action."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.lib.taxonomy import AlertLevel
from waspada.notify.models import (
    ChannelName,
    ChatAccount,
    LinkCode,
    Notification,
    Preference,
    UnlinkedAnswer,
)

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from waspada.people.models import Person

LINK_CODE_LIFETIME = timedelta(minutes=30)
CHAT_CHANNELS = (ChannelName.MATRIX, ChannelName.TELEGRAM, ChannelName.WHATSAPP, ChannelName.SMS)


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def _check_address(channel: str, address: str) -> str:
    address = address.strip()
    if channel not in CHAT_CHANNELS:
        raise ValidationError({"channel": [_("Saluran obrolan tidak dikenal.")]})
    if channel == ChannelName.MATRIX and not (
        address.startswith("@") and ":" in address and len(address) < 256
    ):
        raise ValidationError({"address": [_("ID Matrix harus berbentuk @nama:server.")]})
    if channel == ChannelName.TELEGRAM and not address.lstrip("-").isdigit():
        raise ValidationError({"address": [_("ID obrolan Telegram harus berupa angka.")]})
    if channel == ChannelName.WHATSAPP:
        return whatsapp_number(address)
    if channel == ChannelName.SMS:
        number = phone_number(address)
        if number is None:
            raise ValidationError(
                {"address": [_("Nomor SMS harus berupa angka dengan kode negara, mis. 6281234567890.")]}
            )
        return number
    return address


def phone_number(value: str) -> str | None:
    """A phone number as WhatsApp writes it (``wa_id``) and as SMS numbers are stored: digits with
    the country code, no plus. ``+62 812-3456-7890`` and ``0812 3456 7890`` both become
    ``6281234567890``; None when it is not a number (a name, a short code)."""
    digits = re.sub(r"[\s().-]", "", value.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        return None
    return digits


def whatsapp_number(value: str) -> str:
    number = phone_number(value)
    if number is None:
        raise ValidationError(
            {"address": [_("Nomor WhatsApp harus berupa angka dengan kode negara, mis. 6281234567890.")]}
        )
    return number


def link_account(*, person: Person, channel: str, address: str, by: Person | None) -> ChatAccount:
    """Link a chat account to a person (an admin's act, or the end of redeeming a code)."""
    address = _check_address(channel, address)
    try:
        with transaction.atomic():
            ChatAccount.objects.filter(person=person, channel=channel).delete()
            account = ChatAccount.objects.create(person=person, channel=channel, address=address)
            record(
                action="notify.account_linked",
                actor=by,
                obj=person,
                changes={"channel": channel, "address": address},
            )
    except IntegrityError as exc:
        raise ValidationError({"address": [_("Akun ini sudah tertaut ke orang lain.")]}) from exc
    return account


def unlink_account(*, person: Person, channel: str, by: Person | None) -> None:
    with transaction.atomic():
        deleted, _rows = ChatAccount.objects.filter(person=person, channel=channel).delete()
        if deleted:
            record(action="notify.account_unlinked", actor=by, obj=person, changes={"channel": channel})


def create_link_code(*, person: Person) -> str:
    """A one-time code (valid 30 minutes) the person sends to the bot: ``!tautkan KODE``."""
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    with transaction.atomic():
        LinkCode.objects.filter(person=person, used_at__isnull=True).delete()
        LinkCode.objects.create(
            person=person, digest=_digest(code), expires_at=timezone.now() + LINK_CODE_LIFETIME
        )
        record(action="notify.link_code_created", actor=person, obj=person, changes={})
    return code


def redeem_link_code(*, code: str, channel: str, address: str) -> ChatAccount:
    """Use a one-time code once, before it expires, to link ``address`` to its person."""
    with transaction.atomic():
        link = (
            LinkCode.objects.select_for_update()
            .select_related("person")
            .filter(digest=_digest(code), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if link is None:
            raise ValidationError({"code": [_("Kode tidak dikenal, sudah dipakai, atau kedaluwarsa.")]})
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        return link_account(person=link.person, channel=channel, address=address, by=link.person)


WHATSAPP_CODE_LIFETIME = timedelta(minutes=10)
WHATSAPP_CODE_ATTEMPTS = 5  # wrong entries before the code is spent
WHATSAPP_CODE_RESEND = timedelta(seconds=60)  # one code a minute per person
WHATSAPP_CODES_PER_DAY = 10  # per person: each costs an authentication template


def _number_digest(person: Person, number: str, code: str) -> str:
    return _digest(f"{person.pk}:{number}:{code}")


def send_whatsapp_code(*, person: Person, number: str) -> str:
    """Send a six-digit code to ``number`` by WhatsApp (the approved authentication template of
    ``WASPADA_WHATSAPP_CODE_TEMPLATE``: the number may never have written to us); the person then
    enters it in the app (``confirm_whatsapp_code``). Returns the normalised number. Refused, with
    nothing sent, when the number is linked to someone else or codes are asked too often."""
    from waspada.notify.channels import DeliveryError
    from waspada.notify.channels.whatsapp import send_code

    try:
        number = whatsapp_number(number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.message_dict["address"]}) from exc
    if (
        ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address=number)
        .exclude(person=person)
        .exists()
    ):
        raise ValidationError({"number": [_("Nomor WhatsApp ini sudah tertaut ke orang lain.")]})
    now = timezone.now()
    sent = LinkCode.objects.filter(
        person=person, channel=ChannelName.WHATSAPP, created_at__gte=now - timedelta(days=1)
    )
    if sent.filter(created_at__gt=now - WHATSAPP_CODE_RESEND).exists():
        raise ValidationError(
            {"number": [_("Kode baru saja dikirim; tunggu satu menit sebelum meminta lagi.")]}
        )
    if sent.count() >= WHATSAPP_CODES_PER_DAY:
        raise ValidationError(
            {
                "number": [
                    _("Batas %(n)d kode per hari tercapai; coba lagi besok.") % {"n": WHATSAPP_CODES_PER_DAY}
                ]
            }
        )
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # An earlier code still waiting is spent: only the newest one links.
        LinkCode.objects.filter(person=person, channel=ChannelName.WHATSAPP, used_at__isnull=True).update(
            used_at=now
        )
        LinkCode.objects.create(
            person=person,
            channel=ChannelName.WHATSAPP,
            address=number,
            digest=_number_digest(person, number, code),
            expires_at=now + WHATSAPP_CODE_LIFETIME,
            created_at=now,
        )
        record(action="notify.whatsapp_code_sent", actor=person, obj=person, changes={"number": number})
        try:
            send_code(number, code, person)  # a failure rolls the code back: nothing half-written
        except DeliveryError as exc:
            # The reason (a setting's name, the platform's error) is for the administrator's log
            # and health page, not for the member typing her number.
            logger.warning("WhatsApp link code not sent to person %s: %s", person.pk, exc)
            raise ValidationError(
                {
                    "number": [
                        _(
                            "Kode tidak dapat dikirim ke WhatsApp saat ini. Coba lagi nanti, atau minta "
                            "admin Kesbangpol menautkan nomor Anda."
                        )
                    ]
                }
            ) from exc
    return number


def pending_whatsapp_code(person: Person) -> LinkCode | None:
    return (
        LinkCode.objects.filter(
            person=person,
            channel=ChannelName.WHATSAPP,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def confirm_whatsapp_code(*, person: Person, code: str) -> ChatAccount:
    """Link the number the person's pending code was sent to, if ``code`` is that code. Each wrong
    entry is counted and audited; after five the code is spent."""
    code = re.sub(r"\s", "", code or "")
    if not code.isdigit() or len(code) != 6:
        raise ValidationError({"code": [_("Kode terdiri dari 6 angka.")]})
    with transaction.atomic():
        link = pending_whatsapp_code(person)
        if link is not None:
            link = LinkCode.objects.select_for_update().get(pk=link.pk)
        if link is None or link.used_at is not None:
            raise ValidationError(
                {"code": [_("Tidak ada kode yang menunggu atau kode kedaluwarsa; minta kode baru.")]}
            )
        if not hmac.compare_digest(link.digest, _number_digest(person, link.address, code)):
            link.attempts += 1
            if link.attempts >= WHATSAPP_CODE_ATTEMPTS:
                link.used_at = timezone.now()
            link.save(update_fields=["attempts", "used_at"])
            record(
                action="notify.whatsapp_code_wrong",
                actor=person,
                obj=person,
                changes={"number": link.address, "attempts": link.attempts},
            )
            left = WHATSAPP_CODE_ATTEMPTS - link.attempts
            wrong = (
                _("Kode salah. Sisa %(n)d kali percobaan.") % {"n": left}
                if left
                else _("Kode salah lima kali; kode ini tidak berlaku lagi. Minta kode baru.")
            )
        else:
            wrong = ""
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
            account = link_account(
                person=person, channel=ChannelName.WHATSAPP, address=link.address, by=person
            )
    # Outside the block: the wrong attempt stays counted and audited.
    if wrong:
        raise ValidationError({"code": [wrong]})
    return account


def may_answer_unlinked(*, channel: str, number: str) -> bool:
    """Whether an unlinked ``number`` is to be told how to get linked now: at most once per
    ``WASPADA_UNLINKED_REPLY_HOURS`` (0: every time). Remembers only a keyed digest of the
    number, for those hours (``UnlinkedAnswer``)."""
    from django.conf import settings

    hours = settings.WASPADA_UNLINKED_REPLY_HOURS
    if hours <= 0:
        return True
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{channel}:{number}".encode(), hashlib.sha256
    ).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        UnlinkedAnswer.objects.filter(answered_at__lt=now - timedelta(hours=hours)).delete()
        try:
            with transaction.atomic():
                UnlinkedAnswer.objects.create(channel=channel, digest=digest, answered_at=now)
        except IntegrityError:
            return False
    return True


def set_preference(
    *,
    person: Person,
    channel: str,
    enabled: bool,
    min_level: str,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
) -> Preference:
    if channel not in (ChannelName.EMAIL, *CHAT_CHANNELS):
        raise ValidationError({"channel": [_("Saluran tidak dikenal.")]})
    if min_level not in AlertLevel.values:
        raise ValidationError({"min_level": [_("Pilihan tidak dikenal: %(value)s.") % {"value": min_level}]})
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(
            {"quiet_end": [_("Isi jam tenang mulai dan selesai, atau kosongkan keduanya.")]}
        )
    with transaction.atomic():
        pref, _created = Preference.objects.update_or_create(
            person=person,
            channel=channel,
            defaults={
                "enabled": enabled,
                "min_level": min_level,
                "quiet_start": quiet_start,
                "quiet_end": quiet_end,
            },
        )
        record(
            action="notify.preference_set",
            actor=person,
            obj=person,
            changes={"channel": channel, "enabled": enabled, "min_level": min_level},
        )
    return pref


def mark_read(*, person: Person, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's notifications read; nobody else's."""
    rows = Notification.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
