"""Idle expiry that only a person's own requests restart.

``SESSION_SAVE_EVERY_REQUEST`` restarts a session's clock with every request, so a session left
alone expires after ``SESSION_COOKIE_AGE``. A page's background poll (the situation picture asks
``/situasi/langsung.json`` every few seconds) is not the person acting: it must neither keep an
unattended screen signed in forever nor write the session row once a second. A view marks such a
request with ``not_activity(request)``; the session is then saved only if the view changed it.
"""

from __future__ import annotations

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

_FLAG = "_waspada_not_activity"


def not_activity(request: HttpRequest) -> None:
    """Mark ``request`` as a background poll: it does not restart the idle clock."""
    setattr(request, _FLAG, True)


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if getattr(request, _FLAG, False) and session is not None and not session.modified:
            return response
        return super().process_response(request, response)
