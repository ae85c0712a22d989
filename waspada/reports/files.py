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

from waspada.lib.files import upload_response, upload_thumbnail_response
from waspada.lib.requests import person_of
from waspada.people.models import Person
from waspada.reports.models import Attachment, Report


def visible_attachment(person: Person, reference: str, pk: int) -> Attachment:
    """The attachment ``pk`` of report ``reference`` if ``person`` may see the report; else 404."""
    if "\x00" in reference:  # no reference has one, and PostgreSQL cannot compare text with it
        raise Http404
    report = get_object_or_404(Report.objects.visible_to(person), reference=reference)
    return get_object_or_404(Attachment.objects.filter(report=report), pk=pk)


# Serving is the same for every upload (lib/files.py); what differs is the visibility lookup.
attachment_response = upload_response
thumbnail_response = upload_thumbnail_response


@login_required
def attachment(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    return attachment_response(request, visible_attachment(person_of(request), reference, pk))


@login_required
def attachment_thumbnail(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    return thumbnail_response(request, visible_attachment(person_of(request), reference, pk))
