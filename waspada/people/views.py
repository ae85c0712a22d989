"""The person's own pages. Logging in and passwords use Django's views (see urls.py).

Logging in has two steps for whoever uses a second factor (``waspada.security.two_factor``):
the password here, then a code on ``two_factor_verify``; a person who must use one and has none
yet is sent to ``two_factor_enrol`` first. Failed passwords and codes count towards the login
throttle (``waspada.security.throttle``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waspada.audit.actions import record
from waspada.lib.requests import person_of
from waspada.people.models import Person
from waspada.people.tokens import create_token, revoke_all_tokens, revoke_token
from waspada.security import two_factor
from waspada.security.throttle import (
    Lockout,
    clear_account,
    current_lockout,
    person_for,
    register_failure,
    register_success,
    reset_mail_allowed,
)
from waspada.security.two_factor import State, state_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Who I am to Waspada: my details, the forums I sit in, and my API tokens.

    POST with ``token_name`` makes a token and shows it once on the page that answers; POST
    with ``revoke`` (a token id of mine) revokes it.
    """
    person = person_of(request)
    new_token = ""
    token_error = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            token = person.api_tokens.filter(pk=request.POST.get("revoke") or 0).first()
            if token is None:
                raise Http404
            revoke_token(token=token, by=person)
            return redirect("profile")
        try:
            _token, new_token = create_token(
                person=person, name=request.POST.get("token_name", ""), by=person
            )
        except ValidationError as error:
            token_error = " ".join(error.messages)
    return render(
        request,
        "people/profile.html",
        {
            "person": person,
            "memberships": person.current_memberships().order_by("forum__level", "forum__code"),
            "tokens": person.api_tokens.all(),
            "new_token": new_token,
            "token_error": token_error,
            "two_factor_on": two_factor.confirmed_device(person) is not None,
        },
    )


class InstallationNameMixin:
    """Keep the installation's name in the page header.

    Django's auth views put ``site_name`` (the host name, without django.contrib.sites) into
    the context, overriding the one from ``waspada.core.context_processors.site``.
    """

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["site_name"] = settings.WASPADA_SITE_NAME
        return context


def _lockout_message(lockout: Lockout) -> str:
    # The same words whether the name is an account or not, and whatever was locked (name or address).
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, coba lagi dalam %(minutes)d menit. "
        "Jika lupa kata sandi, gunakan tautan di bawah."
    ) % {"minutes": lockout.minutes}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form behind the login throttle: while a lockout holds, no password is
    checked; each wrong password is counted."""

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        password = self.cleaned_data.get("password")
        if self.request is None:
            raise ValueError("ThrottledAuthenticationForm needs the request")
        if username and password:
            lockout = current_lockout(username=username, request=self.request)
            if lockout is not None:
                raise ValidationError(_lockout_message(lockout), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if username and password:
                person = person_for(username)
                lockout = register_failure(username=username, request=self.request, person=person)
                if lockout is not None:
                    raise ValidationError(_lockout_message(lockout), code="locked") from None
            raise


class LoginView(InstallationNameMixin, auth_views.LoginView):
    """The password step. A person who uses a second factor goes on to its page, logged in but
    held there by ``SecondFactorMiddleware`` until the code is given."""

    form_class = ThrottledAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        person = form.get_user()
        auth_login(self.request, person)
        two_factor.forget_verification(self.request)
        state = state_of(self.request)
        if state is State.OK:
            register_success(person=person, request=self.request)
            return HttpResponseRedirect(self.get_success_url())
        return HttpResponseRedirect(two_factor.next_step_url(state, self.get_success_url()))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    person = person_of(request)
    next_url = _next_url(request)
    state = state_of(request)
    if state is State.OK:
        return redirect(next_url)
    if state is State.ENROL:
        return redirect(two_factor.next_step_url(state, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lockout = current_lockout(username=person.get_username(), request=request)
        if lockout is None:
            method = two_factor.verify(person=person, code=form.cleaned_data["code"], request=request)
            device = two_factor.confirmed_device(person)
            if method is not None and device is not None:
                two_factor.mark_verified(request, device)
                register_success(person=person, request=request)
                if method is two_factor.Method.RECOVERY:
                    messages.warning(
                        request,
                        _(
                            "Anda masuk dengan kode pemulihan. Sisa kode: %(left)d. "
                            "Buat kode baru di halaman profil."
                        )
                        % {"left": two_factor.recovery_codes_left(person)},
                    )
                return redirect(next_url)
            lockout = register_failure(
                username=person.get_username(), request=request, person=person, reason="second_factor"
            )
            if lockout is None:
                form.add_error(
                    "code", _("Kode tidak cocok. Masukkan kode 6 angka yang sedang tampil di aplikasi.")
                )
        if lockout is not None:
            auth_logout(request)
            messages.error(request, _lockout_message(lockout))
            return redirect("login")
    return render(request, "people/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Turn on (or replace) the authenticator app: scan the QR code, confirm with a code."""
    person = person_of(request)
    next_url = _next_url(request)
    state = state_of(request)
    if state is State.VERIFY:
        # Only a session that gave its current code may replace the authenticator.
        return redirect(two_factor.next_step_url(state, next_url))
    device = two_factor.start_enrolment(person=person)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_enrolment(
                person=person, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            two_factor.mark_verified(request, device)
            register_success(person=person, request=request)
            return render(
                request,
                "people/two_factor_recovery_codes.html",
                {"codes": codes, "next": next_url, "new": True},
            )
    secret = two_factor.secret_of(device)
    return render(
        request,
        "people/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_data_uri(device, person),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": two_factor.requires_second_factor(person),
            "replacing": two_factor.confirmed_device(person) is not None,
        },
    )


