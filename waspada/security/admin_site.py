"""The admin site: entered through Waspada's own login page, and only after the second factor.

Django's admin has its own login form, which would bypass the login throttle and the second
step; here it sends the browser to /akun/masuk/ instead (keeping ``next``). ``has_permission``
also asks for a verified second factor, although ``SecondFactorMiddleware`` already stops a
password-only session before it reaches the admin: the admin is where people, forums and
routing are changed, so it checks for itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from waspada.security.two_factor import State, state_of


class WaspadaAdminSite(admin.AdminSite):
    # Waspada's own name in the reader's language, not "Administrasi Django".
    site_header = _("Administrasi Waspada")
    site_title = _("Admin Waspada")
    index_title = _("Pengaturan forum, orang, wilayah dan aturan tindak lanjut")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and state_of(request) is State.OK

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        target = target or reverse("admin:index")
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(target)  # already in, as Django's own login view does
        return redirect_to_login(target, login_url=reverse("login"))
