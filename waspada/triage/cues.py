"""The evidence an alert level rests on: the cues a text states.

A Kesbangpol analyst sets ``siaga`` or ``awas`` because of what the report says, not because of
its vocabulary at large: someone died or was hurt, weapons were seen, a crowd gathered, it spread
to other villages, an ultimatum runs out, a vulnerable group is the target. ``cues_of`` finds
those statements with short patterns (chat spellings included); the level classifier reads them as
features of their own (``classify.Model``), and the suggestion names them, so the reporter and
the analyst see why a level is suggested ("korban jiwa: tewas; senjata: parang").

The seven cues are those the real-sourced corpus is labelled with (``corpus.CUES``,
``data/README.md``); their patterns were written from the labelling rule and checked against the
training split's labels (``benchmarks/triage_cv.py --cues``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from waspada.triage.casualties import NONE_RE

_N = (
    r"(?:\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|belasan|puluhan|ratusan|"
    r"seorang|beberapa|sejumlah)"
)

PATTERNS: dict[str, str] = {
    "korban_jiwa": r"\b(tewas\w*|meninggal(?: dunia)?|mninggal|korban jiwa|terbunuh|dibunuh|membunuh|"
    r"pembunuhan|menewaskan|jenazah|mayat|jasad|ditemukan mati|gugur|kehilangan nyawa)\b",
    "luka": r"\b(luka\w*|terluka|melukai|dilukai|lka|cedera|dirawat|kritis|dianiaya|penganiayaan|"
    r"dikeroyok|pengeroyokan|dibacok|pembacokan|ditikam|penikaman|ditusuk|tertembak|babak belur|"
    r"patah)\b",
    "senjata": r"\b(senjata\w*|sajam|senpi|parang|golok|celurit|clurit|pedang|tombak|panah|"
    r"busur|badik|mandau|samurai|pisau|bom|bahan peledak|molotov|rakitan|amunisi|peluru|"
    r"bersenjata|tembak(?!au)\w*|menembak\w*|ditembak|airsoft|ketapel|bambu runcing)\b",
    "massa": rf"\b(massa|ratusan|ribuan|puluhan (?:orang|warga|pemuda|massa)|konsentrasi|"
    rf"berkumpul|mengepung|dikepung|memblokade|blokade|blokir\w*|memblokir|menduduki|pendudukan|"
    rf"demo\w*|unjuk rasa|aksi massa|ramai-ramai|beramai-ramai|bentrok\w*|tawuran|kerusuhan|"
    rf"ricuh|kericuhan|mobilisasi|{_N} (?:kk|kepala keluarga))\b",
    "meluas": r"\b(meluas|merembet|menjalar|menyebar ke|desa (?:lain|tetangga|sebelah)|kampung "
    r"(?:lain|tetangga|sebelah)|antar ?desa|antar ?kampung|antarwarga desa|kecamatan lain|"
    r"beberapa desa|(?:dua|tiga|empat|lima|\d+) (?:desa|kampung|kecamatan|distrik)|ke wilayah lain)\b",
    "tenggat": r"\b(ultimatum|tenggat|batas waktu|deadline|paling lambat|dalam waktu \w+ (?:hari|jam|minggu)|"
    r"(?:\d+|dua|tiga|tujuh) ?x ?24 jam|\d+ jam|sebelum tanggal|jika tidak|kalau tidak|klo tdk|"
    r"jika tak|bila tidak|akan (?:kembali )?(?:turun|menyerang|menyerbu|bertindak|mengusir))\b",
    "rentan": r"\b(anak-anak|anak|bocah|balita|bayi|siswa|pelajar|murid|santri|perempuan|wanita|"
    r"ibu-ibu|ibu hamil|lansia|lanjut usia|difabel|disabilitas|pengungsi|mengungsi|pengungsian|"
    r"minoritas|jemaat|jemaah|penganut|umat)\b",
}
CUE_RE: dict[str, re.Pattern[str]] = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}

LABELS: dict[str, Any] = {
    "korban_jiwa": _("korban jiwa"),
    "luka": _("korban luka"),
    "senjata": _("senjata"),
    "massa": _("pengerahan massa"),
    "meluas": _("meluas ke wilayah lain"),
    "tenggat": _("tenggat atau ultimatum"),
    "rentan": _("kelompok rentan"),
}


@dataclass(frozen=True)
class Cue:
    name: str
    words: list[str]

    @property
    def label(self) -> str:
        return str(LABELS[self.name])

    def as_dict(self) -> dict[str, Any]:
        return {"cue": self.name, "label": self.label, "words": self.words}


# A stated absence of victims is no victim cue: "tidak ada korban jiwa", "korban nihil" (the
# casualty reader's own pattern, which makes them 0), and "tidak ada yang tewas / terluka".
_ABSENT = re.compile(
    rf"{NONE_RE.pattern}|\b(?:tidak|tak|tdk|gak|nggak|belum)\s+ada\s+(?:yang|yg)\s+"
    r"(?:tewas|meninggal|terluka|luka\w*|cedera)\b"
)


def _stated(text: str) -> str:
    """``text`` in lower case with every stated absence of victims blanked out."""
    return _ABSENT.sub(lambda m: " " * len(m.group(0)), text.lower())


def cues_of(text: str) -> list[Cue]:
    """The cues ``text`` states, in ``PATTERNS`` order, each with the words that state it."""
    lowered = _stated(text)
    found = []
    for name, pattern in CUE_RE.items():
        words = list(dict.fromkeys(m.group(0) for m in pattern.finditer(lowered)))
        if words:
            found.append(Cue(name, words[:3]))
    return found


def cue_features(texts: Sequence[str]) -> Any:
    """Per text, one 0/1 column per cue (for the level classifier)."""
    stated = [_stated(text) for text in texts]
    return np.array(
        [[1.0 if pattern.search(text) else 0.0 for pattern in CUE_RE.values()] for text in stated]
    ).reshape(len(texts), len(CUE_RE))
