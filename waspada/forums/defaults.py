"""The forums every regency starts with, as the domain document lists them.

A deployment adds, renames and retires forums later through the admin; these defaults only
make a new regency usable on day one: the ten regency-level bodies of the Paser seed, and an
FKDM in every kecamatan, because FKDM members in the districts are the ones who report.
Village FKDMs exist only "where formed", so they are created by hand, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from waspada.forums.actions import create_forum, forum_code
from waspada.forums.models import Forum, ForumKind, ForumLevel
from waspada.regions.models import Level, Region


@dataclass(frozen=True)
class DefaultForum:
    kind: str
    # Indonesian name pattern; "{region}" is the region's label ("Kabupaten Paser",
    # "Kecamatan Long Ikis"). Marked with gettext_noop and translated when the forum is created.
    name: str
    remit: str


REGENCY_FORUMS: tuple[DefaultForum, ...] = (
    DefaultForum(
        ForumKind.FKPD,
        gettext_noop("Forum Koordinasi Pimpinan Daerah {region}"),
        gettext_noop("Perkara paling berat: kekerasan, kerusuhan massa, penetapan status keadaan konflik."),
    ),
    DefaultForum(
        ForumKind.TKD,
        gettext_noop("Tim Kewaspadaan Dini {region}"),
        gettext_noop(
            "Menerima setiap laporan, menilai, menganalisis, dan memberi saran kepada kepala daerah."
        ),
    ),
    DefaultForum(
        ForumKind.FKDM,
        gettext_noop("FKDM {region}"),
        gettext_noop("Anggota masyarakat yang melaporkan; tidak menangani perkara."),
    ),
    DefaultForum(
        ForumKind.TIMDU_PKS,
        gettext_noop("Tim Terpadu Penanganan Konflik Sosial {region}"),
        gettext_noop("Konflik sosial: pencegahan, penghentian kekerasan, dan pemulihan."),
    ),
    DefaultForum(
        ForumKind.FKUB,
        gettext_noop("Forum Kerukunan Umat Beragama {region}"),
        gettext_noop("Kerukunan umat beragama dan rumah ibadah."),
    ),
    DefaultForum(
        ForumKind.FPK,
        gettext_noop("Forum Pembauran Kebangsaan {region}"),
        gettext_noop("Hubungan antarsuku dan antaretnis."),
    ),
    DefaultForum(
        ForumKind.TIMPORA,
        gettext_noop("Tim Pemantauan Orang Asing {region}"),
        gettext_noop("Orang asing, tenaga kerja asing, dan lembaga asing."),
    ),
    DefaultForum(
        ForumKind.VERPARPOL,
        gettext_noop("Tim Verifikasi Bantuan Keuangan Partai Politik {region}"),
        gettext_noop("Verifikasi bantuan keuangan negara kepada partai politik."),
    ),
    DefaultForum(
        ForumKind.POLITIK,
        gettext_noop("Tim Pemantau Perkembangan Politik di Daerah {region}"),
        gettext_noop("Perkembangan politik dan pemilihan umum."),
    ),
    DefaultForum(
        ForumKind.BNK,
        gettext_noop("Badan Narkotika {region}"),
        gettext_noop("Narkotika."),
    ),
)

KECAMATAN_FKDM = DefaultForum(
    ForumKind.FKDM,
    gettext_noop("FKDM {region}"),
    gettext_noop("Anggota masyarakat kecamatan yang melaporkan; tidak menangani perkara."),
)


def _ensure(spec: DefaultForum, level: str, region: Region) -> Forum:
    existing = Forum.objects.filter(code=forum_code(spec.kind, region)).first()
    if existing is not None:
        # An administrator may have renamed or retired it since: leave their decision alone.
        return existing
    return create_forum(
        name=_(spec.name).format(region=region.label),
        kind=spec.kind,
        level=level,
        jurisdiction=region,
        remit=_(spec.remit),
        by=None,
    )


def ensure_default_forums(*, regency: Region) -> list[Forum]:
    """Create whichever default forums of ``regency`` are missing, and return all of them.

    Idempotent: a forum is looked up by its code (``TKD-6401``, ``FKDM-640106``) and only
    created when absent, so running this twice creates nothing new. The regency's kecamatan
    must already be loaded; a kecamatan added later gets its FKDM on the next run.
    """
    if regency.level != Level.KABUPATEN:
        raise ValueError(f"ensure_default_forums needs a kabupaten/kota, not {regency}")
    # Names and remits are data, stored in the installation's language whatever language the
    # person (or the request) that triggers this happens to use.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        forums = [_ensure(spec, ForumLevel.KABUPATEN, regency) for spec in REGENCY_FORUMS]
        for kecamatan in regency.children.filter(level=Level.KECAMATAN).order_by("code"):
            forums.append(_ensure(KECAMATAN_FKDM, ForumLevel.KECAMATAN, kecamatan))
    return forums


# A province's own bodies: Forkopimda provinsi (the Gubernur's), the province's Tim Kewaspadaan
# Dini (Kesbangpol provinsi) and FKDM provinsi. The province's other forums are added by hand.
PROVINCE_FORUMS: tuple[DefaultForum, ...] = tuple(
    spec for spec in REGENCY_FORUMS if spec.kind in (ForumKind.FKPD, ForumKind.TKD, ForumKind.FKDM)
)


def ensure_province_forums(*, province: Region) -> list[Forum]:
    """Create whichever of the province's own forums are missing, and return them (idempotent)."""
    if province.level != Level.PROVINSI:
        raise ValueError(f"ensure_province_forums needs a provinsi, not {province}")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return [_ensure(spec, ForumLevel.PROVINSI, province) for spec in PROVINCE_FORUMS]
