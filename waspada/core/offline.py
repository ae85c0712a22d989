"""The installable app shell and what the service worker may keep for use without signal.

The service worker (``/sw.js``, ``reports/static/reports/sw.js``) keeps a page for offline use
only when the server marks it with ``X-Waspada-Luring: simpan``. The server marks, for a
signed-in person: the report form, their list of reports, the pages of reports they filed
themselves, and their disposition inbox. Every other page (other people's reports, the
situation picture, the admin) stays online only.

Pages are kept per person: every HTML page carries an opaque key of the signed-in person
(``offline_key``; empty when nobody is signed in) in the ``X-Waspada-Pengguna`` header and in
``<meta name="waspada-pengguna">``. The worker keeps pages in a cache named after that key and
drops every other person's cache as soon as a page with another key (or none, after logging
out) is shown. The logout button also clears them before the session ends.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

OFFLINE_HEADER = "X-Waspada-Luring"
OFFLINE_MARK = "simpan"
OWNER_HEADER = "X-Waspada-Pengguna"
# Pages kept for offline use whatever their object: the form, the person's list, their inbox.
CACHEABLE_PAGES = frozenset({"reports:new", "reports:list", "response:inbox", "home"})
THEME_COLOUR = "#0b5394"
KEEP_ATTRIBUTE = "_waspada_keep_offline"


def offline_key(request: HttpRequest) -> str:
    """An opaque key per signed-in person (stable across sessions, meaningless to anyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("waspada.offline-cache", str(user.pk)).hexdigest()[:20]


def may_keep_offline(request: HttpRequest) -> bool:
    """Whether the page answering ``request`` may be kept on the person's phone."""
    match = request.resolver_match
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated or request.method != "GET":
        return False
    if match.view_name in CACHEABLE_PAGES:
        return True
    return bool(getattr(request, KEEP_ATTRIBUTE, False))


def keep_offline(request: HttpRequest) -> None:
    """Called by a view whose page, for this person, may be kept (their own report's page).

    The view decides because it has the object in hand; this module stays below the apps.
    """
    setattr(request, KEEP_ATTRIBUTE, True)


class OfflineCacheMiddleware:
    """Marks the pages the service worker may keep (see the module docstring); never a POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        response[OWNER_HEADER] = offline_key(request)
        if response.status_code == 200 and may_keep_offline(request):
            response[OFFLINE_HEADER] = OFFLINE_MARK
        return response


def context(request: HttpRequest) -> dict[str, str]:
    """For ``core/base.html``: the person's cache key and the theme colour."""
    return {"offline_key": offline_key(request), "theme_colour": THEME_COLOUR}


@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """/manifest.webmanifest: what Android needs to install Waspada as an app."""
    icons = [
        {
            "src": static("waspada/icons/waspada-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": static("waspada/icons/waspada-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": static("waspada/icons/waspada-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": settings.WASPADA_SITE_NAME,
        "short_name": settings.WASPADA_SITE_NAME[:12],
        "description": _("Laporan kewaspadaan dini dan tindak lanjutnya, juga tanpa sinyal."),
        "lang": "id",
        "dir": "ltr",
        "start_url": "/?sumber=aplikasi",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
        "shortcuts": [
            {"name": _("Lapor"), "url": "/laporan/baru/"},
            {"name": _("Laporan saya"), "url": "/laporan/"},
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )


def offline_page(request: HttpRequest) -> HttpResponse:
    """/luring/: what the service worker shows for a page it has not kept; holds no one's data."""
    return render(request, "core/offline.html")
