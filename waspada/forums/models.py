"""Forums of the cross-forum group and the people who belong to them.

Writes go through ``waspada.forums.actions``; the querysets here are the one place that
decides which forums and seats a person may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.regions.models import Level, Region, within_q

if TYPE_CHECKING:
    from waspada.people.models import Person


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
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa/Kelurahan")


# A forum works at one administrative level, so its jurisdiction must be a region of that level:
# an FKDM "at kecamatan level" whose jurisdiction is a village would see the wrong reports.
REGION_LEVEL_OF_FORUM_LEVEL: dict[str, int] = {
    ForumLevel.PROVINSI: Level.PROVINSI,
    ForumLevel.KABUPATEN: Level.KABUPATEN,
    ForumLevel.KECAMATAN: Level.KECAMATAN,
    ForumLevel.DESA: Level.DESA,
}


class Role(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    ANGGOTA = "anggota", _("Anggota")
    ANALIS = "analis", _("Analis")
    PIMPINAN = "pimpinan", _("Pimpinan")


def _sees_every_forum(person: Person) -> bool:
    return bool(person.is_superuser or person.is_kesbangpol_admin)


class ForumQuerySet(models.QuerySet["Forum"]):
    def active(self) -> ForumQuerySet:
        return self.filter(is_active=True)

    def covering(self, region_code: str) -> ForumQuerySet:
        """Forums whose jurisdiction covers the region: the region itself and every region above
        it (a Paser village: its FKDM, its kecamatan's, Paser's forums, the province's)."""
        parts = region_code.split(".")
        codes = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        return self.filter(jurisdiction_id__in=codes)

    def deciding_tkds(self, region_code: str) -> list[Forum]:
        """The deciding TKD of a region (forums/access.py): the active TKD whose jurisdiction
        covers it most closely — Paser's for a place in Paser, the province's only where no
        regency TKD covers it. A list, empty where no TKD covers the place."""
        covering = list(self.covering(region_code).filter(kind=ForumKind.TKD, is_active=True).order_by("pk"))
        closest = max((len(forum.jurisdiction_id) for forum in covering), default=0)
        return [forum for forum in covering if len(forum.jurisdiction_id) == closest]

    def deciding_tkd_ids(self, region_code: str) -> list[int]:
        """The ids of ``deciding_tkds(region_code)``, in one plain statement: every report filed
        asks it (its announcement), so no queryset is compiled for it (docs/benchmarks.md, intake)."""
        from django.db import connection

        parts = region_code.split(".")
        codes = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        marks = ", ".join(["%s"] * len(codes))
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "id", "jurisdiction_id" FROM {self.model._meta.db_table} '  # noqa: S608 - table from the model
                f'WHERE "kind" = %s AND "is_active" = %s AND "jurisdiction_id" IN ({marks}) ORDER BY "id"',
                [ForumKind.TKD, True, *codes],
            )
            covering = cursor.fetchall()
        closest = max((len(area) for _pk, area in covering), default=0)
        return [pk for pk, area in covering if len(area) == closest]

    def with_member(self, person: Person) -> ForumQuerySet:
        """Forums in which ``person`` holds a current (not ended) seat."""
        return self.filter(memberships__person_id=person.pk, memberships__ended_at__isnull=True).distinct()

    def restrict(self, person: Person, action: str = "view") -> ForumQuerySet:
        if action != "view":
            raise ValueError(f"Forum has no right called {action!r}; forums are changed by administrators")
        return self.visible_to(person)

    def visible_to(self, person: Person) -> ForumQuerySet:
        """The forums ``person`` may see, retired ones included (chain ``.active()`` to drop them).

        Superusers and Kesbangpol administrators see every forum. Everyone else sees, for
        each forum they currently sit in, the forums up and down its line of command: those
        whose jurisdiction lies inside it (a kecamatan FKDM sees its villages' FKDMs; the TKD
        sees the whole regency) and those whose jurisdiction contains it (a village reporter
        sees the kecamatan FKDM and the regency's forums it reports to). Forums of
        neighbouring districts or other regencies stay hidden, so that one installation can
        serve several regencies.
        """
        if not person.is_authenticated or not person.is_active:
            return self.none()
        if _sees_every_forum(person):
            return self
        from waspada.forums.access import access_of

        jurisdictions = {seat.area for seat in access_of(person).seats}
        if not jurisdictions:
            return self.none()
        condition = models.Q()
        for code in jurisdictions:
            ancestors = [code[:end] for end in range(len(code)) if code[end] == "."]
            condition |= within_q(code, "jurisdiction") | models.Q(jurisdiction_id__in=ancestors)
        return self.filter(condition)


class Forum(models.Model):
    """A real body (Forkopimda, TKD, an FKDM of one district…) with a level and a jurisdiction.

    ``code`` is unique in the installation, e.g. ``TKD-6401`` or ``FKDM-640106``, so that one
    installation can serve several regencies. Forums are retired (``is_active=False``), never
    deleted, because reports and memberships keep pointing at them.
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

    def clean(self) -> None:
        """A forum's jurisdiction is a region of the forum's own level."""
        super().clean()
        if not self.level or self.jurisdiction_id is None:
            return  # the field validators already report the missing value
        expected = REGION_LEVEL_OF_FORUM_LEVEL.get(self.level)
        if expected is not None and self.jurisdiction.level != expected:
            raise ValidationError(
                {
                    "jurisdiction": _(
                        "Forum tingkat %(level)s harus berwilayah kerja %(region_level)s; "
                        "%(region)s adalah %(actual)s."
                    )
                    % {
                        "level": self.get_level_display().lower(),
                        "region_level": Level(expected).label.lower(),
                        "region": self.jurisdiction.label,
                        "actual": self.jurisdiction.get_level_display().lower(),
                    }
                }
            )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """Seats that have not ended, in forums that have not been retired."""
        return self.filter(ended_at__isnull=True, forum__is_active=True)

    def of(self, person: Person) -> MembershipQuerySet:
        return self.filter(person_id=person.pk)

    def restrict(self, person: Person, action: str = "view") -> MembershipQuerySet:
        if action != "view":
            raise ValueError(
                f"Membership has no right called {action!r}; seats are changed by administrators"
            )
        return self.visible_to(person)

    def visible_to(self, person: Person) -> MembershipQuerySet:
        """Seats ``person`` may see: their own, and those of forums they sit in.

        Who sits in which forum is itself sensitive (an FKDM member's name is an informant's
        name), so a forum's roster is shown only to its own members and to administrators.
        """
        if not person.is_authenticated or not person.is_active:
            return self.none()
        if _sees_every_forum(person):
            return self
        from waspada.forums.access import access_of

        own_forums = access_of(person).forum_ids()
        return self.filter(models.Q(person_id=person.pk) | models.Q(forum_id__in=own_forums))


class Membership(models.Model):
    """A person's seat in one forum, with a role. A person may hold seats in several forums.

    A seat is ended (``ended_at``), never deleted: who sat where, and when, is history that
    reports and the audit trail refer to. Only one current seat per person and forum.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orang"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="memberships"
    )
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
                violation_error_message=_("Orang ini sudah menjadi anggota aktif forum ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} {self.forum.code}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None and self.forum.is_active
