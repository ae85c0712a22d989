"""Alerts published as CAP 1.2 messages. Exports have no table: each is one audit entry."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.regions.models import within_q
from waspada.reports.taxonomy import AlertLevel, Isu

if TYPE_CHECKING:
    from waspada.people.models import Person


class Scope(models.TextChoices):
    """CAP ``scope``: who the message is for."""

    PUBLIC = "Public", _("Publik")
    RESTRICTED = "Restricted", _("Terbatas (TKD dan Forkopimda)")
    PRIVATE = "Private", _("Pribadi (penerbit dan analis TKD)")


class MsgType(models.TextChoices):
    ALERT = "Alert", _("Peringatan")
    UPDATE = "Update", _("Pembaruan")
    CANCEL = "Cancel", _("Pembatalan")


class CapStatus(models.TextChoices):
    ACTUAL = "Actual", _("Sungguhan")
    EXERCISE = "Exercise", _("Latihan")
    TEST = "Test", _("Uji coba")


def _overlapping(code: str) -> Q:
    """Alerts whose region lies inside ``code`` or contains it."""
    condition = within_q(code)
    parts = code.split(".")
    ancestors = [".".join(parts[:n]) for n in range(1, len(parts))]
    if ancestors:
        condition |= Q(region_id__in=ancestors)
    return condition


class AlertQuerySet(models.QuerySet["Alert"]):
    def restrict(self, person: Person, action: str = "view") -> AlertQuerySet:
        """view: by scope (``visible_to``); publish (update, cancel): the alerts of regions the
        person's TKD decides for (rule 6 of ``reports/visibility.py``)."""
        from waspada.forums.access import access_of
        from waspada.reports.visibility import PUBLISH, VIEW

        if action == VIEW:
            return self.visible_to(person)
        if action != PUBLISH:
            raise ValueError(f"Alert has no right called {action!r}")
        access = access_of(person)
        if access.superuser and access.active:
            return self
        return self.filter(access.decides_q("region"))

    def visible_to(self, person: Person) -> AlertQuerySet:
        """Who reads which alert message (docs/exchange.md, "Who sees which alert"):

        - ``Public``: everyone, without logging in;
        - ``Restricted``: the members (any role) of a TKD or Forkopimda (FKPD) whose jurisdiction
          overlaps the alert's region (contains it, or lies inside it), and the issuer;
        - ``Private``: the issuer and the TKD's senior roles of the region's jurisdiction — those who
          may issue alerts there;
        - superusers: all.
        """
        from waspada.forums.access import access_of
        from waspada.forums.models import ForumKind

        public = Q(scope=Scope.PUBLIC)
        if not person.is_authenticated or not person.is_active:
            return self.filter(public)
        if person.is_superuser:
            return self
        allowed = public | Q(issued_by_id=person.pk)
        for seat in access_of(person).seats:
            if seat.kind not in (ForumKind.TKD, ForumKind.FKPD):
                continue
            jurisdiction = seat.area
            allowed |= Q(scope=Scope.RESTRICTED) & _overlapping(jurisdiction)
            if seat.kind == ForumKind.TKD and seat.senior:
                allowed |= Q(scope=Scope.PRIVATE) & within_q(jurisdiction)
        return self.filter(allowed)

    def current(self) -> AlertQuerySet:
        """The latest message of each alert that is neither cancelled, replaced nor expired."""
        return self.exclude(msg_type=MsgType.CANCEL).filter(
            expires_at__gt=timezone.now(), successors__isnull=True
        )

    def in_feed_for(self, person: Person | None) -> AlertQuerySet:
        """What an Atom feed lists: the current Public alerts, plus the current Restricted ones
        ``person`` may read. Private alerts are never in a feed."""
        rows = self.current().exclude(scope=Scope.PRIVATE)
        if person is None:
            return rows.filter(scope=Scope.PUBLIC)
        return rows.visible_to(person)