@login_required
def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """Status, new recovery codes, and turning it off (only for whom it is optional)."""
    person = person_of(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            try:
                codes = two_factor.renew_recovery_codes(person=person, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("two_factor_manage")
            return render(request, "people/two_factor_recovery_codes.html", {"codes": codes, "next": ""})
        if request.POST.get("action") == "turn_off" and form.is_valid():
            try:
                two_factor.turn_off(person=person, code=form.cleaned_data["code"], request=request)
            except ValidationError as error:
                form.add_error("code", error)
            else:
                messages.success(request, _("Verifikasi dua langkah dimatikan."))
                return redirect("profile")
    device = two_factor.confirmed_device(person)
    return render(
        request,
        "people/two_factor_manage.html",
        {
            "form": form,
            "device": device,
            "required": two_factor.requires_second_factor(person),
            "codes_left": two_factor.recovery_codes_left(person) if device else 0,
        },
    )


class PasswordResetView(InstallationNameMixin, auth_views.PasswordResetView):
    """Django's reset view, with the installation's name in the email instead of the host name.

    Like Django's, it answers the same for an unknown address as for a known one, so that the
    form cannot be used to find out who has an account. Mail is limited per address typed and per
    client network (``reset_mail_allowed``); beyond the limit the answer is the same and no mail
    goes out.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_name": settings.WASPADA_SITE_NAME}

    def form_valid(self, form: Any) -> HttpResponse:
        if not reset_mail_allowed(email=form.cleaned_data["email"], request=self.request):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(InstallationNameMixin, auth_views.PasswordResetDoneView):
    pass


RESET_SESSION_TOKEN = auth_views.INTERNAL_RESET_SESSION_TOKEN


def password_reset_link(request: HttpRequest) -> HttpResponse:
    """Where the emailed link leads: ``/akun/sandi/atur/tautan/#<uid>/<token>``.

    The token is in the fragment, which browsers never send: it appears in no access log (nginx,
    gunicorn) and in no Referer. The page's script (``people/reset-link.js``) posts it; without
    scripts the person pastes the part after ``#``. A valid token goes into the session and the
    browser on to Django's token-less form (``.../set-password/``), as Django does itself.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    valid = True
    if request.method == "POST":
        uidb64, _slash, token = str(request.POST.get("code") or "").strip().lstrip("#").partition("/")
        token = token.strip("/")
        try:
            person = Person.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
        except (ValueError, TypeError, OverflowError, UnicodeDecodeError, Person.DoesNotExist):
            person = None
        if person is not None and default_token_generator.check_token(person, token):
            request.session[RESET_SESSION_TOKEN] = token
            return redirect(
                "password_reset_confirm",
                uidb64=uidb64,
                token=auth_views.PasswordResetConfirmView.reset_url_token,
            )
        valid = False
    return render(
        request,
        "registration/password_reset_link.html",
        {"validlink": valid, "site_name": settings.WASPADA_SITE_NAME},
    )


class PasswordResetConfirmView(InstallationNameMixin, auth_views.PasswordResetConfirmView):
    """Setting the new password also revokes the person's API tokens and ends every login
    lockout or delay of the account, in one transaction with their audit entries."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            person = form.user
            revoked = revoke_all_tokens(
                person=person, by=person, reason="password_reset", request=self.request
            )
            cleared = clear_account(person=person)
            record(
                action="person.password_reset",
                actor=person,
                obj=person,
                changes={"tokens_revoked": revoked, "login_series_ended": cleared},
                request=self.request,
            )
        return response


class PasswordResetCompleteView(InstallationNameMixin, auth_views.PasswordResetCompleteView):
    pass


class PasswordChangeView(InstallationNameMixin, auth_views.PasswordChangeView):
    """A new password revokes the person's API tokens (same transaction, audited)."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            person = form.user
            revoked = revoke_all_tokens(
                person=person, by=person, reason="password_change", request=self.request
            )
            record(
                action="person.password_changed",
                actor=person,
                obj=person,
                changes={"tokens_revoked": revoked},
                request=self.request,
            )
        return response


class PasswordChangeDoneView(InstallationNameMixin, auth_views.PasswordChangeDoneView):
    pass


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """/i18n/setlang/: Django's language switch (cookie, redirect to ``next``); a signed-in
    person's choice is also kept on their account, so e-mail and chat reach them in it."""
    from django.views.i18n import set_language as django_set_language

    from waspada.people.actions import set_language

    answer = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        set_language(person=person_of(request), language=language)
    return answer
