"""Security headers Django 5.2 does not send itself: Content-Security-Policy and Permissions-Policy.

The policy allows scripts, styles, fonts and connections from this site only, and no inline
script, event handler or ``style=""`` anywhere: our templates have none (a test greps them) and
the pages run without a violation in Chromium (browser test). Images may also be ``data:`` URIs
(the QR code of the two-step enrolment page is one).

Django's admin (5.2) runs under the same policy: its scripts are files whose settings travel in
``data-`` attributes. Its only inline ``<style>`` (change_list.html) is printed when a ModelAdmin
turns off both ``actions_on_top`` and ``actions_on_bottom``, which none of ours does; the browser
test opens the admin pages and fails on any violation, so no exception is made for /admin/.

X-Frame-Options, nosniff, the referrer policy, COOP and HSTS (when ``WASPADA_HTTPS``) come from
Django's SecurityMiddleware and XFrameOptionsMiddleware with the settings in settings.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"


def _render(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


CONTENT_SECURITY_POLICY = _render(POLICY)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response that lacks them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
