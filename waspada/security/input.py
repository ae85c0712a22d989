"""The input layer of the pages: every value a page request carries keeps ``lib/input.py``'s rules.

``InputMiddleware`` reads the query string and the posted form of every request outside /api/
(the API's parser applies the same rules there and answers in JSON) before any view sees them.
A refused value ends the request with a 400 page that names the field and the reason, so
nothing is written; the person goes back to their form, which the browser still holds. A request
that asks for JSON (the report form's script, ``reports/outbox.js``) gets the API's error body
``{"detail", "errors": [{"field", "code", "message"}]}`` instead, shown beside the field.

- A form larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (files not counted) answers 413 with a page
  in the reader's language instead of Django's bare English 400.
- A number-only path segment larger than any id (``/laporan/1000000000000000000000/``) answers 404:
  no such object can exist.

The refused value is never logged, only the field, the rule and the path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from waspada.lib.input import first_refusal, path_id_out_of_range

logger = logging.getLogger(__name__)


class InputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            repeated = next((name for name, values in request.GET.lists() if len(values) > 1), None)
            if repeated is not None:
                # No API operation takes a list in its query (/api/openapi.json): a name given twice is
                # refused rather than one of its values silently chosen.
                message = _("Parameter “%(name)s” hanya boleh diberikan sekali.") % {"name": repeated[:40]}
                error = {"field": repeated[:40], "code": "repeated", "message": message}
                return JsonResponse({"detail": _("Data tidak valid."), "errors": [error]}, status=422)
            return self.get_response(request)
        if path_id_out_of_range(request.path):
            return render(request, "core/404.html", status=404)
        try:
            refused = first_refusal(request.GET.lists())
            if refused is None and request.method == "POST":
                refused = first_refusal(request.POST.lists())
        except RequestDataTooBig:
            message = _(
                "Isian formulir terlalu besar untuk dikirim. Persingkat teksnya (lampiran tidak dihitung)."
            )
            return render(request, "core/400.html", {"message": message, "back": _back(request)}, status=413)
        if refused is None:
            return self.get_response(request)
        logger.warning(
            "input refused", extra={"field": refused.field, "rule": refused.code, "path": request.path}
        )
        if "application/json" in request.headers.get("Accept", ""):
            # the report form's script (reports/outbox.js): the field's error shown beside the field
            error = {"field": refused.field, "code": refused.code, "message": refused.message}
            return JsonResponse({"detail": refused.message, "errors": [error]}, status=400)
        context = {"message": refused.message, "back": _back(request)}
        return render(request, "core/400.html", context, status=400)


def _back(request: HttpRequest) -> str:
    """The page the person came from, when it is one of ours: their form, still filled in."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""
