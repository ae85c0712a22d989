"""What the security layer keeps in the database, so that every gunicorn worker agrees.

- ``TotpDevice`` and ``RecoveryCode``: a person's second factor (two_factor.py). The TOTP secret
  is Fernet-encrypted like informants' identities; recovery codes are kept as SHA-256 digests.
- ``LoginThrottle``: failed logins per account name, per client network and per both (throttle.py).
- ``KnownAddress``: the networks a person completed a login from (throttle.py).
- ``RateCounter``: requests per key and fixed time window (ratelimit.py).

Nothing here is edited by hand: the admin shows none of it, and writes go through the modules
named above.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238 TOTP, 30 s, 6 digits, SHA-1: what every app supports).

    A person has at most one confirmed device and at most one pending one (enrolment started,
    code not yet confirmed). Confirming a pending device replaces the confirmed one.
    ``last_step`` is the newest time step accepted, so a code is never accepted twice.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_devices"
    )
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("aplikasi autentikator")
        verbose_name_plural = _("aplikasi autentikator")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(confirmed_at__isnull=False), name="one_confirmed_totp_device"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(confirmed_at__isnull=True), name="one_pending_totp_device"
            ),
        ]

    def __str__(self) -> str:
        state = "aktif" if self.confirmed_at else "menunggu konfirmasi"
        return f"autentikator {self.person_id} ({state})"  # never the secret


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost. Only its SHA-256 digest is stored: the
    codes are 80 random bits, so a fast hash is enough (as for API tokens)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    def __str__(self) -> str:
        return f"kode pemulihan {self.pk} ({self.person_id})"


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", _("akun")
    ADDRESS = "address", _("alamat")
    PAIR = "pair", _("akun dari satu alamat")


class KnownAddress(models.Model):
    """A client network (``addresses.network_of``) a person completed a login from: the account's
    delay for guessing from elsewhere does not apply there (throttle.py)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_login_addresses"
    )
    network = models.CharField(max_length=64)
    last_login_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="one_known_address_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.network}"


class LoginThrottle(models.Model):
    """The current series of failed logins for one account name or one client network.

    ``key`` is the user name as typed (case-folded), whether or not such an account exists, so
    that a lockout says nothing about which accounts exist; or the client's address (an IPv6
    client's /64 network). A series starts with the first failure and ends after a quiet
    window; ``lockouts`` counts the lockouts in the series, each twice as long as the last.
    """

    scope = models.CharField(max_length=8, choices=ThrottleScope.choices)
    key = models.CharField(max_length=200)
    failures = models.PositiveIntegerField(default=0)
    series_started_at = models.DateTimeField()
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    lockouts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_login_throttle_per_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class RateCounter(models.Model):
    """How many requests one key made in one fixed window (``window_start``)."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_rate_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start:%H:%M:%S}: {self.hits}"
