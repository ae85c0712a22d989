"""Casualty counts a report's text states: ``counts_of("3 orang tewas, lima luka-luka")``.

The report form has three count fields (``casualties_dead``, ``casualties_injured``,
``casualties_displaced``) whose rule is "empty when not known, 0 when there are none". The
suggestion fills them from the text only where the text states a number outright:

* a count before the state: "3 orang tewas", "dua warga meninggal", "5 orang luka-luka",
  "satu korban luka berat", "120 jiwa mengungsi", "seorang pemuda tewas";
* a count after it: "korban tewas 2 orang", "korban luka-luka sebanyak lima orang",
  "pengungsi berjumlah 300 jiwa", "menewaskan 2 orang", "melukai 4 warga".

Numbers are digits ("1.200" is twelve hundred) or the words *seorang*, *satu* … *sepuluh*,
*sebelas*. A vague quantity (*belasan*, *puluhan*, *ratusan*, *ribuan*, *beberapa*, *sejumlah*,
*banyak*) gives no number: the field stays empty for the reporter to fill. Households ("50 KK
mengungsi") are not people and give no number of displaced persons either.

A stated absence gives **0**, not "unknown": "tidak ada korban jiwa", "korban jiwa nihil",
"tanpa korban" say that the reporter knows there were none, which is what the form asks to be
written as 0 ("isi 0 bila memang tidak ada"); leaving it empty would lose what the text says. An
unqualified "tidak ada korban" / "nihil korban" is 0 dead and 0 injured; "tidak ada korban jiwa"
only 0 dead (injuries are not mentioned); "tidak ada korban luka" only 0 injured. A number stated
for the same field wins over an absence ("tidak ada korban jiwa … 2 orang luka": 0 dead, 2
injured). "Belum ada laporan korban" and "belum diketahui" are not an absence: nothing is filled.

Several counts of one field: injuries "luka berat" and "luka ringan" are added up; otherwise the
largest is taken (a text that repeats a count must not double it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NUMBER_WORDS = {
    "seorang": 1,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
}
VAGUE = ("belasan", "puluhan", "ratusan", "ribuan", "beberapa", "sejumlah", "banyak", "puluhan ribu")
_NUMBER = rf"(?P<n>\d{{1,3}}(?:\.\d{{3}})+|\d+|{'|'.join(NUMBER_WORDS)}|{'|'.join(VAGUE)})"
# Who is counted ("3 orang", "dua warga", "seorang pemuda"); households ("KK") are not people.
_PEOPLE = (
    r"(?:orang|org|warga|korban|jiwa|penduduk|pemuda|remaja|petani|nelayan|pekerja|karyawan|buruh|"
    r"anggota|aparat|polisi|personel|prajurit|satpam|security|siswa|pelajar|santri|anak|bocah|balita|"
    r"ibu|bapak|pria|wanita|perempuan|laki-laki|penumpang|penambang|pendemo|demonstran|pengendara)"
)
_BETWEEN = (
    r"(?:\s+(?:lainnya|lagi|di antaranya|diantaranya|yang|dilaporkan|dikabarkan|ditemukan|mengalami|"
    r"menderita))*"
)
STATES = {
    "dead": r"(?:tewas|meninggal(?: dunia)?|mninggal|terbunuh|gugur|mati)",
    "injured": r"(?:luka-luka|luka\s+(?P<q>berat|ringan|parah)|luka|terluka|lka|cedera|dirawat|kritis)",
    "displaced": r"(?:mengungsi|ngungsi|diungsikan|terpaksa mengungsi)",
}
# "korban tewas 2 orang", "pengungsi berjumlah 300 jiwa", "menewaskan dua orang"
AFTER = {
    "dead": r"(?:korban\s+(?:tewas|meninggal(?: dunia)?|jiwa)|menewaskan|merenggut nyawa)",
    "injured": r"(?:korban\s+(?:luka-luka|luka\s+(?P<q>berat|ringan|parah)|luka|cedera)|melukai)",
    "displaced": r"(?:pengungsi|warga\s+yang\s+mengungsi|yang\s+mengungsi)",
}
_JOIN = r"(?:\s*[:=]\s*|\s+(?:sebanyak|berjumlah|mencapai|ada|sekitar|kurang lebih|±)\s+|\s+)"
BEFORE_RE = {
    kind: re.compile(rf"\b{_NUMBER}(?:\s+{_PEOPLE})?{_BETWEEN}\s+{state}\b") for kind, state in STATES.items()
}
AFTER_RE = {
    kind: re.compile(rf"\b{lead}{_JOIN}{_NUMBER}(?:\s+{_PEOPLE})?\b(?!\s*kk\b)(?!\s*kepala keluarga)")
    for kind, lead in AFTER.items()
}
# A stated absence: which fields it says are zero.
NONE_RE = re.compile(
    r"\b(?:(?:tidak|tak|tdk|gak|nggak|belum)\s+(?:ada\s+|menimbulkan\s+|memakan\s+|menelan\s+)korban|"
    r"nihil\s+korban|tanpa\s+korban|zero\s+korban)(?P<what>\s+(?:jiwa|meninggal|tewas|luka(?:-luka)?))?\b"
    r"|\bkorban(?P<what2>\s+(?:jiwa|meninggal|tewas|luka(?:-luka)?))?\s+(?:nihil|tidak ada|tdk ada|nol)\b"
)


@dataclass(frozen=True)
class Casualties:
    dead: int | None = None
    injured: int | None = None
    displaced: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"dead": self.dead, "injured": self.injured, "displaced": self.displaced}


# The count fields' own limit (``reports.actions.MAX_COUNT``): a larger "number" is no count.
MAX_COUNT = 10_000_000


def _value(word: str) -> int | None:
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word[0].isdigit():
        value = int(word.replace(".", ""))
        return value if value <= MAX_COUNT else None
    return None  # a vague quantity


def _count(kind: str, lowered: str) -> int | None:
    by_qualifier: dict[str, int] = {}
    for pattern in (BEFORE_RE[kind], AFTER_RE[kind]):
        for match in pattern.finditer(lowered):
            value = _value(match.group("n"))
            if value is None:
                continue
            qualifier = (match.groupdict().get("q") or "") if kind == "injured" else ""
            if qualifier == "parah":
                qualifier = "berat"
            by_qualifier[qualifier] = max(by_qualifier.get(qualifier, 0), value)
    if not by_qualifier:
        return None
    if "berat" in by_qualifier and "ringan" in by_qualifier:
        return by_qualifier["berat"] + by_qualifier["ringan"]
    return max(by_qualifier.values())


def counts_of(text: str) -> Casualties:
    """The dead, injured and displaced ``text`` states as numbers (``None`` where it states none)."""
    lowered = re.sub(r"\s+", " ", text.lower())
    found = {kind: _count(kind, lowered) for kind in STATES}
    for match in NONE_RE.finditer(lowered):
        what = (match.group("what") or match.group("what2") or "").strip()
        kinds = ["injured"] if what.startswith("luka") else ["dead"] if what else ["dead", "injured"]
        for kind in kinds:
            if found[kind] is None:
                found[kind] = 0
    return Casualties(**found)
