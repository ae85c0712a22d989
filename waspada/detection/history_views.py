"""The history import page: Kesbangpol's administrator (or a superuser) uploads past incidents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waspada.detection.history import COLUMNS, MAX_COUNT, HistoryError, import_history
from waspada.forums.access import access_of
from waspada.lib.requests import person_of

MAX_BYTES = 5 * 1024 * 1024


@login_required
def history_import(request: HttpRequest) -> HttpResponse:
    """GET: the form and the file's format; POST: validate and import, all or nothing.

    A Kesbangpol administrator imports only regions inside the areas of his TKD seats; a
    superuser anywhere. Everyone else is refused (403)."""
    person = person_of(request)
    if not (person.is_superuser or person.is_kesbangpol_admin):
        return render(request, "detection/history_forbidden.html", status=403)
    areas = None if person.is_superuser else sorted({seat.area for seat in access_of(person).tkd_seats()})
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            errors = [_("Berkas: pilih berkas CSV yang akan diimpor.")]
        elif upload.size is not None and upload.size > MAX_BYTES:
            errors = [_("Berkas: lebih dari 5 MB; bagi menjadi beberapa berkas.")]
        else:
            try:
                result = import_history(
                    upload.read(), actor=person, source=upload.name or "", areas=areas, channel="web"
                )
            except HistoryError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _(
                        "%(rows)s kejadian dari %(first)s sampai %(last)s diimpor: %(created)s baris baru, "
                        "%(updated)s diubah, %(same)s sudah ada."
                    )
                    % {
                        "rows": result.rows,
                        "first": result.first_day,
                        "last": result.last_day,
                        "created": result.created,
                        "updated": result.updated,
                        "same": result.keys - result.created - result.updated,
                    },
                )
                return redirect("detection:history")
    return render(
        request,
        "detection/history.html",
        {"errors": errors, "areas": areas, "columns": sorted(set(COLUMNS.values())), "max_count": MAX_COUNT},
        status=400 if errors else 200,
    )