class AlertContent(models.Model):
    """What an alert says and where: the same fields on a published ``Alert`` and on an
    ``AlertProposal`` waiting for its second key (approving one copies them into the other)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    isu = models.CharField(_("isu"), max_length=32, choices=Isu.choices)
    level = models.CharField(_("tingkat kewaspadaan"), max_length=10, choices=AlertLevel.choices)
    headline = models.CharField(_("judul"), max_length=160)
    description = models.TextField(_("uraian"))
    instruction = models.TextField(_("petunjuk"), blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))

    class Meta:
        abstract = True


class Alert(AlertContent):
    """One CAP message: the first ``Alert``, or an ``Update`` or ``Cancel`` of an earlier message.

    An update or a cancellation is a new row whose ``previous`` is the message it replaces; the
    original is never edited, so every document once published can be fetched again unchanged.
    """

    identifier = models.CharField(_("pengenal"), max_length=100, unique=True, editable=False)
    sender = models.CharField(_("pengirim"), max_length=200)
    sent = models.DateTimeField(_("waktu kirim"))
    status = models.CharField(_("status CAP"), max_length=10, choices=CapStatus.choices, default="Actual")
    msg_type = models.CharField(_("jenis pesan"), max_length=8, choices=MsgType.choices, default="Alert")
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("pesan sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    signal = models.ForeignKey(
        "detection.Signal",
        verbose_name=_("sinyal deteksi dini"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")
        ordering = ["-sent", "-id"]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.identifier} {self.headline}"

    @staticmethod
    def new_identifier() -> str:
        return str(uuid.uuid4())

    def chain(self) -> list[Alert]:
        """The earlier messages this one replaces, oldest first (one query per step; chains are short)."""
        earlier: list[Alert] = []
        node = self.previous
        while node is not None:
            earlier.append(node)
            node = node.previous
        return list(reversed(earlier))


class ProposalStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu persetujuan")
    DISETUJUI = "disetujui", _("Disetujui dan diterbitkan")
    DITOLAK = "ditolak", _("Ditolak")


class AlertProposalQuerySet(models.QuerySet["AlertProposal"]):
    def visible_to(self, person: Person) -> AlertProposalQuerySet:
        """Who reads a proposal: its proposer, and the senior roles of the TKD that decides its
        region (those who could issue it, and among them those who may approve it). Never the
        public: a proposal is not a published message."""
        from waspada.forums.access import access_of

        if not person.is_authenticated or not person.is_active:
            return self.none()
        if person.is_superuser:
            return self
        return self.filter(Q(proposed_by_id=person.pk) | access_of(person).decides_q("region"))

    def waiting(self) -> AlertProposalQuerySet:
        return self.filter(status=ProposalStatus.MENUNGGU)


class AlertProposal(AlertContent):
    """An Actual, Public alert (or update) written by one person and waiting for a second one.

    It is not an ``Alert``: nothing here reaches a feed, a CAP document or the wall. Approving it
    publishes the ``Alert`` (``alert``); rejecting it keeps the reason. ``previous`` is set when
    the proposal is an Update of that message.
    """

    status = models.CharField(
        _("status usulan"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.MENUNGGU
    )
    previous = models.ForeignKey(
        Alert,
        verbose_name=_("pesan yang diperbarui"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposed_updates",
    )
    cap_status = models.CharField(_("status CAP"), max_length=10, choices=CapStatus.choices, default="Actual")
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices)
    signal = models.ForeignKey(
        "detection.Signal",
        verbose_name=_("sinyal deteksi dini"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diusulkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("waktu usul"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("waktu keputusan"), null=True, blank=True)
    reason = models.TextField(_("alasan penolakan"), blank=True)
    alert = models.OneToOneField(
        Alert,
        verbose_name=_("peringatan yang diterbitkan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
    )

    objects = AlertProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan peringatan")
        verbose_name_plural = _("usulan peringatan")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status} {self.headline}"
