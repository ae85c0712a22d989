"""Pages under /notifikasi/: the notification centre, preferences and chat linking, and the
failed deliveries for Kesbangpol's administrators. Writes go through notify/actions.py."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.lib.requests import person_of
from waspada.lib.taxonomy import AlertLevel
from waspada.notify import actions
from waspada.notify.events import UNLEVELLED_KINDS
from waspada.notify.fanout import DEFAULT_MIN_LEVEL
from waspada.notify.models import ChannelName, ChatAccount, Delivery, DeliveryStatus, Notification, Preference
from waspada.notify.texts import event_body, event_title, link_for

CHANNELS = (
    ChannelName.EMAIL,
    ChannelName.MATRIX,
    ChannelName.TELEGRAM,
    ChannelName.WHATSAPP,
    ChannelName.SMS,
)


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    rows = Notification.objects.filter(person=person).select_related("event")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    # Title and body in the page's language, and a link this reader can open (notify/texts.py).
    items = [
        {
            "n": n,
            "title": event_title(n.event),
            "body": event_body(n.event),
            "url": link_for(n.event, person),
            "levelled": n.event.kind not in UNLEVELLED_KINDS,
        }
        for n in page
    ]
    return render(
        request,
        "notify/centre.html",
        {"page": page, "items": items, "unread": rows.filter(read_at__isnull=True).count()},
    )


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    actions.mark_read(person=person, ids=ids)
    return redirect("notify:centre")


BIGINT_MAX = 2**63 - 1


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification from the centre marks it read and goes to the page its reader can
    open (``texts.link_for``); someone else's notification, or an id no row can have, is a 404
    like a missing one."""
    person = person_of(request)
    if pk > BIGINT_MAX:
        raise Http404
    notification = get_object_or_404(Notification.objects.select_related("event"), pk=pk, person=person)
    actions.mark_read(person=person, ids=[notification.pk])
    return redirect(link_for(notification.event, person) or "notify:centre")


def _time(value: str, field: str) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({field: [_("Jam tidak sah; tulis seperti 22:00.")]}) from exc


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    code = None
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "kode":
                code = actions.create_link_code(person=person)
            elif post.get("action") == "wa-kirim":
                number = actions.send_whatsapp_code(person=person, number=post.get("number", ""))
                messages.success(
                    request,
                    _("Kode 6 angka dikirim lewat WhatsApp ke %(number)s. Masukkan di bawah dalam 10 menit.")
                    % {"number": number},
                )
                return redirect("notify:settings")
            elif post.get("action") == "wa-konfirmasi":
                account = actions.confirm_whatsapp_code(person=person, code=post.get("code", ""))
                messages.success(
                    request,
                    _("Nomor WhatsApp %(number)s tertaut ke akun Anda.") % {"number": account.address},
                )
                return redirect("notify:settings")
            elif post.get("action") == "putus":
                actions.unlink_account(person=person, channel=post.get("channel", ""), by=person)
                messages.success(request, _("Tautan akun dilepas."))
                return redirect("notify:settings")
            else:
                for channel in CHANNELS:
                    if f"{channel}-min_level" not in post:
                        continue  # a form from before the channel existed leaves it as it is
                    actions.set_preference(
                        person=person,
                        channel=channel,
                        enabled=post.get(f"{channel}-enabled") == "on",
                        min_level=post.get(f"{channel}-min_level", ""),
                        quiet_start=_time(post.get(f"{channel}-quiet_start", ""), f"{channel}-quiet_start"),
                        quiet_end=_time(post.get(f"{channel}-quiet_end", ""), f"{channel}-quiet_end"),
                    )
                messages.success(request, _("Pengaturan notifikasi disimpan."))
                return redirect("notify:settings")
        except ValidationError as exc:
            labels = {"number": _("Nomor WhatsApp"), "code": _("Kode WhatsApp")}
            for field, errors in exc.message_dict.items():
                for error in errors:
                    messages.error(request, f"{labels.get(field, field)}: {error}")
    prefs = {p.channel: p for p in Preference.objects.filter(person=person)}
    rows = []
    for channel in CHANNELS:
        pref = prefs.get(channel) or Preference(channel=channel, min_level=DEFAULT_MIN_LEVEL[channel])
        rows.append((channel, ChannelName(channel).label, pref))
    accounts = {a.channel: a for a in ChatAccount.objects.filter(person=person)}
    return render(
        request,
        "notify/settings.html",
        {
            "rows": rows,
            "levels": AlertLevel.choices,
            "accounts": accounts,
            "code": code,
            "pending_whatsapp": actions.pending_whatsapp_code(person),
        },
    )


@login_required
def failed(request: HttpRequest) -> HttpResponse:
    """Deliveries that will not be retried (or whose outcome is unknown): for admins to act on."""
    person = person_of(request)
    if not (person.is_superuser or person.is_kesbangpol_admin):
        return render(request, "notify/forbidden.html", status=403)
    rows = (
        Delivery.objects.filter(status__in=(DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN))
        .select_related("event", "person", "room", "webhook")
        .order_by("-created_at")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notify/failed.html", {"page": page})


@login_required
def links(request: HttpRequest) -> HttpResponse:
    """Kesbangpol's administrators link a member's chat account (Matrix ID, Telegram chat id)."""
    from waspada.people.models import Person

    admin = person_of(request)
    if not (admin.is_superuser or admin.is_kesbangpol_admin):
        return render(request, "notify/forbidden.html", status=403)
    if request.method == "POST":
        person = Person.objects.filter(
            username=request.POST.get("username", "").strip(), is_active=True
        ).first()
        try:
            if person is None:
                raise ValidationError({"username": [_("Pengguna tidak ditemukan.")]})
            actions.link_account(
                person=person,
                channel=request.POST.get("channel", ""),
                address=request.POST.get("address", ""),
                by=admin,
            )
            messages.success(request, _("Akun obrolan ditautkan."))
            return redirect("notify:links")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    messages.error(request, f"{field}: {error}")
    accounts = ChatAccount.objects.select_related("person").order_by("channel", "person__username")
    return render(request, "notify/links.html", {"accounts": accounts})
