"""The person's own pages. Logging in and passwords use Django's views (see urls.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waspada.lib.requests import person_of
from waspada.people.tokens import create_token, revoke_token


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


class LoginView(InstallationNameMixin, auth_views.LoginView):
    pass


class PasswordResetView(InstallationNameMixin, auth_views.PasswordResetView):
    """Django's reset view, with the installation's name in the email instead of the host name.

    Like Django's, it answers the same for an unknown address as for a known one, so that the
    form cannot be used to find out who has an account.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_name": settings.WASPADA_SITE_NAME}


class PasswordResetDoneView(InstallationNameMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(InstallationNameMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(InstallationNameMixin, auth_views.PasswordResetCompleteView):
    pass


class PasswordChangeView(InstallationNameMixin, auth_views.PasswordChangeView):
    pass


class PasswordChangeDoneView(InstallationNameMixin, auth_views.PasswordChangeDoneView):
    pass
