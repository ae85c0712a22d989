"""A follow-up's proof files, opened by whoever may see the disposition (web and API).

The disposition is fetched through ``Disposition.objects.visible_to`` (its forum's members and
the TKD); anyone else gets the same 404 as for a proof that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from waspada.lib.files import upload_response, upload_thumbnail_response
from waspada.lib.requests import person_of
from waspada.people.models import Person
from waspada.response.models import Disposition, FollowUpProof


def visible_proof(person: Person, disposition_pk: int, pk: int) -> FollowUpProof:
    """The proof ``pk`` of disposition ``disposition_pk`` if ``person`` may see it; else 404."""
    disposition = get_object_or_404(Disposition.objects.visible_to(person), pk=disposition_pk)
    return get_object_or_404(
        FollowUpProof.objects.filter(follow_up__disposition=disposition).select_related("follow_up"), pk=pk
    )


# Serving is the same for every upload (lib/files.py); what differs is the visibility lookup.
proof_response = upload_response
thumbnail_response = upload_thumbnail_response


@login_required
def proof(request: HttpRequest, pk: int, proof_pk: int) -> HttpResponseBase:
    return proof_response(request, visible_proof(person_of(request), pk, proof_pk))


@login_required
def proof_thumbnail(request: HttpRequest, pk: int, proof_pk: int) -> HttpResponseBase:
    return thumbnail_response(request, visible_proof(person_of(request), pk, proof_pk))
