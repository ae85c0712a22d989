"""Kemendagri codes and region names, without touching the database."""

from __future__ import annotations

import re
import unicodedata

from waspada.regions.models import Level, RegionType

CODE_PATTERNS: dict[int, re.Pattern[str]] = {
    Level.PROVINSI: re.compile(r"^\d{2}$"),
    Level.KABUPATEN: re.compile(r"^\d{2}\.\d{2}$"),
    Level.KECAMATAN: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    Level.DESA: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}

_NON_WORD = re.compile(r"[^0-9a-z]+")


def code_within(code: str, area: str) -> bool:
    """Whether the region ``code`` is ``area`` or lies inside it (dotted Kemendagri prefixes)."""
    return code == area or code.startswith(area + ".")


def normalize_name(name: str) -> str:
    """Lower case, accents and punctuation removed: "Paser  Belengkong" → "paser belengkong"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", ascii_name.lower()).strip()


def level_of(code: str) -> int | None:
    """The level a dotted code belongs to, or None if it is not a Kemendagri code."""
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def parent_code(code: str) -> str | None:
    head, _, _tail = code.rpartition(".")
    return head or None


def normalize_code(raw: str) -> str:
    """Accept ``6401062001`` or ``64.01.06.2001`` and return the dotted form (unchanged if unknown)."""
    text = raw.strip()
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(part for part in parts if part)
    return text


def type_of(code: str) -> str:
    """The region type implied by the code (Permendagri 58/2021 codification rules)."""
    level = level_of(code)
    if level == Level.PROVINSI:
        return RegionType.PROVINSI
    if level == Level.KABUPATEN:
        return RegionType.KOTA if int(code[3:5]) >= 71 else RegionType.KABUPATEN
    if level == Level.KECAMATAN:
        return RegionType.KECAMATAN
    if level == Level.DESA:
        return {"1": RegionType.KELURAHAN, "3": RegionType.DESA_ADAT}.get(code[9], RegionType.DESA)
    raise ValueError(f"bukan kode wilayah Kemendagri: {code!r}")
