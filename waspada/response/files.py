"""A follow-up's proof files, opened by whoever may see the disposition (web and API).

The disposition is fetched through ``Disposition.objects.visible_to`` (its forum's members and
the TKD); anyone else gets the same 404 as for a proof that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from waspada.lib.files import serve_stored, serve_thumbnail
from waspada.lib.requests import person_of
from waspada.people.models import Person
from waspada.response.models import Disposition, FollowUpProof


def visible_proof(person: Person, disposition_pk: int, pk: int) -> FollowUpProof:
    """The proof ``pk`` of disposition ``disposition_pk`` if ``person`` may see it; else 404."""
    disposition = get_object_or_404(Disposition.objects.visible_to(person), pk=disposition_pk)
    return get_object_or_404(
        FollowUpProof.objects.filter(follow_up__disposition=disposition).select_related("follow_up"), pk=pk
    )


def proof_response(request: HttpRequest, proof: FollowUpProof) -> HttpResponseBase:
    return serve_stored(
        request,
        name=proof.file.name,
        content_type=proof.content_type,
        filename=proof.download_name,
        sha256=proof.sha256,
    )


def thumbnail_response(request: HttpRequest, proof: FollowUpProof) -> HttpResponseBase:
    if not proof.is_image:
        raise Http404
    return serve_thumbnail(request, name=proof.file.name, filename=proof.download_name, sha256=proof.sha256)


@login_required
def proof(request: HttpRequest, pk: int, proof_pk: int) -> HttpResponseBase:
    return proof_response(request, visible_proof(person_of(request), pk, proof_pk))


@login_required
def proof_thumbnail(request: HttpRequest, pk: int, proof_pk: int) -> HttpResponseBase:
    return thumbnail_response(request, visible_proof(person_of(request), pk, proof_pk))
