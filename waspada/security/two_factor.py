"""Two-step login: a password, then a code from an authenticator app (TOTP) or a recovery code.

Who must use it (``requires_second_factor``): Kesbangpol administrators and everyone else who
enters the admin (``is_staff``, superusers), the TKD's analysts and leadership (``can_triage``),
and informant handlers. Anyone else may turn it on; once on, it is asked at every login.

How it is enforced: the password step logs the person in as usual, and ``SecondFactorMiddleware``
then lets that session reach only the verification page (or, for a person who must use it and
has no authenticator yet, the enrolment page), the login page and logout; the API treats it as
not logged in. A session is verified when it holds the id of the person's current confirmed
device (``SESSION_KEY``), so resetting or replacing the device ends every verified session.

Writes go through the functions below; each records its audit entry in its transaction. The
secret is never written to the audit trail or to a log.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.lib import crypto
from waspada.people.tokens import revoke_all_tokens
from waspada.security.models import RecoveryCode, TotpDevice

if TYPE_CHECKING:
    from waspada.people.models import Person

SESSION_KEY = "waspada_second_factor"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand
_RECOVERY_LENGTH = 16  # 16 symbols of 31: 79 bits


class State(enum.Enum):
    OK = "ok"  # fully logged in, or no second factor needed
    VERIFY = "verify"  # has an authenticator, has not given a code in this session
    ENROL = "enrol"  # must use a second factor and has no authenticator yet


def requires_second_factor(person: Any) -> bool:
    """Whether this person may only use Waspada after a second factor (see module docstring)."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    if person.is_superuser or person.is_staff or person.is_kesbangpol_admin or person.is_informant_handler:
        return True
    from waspada.reports.visibility import can_triage

    return can_triage(person)


def confirmed_device(person: Person) -> TotpDevice | None:
    return TotpDevice.objects.filter(person_id=person.pk, confirmed_at__isnull=False).first()


def state_of(request: HttpRequest) -> State:
    """Where this request's session stands (computed once per request)."""
    cached = getattr(request, "_second_factor_state", None)
    if isinstance(cached, State):
        return cached
    person = request.user
    state = State.OK
    if person.is_authenticated:
        device_id = (
            TotpDevice.objects.filter(person_id=person.pk, confirmed_at__isnull=False)
            .values_list("pk", flat=True)
            .first()
        )
        if device_id is not None:
            state = State.OK if request.session.get(SESSION_KEY) == device_id else State.VERIFY
        elif requires_second_factor(person):
            state = State.ENROL
    request._second_factor_state = state  # type: ignore[attr-defined]
    return state


def mark_verified(request: HttpRequest, device: TotpDevice) -> None:
    """This session has given a valid code for ``device``; a new session id for the new rights."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = device.pk
    request._second_factor_state = State.OK  # type: ignore[attr-defined]


def forget_verification(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.__dict__.pop("_second_factor_state", None)


# --- codes ---------------------------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)  # 30 s steps, 6 digits, SHA-1: what every authenticator app does


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to, allowing one step of clock drift either way, or None."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = _totp(secret)
    current = int(time.time() if now is None else now) // totp.interval
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _new_recovery_codes(person: Person) -> list[str]:
    """Replace the person's recovery codes; returns the new ones, shown once (inside a transaction)."""
    RecoveryCode.objects.filter(person_id=person.pk).delete()
    codes = []
    for _n in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(person_id=person.pk, digest=_recovery_digest(code)) for code in codes]
    )
    return codes


# --- enrolment -------------------------------------------------------------------------------


def start_enrolment(*, person: Person) -> TotpDevice:
    """The person's pending authenticator, made with a new secret if there is none yet.

    Nothing is in force until ``confirm_enrolment``: reloading the page shows the same secret, so
    a person who already scanned it is not confused by a new one.
    """
    with transaction.atomic():
        pending = TotpDevice.objects.filter(person_id=person.pk, confirmed_at__isnull=True).first()
        if pending is None:
            pending = TotpDevice.objects.create(
                person_id=person.pk, secret_encrypted=crypto.encrypt(pyotp.random_base32())
            )
    return pending


def secret_of(device: TotpDevice) -> str:
    return crypto.decrypt(device.secret_encrypted)


def provisioning_uri(device: TotpDevice, person: Person) -> str:
    return _totp(secret_of(device)).provisioning_uri(
        name=person.get_username(), issuer_name=settings.WASPADA_SITE_NAME
    )


