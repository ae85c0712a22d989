"""E-mail over SMTP through Django's mail settings (EMAIL_HOST…)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from waspada.notify.channels import DeliveryError, Message


class EmailChannel:
    name = "email"
    # The Message-ID is the delivery's key, so a mail client shows a repeated send once.
    dedupes = True

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        message_id = f"<{idempotency_key}@{domain}>"
        mail = EmailMessage(
            subject=message.subject,
            body=message.text + (f"\n\n{message.url}" if message.url else ""),
            to=[address],
            headers={"Message-ID": message_id, "X-Waspada-Level": message.level},
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"alamat ditolak: {exc}", retryable=False) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", retryable=exc.smtp_code < 500
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP tidak terjangkau: {exc}", retryable=True) from exc
        return message_id
