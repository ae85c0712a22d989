"""The default routing rules and deadlines, from docs/domain.md and the issue's suggestions.

Installed by a data migration (so every installation starts with them) and by
``ensure_defaults()``; afterwards Kesbangpol edits them in the admin.
"""

from __future__ import annotations

from typing import Any

# (isu or "" for every isu, from alert level, act, copy), in the order of docs/domain.md.
RULES: list[tuple[str, str, list[str], list[str], str]] = [
    ("sara_etnis", "normal", ["FPK"], [], "FPK bersama camat"),
    ("sara_etnis", "siaga", ["TIMDU_PKS"], ["FKPD"], "Konflik antaretnis: Timdu PKS, Forkopimda diberi tahu"),
    ("agama", "normal", ["FKUB"], [], ""),
    ("agama", "siaga", ["TIMDU_PKS"], ["FKPD"], ""),
    ("agraria_korporasi", "normal", ["TIMDU_PKS"], [], "Timdu PKS bersama camat"),
    ("agraria_warga", "normal", ["TIMDU_PKS"], [], "Timdu PKS bersama camat"),
    ("batas_wilayah", "normal", ["TIMDU_PKS"], [], "Timdu PKS bersama camat"),
    ("politik_pemilu", "normal", ["POLITIK"], [], ""),
    ("politik_pemilu", "siaga", [], ["FKPD", "TIMDU_PKS"], ""),
    ("ormas_kelompok", "normal", ["TKD"], [], "Anggota kepolisian dan intelijen di TKD"),
    ("kriminalitas", "normal", ["TKD"], [], "Anggota kepolisian dan intelijen di TKD"),
    ("radikalisme", "normal", ["TKD"], [], "Anggota kepolisian dan intelijen di TKD"),
    ("orang_asing", "normal", ["TIMPORA"], [], ""),
    ("narkoba", "normal", ["BNK"], [], ""),
    ("ekonomi_buruh", "normal", ["TKD"], [], "TKD meneruskan ke perangkat daerah terkait"),
    ("infrastruktur_logistik", "normal", ["TKD"], [], "TKD meneruskan ke perangkat daerah terkait"),
    ("bencana", "normal", ["TKD"], [], "TKD meneruskan ke perangkat daerah terkait"),
    ("lingkungan", "normal", ["TKD"], [], "TKD meneruskan ke perangkat daerah terkait"),
    ("pemerintahan_desa", "normal", ["TKD"], [], "TKD meneruskan ke perangkat daerah terkait"),
    ("hoaks", "normal", ["TKD"], [], ""),
    ("lainnya", "normal", ["TKD"], [], ""),
    ("", "awas", [], ["FKPD"], "Setiap laporan awas diketahui Forkopimda"),
]

# alert level → (acknowledge amount, unit, close amount, unit)
POLICIES: dict[str, tuple[int, str, int, str]] = {
    "awas": (1, "jam", 24, "jam"),
    "siaga": (24, "jam", 3, "hari_kerja"),
    "waspada": (3, "hari_kerja", 10, "hari_kerja"),
    "normal": (5, "hari_kerja", 20, "hari_kerja"),
}


def install(rule_model: Any, policy_model: Any) -> None:
    """Create what is missing (historical or real models)."""
    if not rule_model.objects.exists():
        for isu, level, act, info, note in RULES:
            rule_model.objects.create(
                isu=isu, min_alert_level=level, act_kinds=act, info_kinds=info, note=note
            )
    for level, (a, au, c, cu) in POLICIES.items():
        policy_model.objects.get_or_create(
            alert_level=level,
            defaults={"acknowledge_amount": a, "acknowledge_unit": au, "close_amount": c, "close_unit": cu},
        )


def ensure_defaults() -> None:
    from waspada.response.models import DeadlinePolicy, RoutingRule

    install(RoutingRule, DeadlinePolicy)