def qr_code_data_uri(device: TotpDevice, person: Person) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI, drawn here (no outside service)."""
    return str(segno.make(provisioning_uri(device, person), error="m").svg_data_uri(scale=5, border=4))


def confirm_enrolment(
    *, person: Person, code: str, request: HttpRequest | None = None
) -> tuple[TotpDevice, list[str]]:
    """Turn the pending authenticator on with a code it shows; returns it and new recovery codes.

    Replaces the previous authenticator and recovery codes, if any. ``ValidationError`` when
    there is no pending authenticator or the code does not match.
    """
    with transaction.atomic():
        pending = (
            TotpDevice.objects.select_for_update()
            .filter(person_id=person.pk, confirmed_at__isnull=True)
            .first()
        )
        if pending is None:
            raise ValidationError(
                _("Pendaftaran sudah kedaluwarsa. Muat ulang halaman dan pindai kode QR lagi.")
            )
        step = matching_step(secret_of(pending), code)
        if step is None:
            raise ValidationError(
                _(
                    "Kode tidak cocok. Periksa jam di ponsel Anda dan masukkan kode 6 angka "
                    "yang sedang tampil."
                )
            )
        replaced = TotpDevice.objects.filter(person_id=person.pk, confirmed_at__isnull=False).delete()[0] > 0
        pending.confirmed_at = timezone.now()
        pending.last_step = step
        pending.save(update_fields=["confirmed_at", "last_step"])
        codes = _new_recovery_codes(person)
        record(
            action="two_factor.enrolled",
            actor=person,
            obj=person,
            changes={"replaced_previous": replaced, "recovery_codes": len(codes)},
            request=request,
        )
    return pending, codes


# --- verification ----------------------------------------------------------------------------


class Method(enum.Enum):
    TOTP = "totp"
    RECOVERY = "recovery"


def verify(*, person: Person, code: str, request: HttpRequest | None = None) -> Method | None:
    """Check a code from the authenticator or a recovery code; None if it is not valid.

    An authenticator code is accepted once (its time step must be newer than the last one
    accepted: a conditional UPDATE, so two workers cannot both accept it). A recovery code is
    used up; using one is recorded in the audit trail with the number left.
    """
    device = confirmed_device(person)
    if device is None:
        return None
    step = matching_step(secret_of(device), code)
    if step is not None:
        accepted = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        return Method.TOTP if accepted else None
    normalised = _normalise(code)
    if len(normalised) != _RECOVERY_LENGTH:
        return None
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            person_id=person.pk, digest=_recovery_digest(normalised), used_at__isnull=True
        ).update(used_at=timezone.now())
        if not used:
            return None
        left = RecoveryCode.objects.filter(person_id=person.pk, used_at__isnull=True).count()
        record(
            action="two_factor.recovery_code_used",
            actor=person,
            obj=person,
            changes={"recovery_codes_left": left},
            request=request,
        )
    return Method.RECOVERY


def recovery_codes_left(person: Person) -> int:
    return RecoveryCode.objects.filter(person_id=person.pk, used_at__isnull=True).count()


def renew_recovery_codes(*, person: Person, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes (the old ones stop working); only for a person with an authenticator."""
    with transaction.atomic():
        if confirmed_device(person) is None:
            raise ValidationError(_("Aktifkan aplikasi autentikator terlebih dahulu."))
        codes = _new_recovery_codes(person)
        record(action="two_factor.recovery_codes_renewed", actor=person, obj=person, request=request)
    return codes


def reset_second_factor(
    *, person: Person, by: Person | None, request: HttpRequest | None = None, channel: str = Channel.WEB
) -> bool:
    """Remove the person's authenticator and recovery codes (a lost phone); False if there were none.

    Every verified session of the person ends with it. A person who must use a second factor
    is asked to enrol again at the next page they open.
    """
    with transaction.atomic():
        devices = TotpDevice.objects.filter(person_id=person.pk).delete()[0]
        codes = RecoveryCode.objects.filter(person_id=person.pk).delete()[0]
        if not devices and not codes:
            return False
        record(
            action="two_factor.reset",
            actor=by,
            obj=person,
            changes={"must_enrol_again": requires_second_factor(person)},
            request=request,
            channel=channel,
        )
        # A token taken with the lost phone's help must not outlive it.
        revoke_all_tokens(person=person, by=by, reason="two_factor_reset", request=request, channel=channel)
    return True


def turn_off(*, person: Person, code: str, request: HttpRequest | None = None) -> None:
    """A person who may go without a second factor turns it off, proving it with a current code."""
    if requires_second_factor(person):
        raise ValidationError(_("Verifikasi dua langkah wajib untuk peran Anda dan tidak dapat dimatikan."))
    if verify(person=person, code=code, request=request) is None:
        raise ValidationError(_("Kode tidak cocok."))
    with transaction.atomic():
        TotpDevice.objects.filter(person_id=person.pk).delete()
        RecoveryCode.objects.filter(person_id=person.pk).delete()
        record(action="two_factor.turned_off", actor=person, obj=person, request=request)


# --- enforcement -----------------------------------------------------------------------------

# What a session may open before its second factor, by state (URL names).
_OPEN_WHILE = {
    State.VERIFY: {"two_factor_verify"},
    State.ENROL: {"two_factor_enrol"},
}
_ALWAYS_OPEN = {"login", "logout", "set_language", "service-worker"}


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


def next_step_url(state: State, next_url: str = "") -> str:
    name = "two_factor_verify" if state is State.VERIFY else "two_factor_enrol"
    url = reverse(name)
    return f"{url}?next={quote(next_url)}" if next_url else url


class SecondFactorMiddleware:
    """Holds a password-only session at the second step (see module docstring). After
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path_info.startswith(settings.STATIC_URL):
            state = state_of(request)
            if state is not State.OK:
                name = _url_name(request)
                if name not in _OPEN_WHILE[state] and name not in _ALWAYS_OPEN:
                    if request.path_info.startswith("/api/"):
                        # The API answers as for no login (401); a token still works.
                        request.user = AnonymousUser()
                    else:
                        target = request.get_full_path() if request.method == "GET" else ""
                        return HttpResponseRedirect(next_step_url(state, target))
        return self.get_response(request)
