"""Forums of the cross-forum group and the people who belong to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.regions.models import Region


class ForumKind(models.TextChoices):
    FKPD = "FKPD", _("Forum Koordinasi Pimpinan Daerah (Forkopimda)")
    TKD = "TKD", _("Tim Kewaspadaan Dini Pemerintah Daerah")
    FKDM = "FKDM", _("Forum Kewaspadaan Dini Masyarakat")
    TIMDU_PKS = "TIMDU_PKS", _("Tim Terpadu Penanganan Konflik Sosial")
    FKUB = "FKUB", _("Forum Kerukunan Umat Beragama")
    FPK = "FPK", _("Forum Pembauran Kebangsaan")
    TIMPORA = "TIMPORA", _("Tim Pemantauan Orang Asing")
    VERPARPOL = "VERPARPOL", _("Tim Verifikasi Bantuan Keuangan Partai Politik")
    POLITIK = "POLITIK", _("Tim Pemantau Perkembangan Politik di Daerah")
    BNK = "BNK", _("Badan Narkotika Kabupaten")
    OTHER = "LAINNYA", _("Forum lain")


class ForumLevel(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa/Kelurahan")


class Role(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    ANGGOTA = "anggota", _("Anggota")
    ANALIS = "analis", _("Analis")
    PIMPINAN = "pimpinan", _("Pimpinan")


class ForumQuerySet(models.QuerySet["Forum"]):
    def active(self) -> ForumQuerySet:
        return self.filter(is_active=True)


class Forum(models.Model):
    """A real body (Forkopimda, TKD, an FKDM of one district…) with a level and a jurisdiction.

    ``code`` is unique in the installation, e.g. ``TKD-6401`` or ``FKDM-640106``, so that one
    installation can serve several regencies.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis forum"), max_length=12, choices=ForumKind.choices)
    level = models.CharField(_("tingkat"), max_length=10, choices=ForumLevel.choices)
    jurisdiction = models.ForeignKey(
        Region,
        verbose_name=_("wilayah kerja"),
        on_delete=models.PROTECT,
        related_name="forums",
    )
    remit = models.TextField(_("tugas pokok"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        ordering = ["jurisdiction_id", "kind", "code"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True, forum__is_active=True)


class Membership(models.Model):
    """A person's seat in one forum, with a role. A person may hold seats in several forums."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.ANGGOTA)
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["forum_id", "role", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "forum"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_membership_per_forum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} {self.forum.code}"
