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
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import smart_split
from django.utils.translation import gettext_lazy as _

from waspada.security.two_factor import State, state_of

# Django's admin turns each word of a search into a condition over every search field: 1,500
# words are a query SQLite refuses to parse ("Expression tree is too large") and PostgreSQL
# labours over. Nobody searches a list with more than a few words.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_CHARACTERS = 200


class BoundedSearch:
    """Searches the admin's lists with the first ``MAX_SEARCH_WORDS`` words of what was typed."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        words = list(smart_split(search_term[:MAX_SEARCH_CHARACTERS]))[:MAX_SEARCH_WORDS]
        return super().get_search_results(request, queryset, " ".join(words))  # type: ignore[misc]


class WaspadaAdminSite(admin.AdminSite):
    # Waspada's own name in the reader's language, not "Administrasi Django".
    site_header = _("Administrasi Waspada")
    site_title = _("Admin Waspada")
    index_title = _("Pengaturan forum, orang, wilayah dan aturan tindak lanjut")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every model's admin searches with a bounded number of words (``BoundedSearch``)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedSearch):
            admin_class = type(
                admin_class.__name__, (BoundedSearch, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)

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
