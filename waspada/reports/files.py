"""A report's photos and PDFs, opened by whoever may see the report (web and API).

The report is fetched through ``Report.objects.visible_to``; someone who may not see it gets the
same 404 as for a file that does not exist, so an answer never tells that a report or a file is
there. The bytes go out through lib/files.py (type, name, nosniff, private caching, nginx).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from waspada.lib.files import serve_stored, serve_thumbnail
from waspada.lib.requests import person_of
from waspada.people.models import Person
from waspada.reports.models import Attachment, Report


def visible_attachment(person: Person, reference: str, pk: int) -> Attachment:
    """The attachment ``pk`` of report ``reference`` if ``person`` may see the report; else 404."""
    if "\x00" in reference:  # no reference has one, and PostgreSQL cannot compare text with it
        raise Http404
    report = get_object_or_404(Report.objects.visible_to(person), reference=reference)
    return get_object_or_404(Attachment.objects.filter(report=report), pk=pk)


def attachment_response(request: HttpRequest, attachment: Attachment) -> HttpResponseBase:
    return serve_stored(
        request,
        name=attachment.file.name,
        content_type=attachment.content_type,
        filename=attachment.download_name,
        sha256=attachment.sha256,
    )


def thumbnail_response(request: HttpRequest, attachment: Attachment) -> HttpResponseBase:
    if not attachment.is_image:
        raise Http404
    return serve_thumbnail(
        request, name=attachment.file.name, filename=attachment.download_name, sha256=attachment.sha256
    )


@login_required
def attachment(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    return attachment_response(request, visible_attachment(person_of(request), reference, pk))


@login_required
def attachment_thumbnail(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    return thumbnail_response(request, visible_attachment(person_of(request), reference, pk))
