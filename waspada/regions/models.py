"""Kemendagri administrative regions: provinsi → kabupaten/kota → kecamatan → desa/kelurahan."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class RegionType(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


def within_q(code: str, field: str = "region") -> models.Q:
    """The one way to say "``field`` is the region ``code`` or lies below it" in a query.

    ``field`` names a foreign key to ``Region`` (``"region"``, ``"report__region"``,
    ``"jurisdiction"``) or ``""`` for the region's own code. Kemendagri codes are dotted
    prefixes of each other, so "below" is a prefix match on the code followed by a dot.
    """
    if not field:
        return models.Q(code=code) | models.Q(code__startswith=code + ".")
    return models.Q(**{f"{field}_id": code}) | models.Q(**{f"{field}__code__startswith": code + "."})


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, region: Region) -> RegionQuerySet:
        """The region itself and every region below it (codes share the dotted prefix)."""
        return self.filter(within_q(region.code, ""))

    def search(self, text: str) -> RegionQuerySet:
        """Regions whose name contains every word of ``text``, case- and punctuation-insensitive."""
        from waspada.regions.names import normalize_name

        queryset = self
        for word in normalize_name(text).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset

    def within_code(self, code: str) -> RegionQuerySet:
        """Like ``within`` for a code that may not be loaded (a picker restricted to a regency)."""
        return self.filter(within_q(code, ""))

    def ranked_search(self, text: str, *, home: str | None = None) -> RegionQuerySet:
        """``search`` ordered the way a person typing a name expects.

        Order: the exact name, then names starting with the text, then names with a word
        starting with it, then any match; within each, regions of the ``home`` region (the
        installation's regency, so "Long Ikis" means Paser's) first, then higher levels first
        (a kecamatan before its namesake village), then by code. A text made only of digits and
        dots is taken as a dotted or compact code and returns that region and those below it.
        """
        from waspada.regions.names import normalize_code, normalize_name

        stripped = text.strip()
        if stripped and all(char.isdigit() or char == "." for char in stripped):
            return self.within_code(normalize_code(stripped).rstrip(".")).order_by("level", "code")
        wanted = normalize_name(text)
        if not wanted:
            return self.order_by("level", "code")
        match = models.Case(
            models.When(search_name=wanted, then=models.Value(0)),
            models.When(search_name__startswith=wanted, then=models.Value(1)),
            models.When(search_name__contains=" " + wanted, then=models.Value(2)),
            default=models.Value(3),
            output_field=models.IntegerField(),
        )
        in_home: models.Expression
        if home:
            in_home = models.Case(
                models.When(
                    models.Q(code=home) | models.Q(code__startswith=home + "."), then=models.Value(0)
                ),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        else:
            in_home = models.Value(0, output_field=models.IntegerField())
        return (
            self.search(text)
            .annotate(match_rank=match, home_rank=in_home)
            .order_by("match_rank", "home_rank", "level", "code")
        )


class Region(models.Model):
    """One administrative region, identified by its dotted Kemendagri code (e.g. ``64.01.06.2001``)."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_constraint=True,
    )
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    type = models.CharField(_("jenis"), max_length=12, choices=RegionType.choices)
    name = models.CharField(_("nama"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    boundary = models.JSONField(_("batas wilayah (GeoJSON)"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from waspada.regions.names import normalize_name

        self.search_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def compact_code(self) -> str:
        return self.code.replace(".", "")

    @property
    def label(self) -> str:
        """Name with its type, as officials write it: "Kecamatan Long Ikis", "Desa Lombok"."""
        if self.level in (Level.PROVINSI, Level.KABUPATEN):
            return self.name
        return f"{self.get_type_display()} {self.name}"

    def ancestors(self) -> list[Region]:
        """Parents from the province down, without the region itself."""
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def contains(self, other: Region) -> bool:
        from waspada.regions.names import code_within

        return code_within(other.code, self.code)
