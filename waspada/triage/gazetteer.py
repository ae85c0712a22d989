"""Place finding (geoparsing) in Indonesian free text against a gazetteer of the whole country.

The gazetteer is built from the region list packaged with Waspada
(``waspada/regions/data/idn-area-data``, the same files ``waspada demo`` imports), not from the
database: it works on a fresh installation and covers all of Indonesia even when the database
holds one regency. It is loaded once per process (about a second) and kept in memory.

Finding places, in order:

1. the text is normalised (lower case, no accents or punctuation) into words with their offsets;
   "Tj."/"Tjg." read as "Tanjung";
2. from left to right, the longest run of up to six words that is a region name is a mention;
   a word before it may say the level ("Ds.", "Desa", "Kel.", "Kampung", "Gampong", "Nagari",
   "Negeri" (not after "Pengadilan", "luar"...), "Kec.", "Distrik", "Kab.", "Kota"; "Camat" when a
   kecamatan has the name); old spellings (``oe``, ``dj``, ``tj``) are folded; a name of several
   words also matches written as one word and the other way round ("Tanjunguncang", "Hitu
   Lama"/"Hitulama", "Limapuluh Kota" for Kabupaten Lima Puluh Kota), unless the run holds a
   function word ("ke long"); "Kota Administrasi Jakarta Barat" is also "Jakarta Barat", "Desa
   Adat Ayapo" also "Ayapo"; common short names are known ("Muba", "OKI", "Jakut", "Tangsel",
   "Halsel", "Morotai", "Kalbar", "Sulsel"...); in the home province a name one letter away
   ("Pasir"/"Paser", "Lembok"/"Lombok") is accepted after a level word or for names of two words;
3. a name right after a landmark or ethnic word ("Dayak Paser", "Sungai Kandilo", "Kali Tala",
   "Jl.", "PT") is not a place (a port or an airport is named after its place: "Bandara Sentani",
   "Pelabuhan Bakauheni" are places); a regency, city or province name counts anywhere; a lone
   one-word name without a level word must stand after a place preposition ("di", "ke", "dari")
   near home, and must not be a common word; a smaller place far from home without a level word
   ("Cengkareng", "Bayung Lencir") counts only when another place named in the text holds it or
   lies in it ("Cengkareng, Jakarta Barat"; "Muara Merang, Bayung Lencir": two such names support
   each other, but not two mentions of the same name); a kecamatan name found nowhere else in
   Indonesia counts anywhere (one word only when written with a capital: "Cengkareng", not
   "kelapa"), and after a place word a name that is one kecamatan and elsewhere only villages is
   that kecamatan, unless the name right after it holds one of those villages ("di Mulyorejo,
   Silo" is the village of Kecamatan Silo); in a text that writes names with capitals (acronyms
   such as "HGU" do not count), a lower-case one-word name far from the home province is a word
   ("saling serang di sawah");
4. each mention has candidate regions; each is scored by the level word, the other places named
   in the text (a place inside another place also named wins, +4, a little more for each further
   region around it), the reporter's region and the installation's regency
   (``WASPADA_HOME_REGION``), and the best one is kept: a regency named in the text outweighs the
   home bonus; a bare name of a city and a regency ("Semarang") is the city, by a hair; a
   regency's name stays the name of a kecamatan too ("di Manokwari Selatan ... Bupati
   Manokwari" is the distrik);
5. a name that is both a kecamatan and a village inside it ("Tanah Grogot") means the kecamatan
   unless a village word comes before it;
6. when no village found lies in a kecamatan found, the one lying in a regency the text names and
   with its own level word wins ("Kampung" is a hamlet word in Java, no village word here), and
   villages outside every region the text names, found without a village word, are dropped;
   among several kecamatan the one said with its level word is taken, else one of the home
   regency, else one in a regency the text names (the surest, then the first).
"""

from __future__ import annotations

import csv
import gzip
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "regions" / "data" / "idn-area-data"

PROVINSI, KABUPATEN, KECAMATAN, DESA = 1, 2, 3, 4
LEVEL_NAMES = {PROVINSI: "provinsi", KABUPATEN: "kabupaten", KECAMATAN: "kecamatan", DESA: "desa"}

# Words that say which level the following name is (after punctuation is removed).
LEVEL_WORDS: dict[str, int] = {
    "desa": DESA,
    "ds": DESA,
    "kel": DESA,
    "kelurahan": DESA,
    "kampung": DESA,
    "kp": DESA,
    "gampong": DESA,  # Aceh
    "nagari": DESA,  # Sumatera Barat
    "negeri": DESA,  # Maluku ("Negeri Wasia"), not after "pengadilan", "luar"... (NOT_LEVEL_BEFORE)
    "distrik": KECAMATAN,  # Papua
    "kec": KECAMATAN,
    "kecamatan": KECAMATAN,
    "kcm": KECAMATAN,
    "kab": KABUPATEN,
    "kabupaten": KABUPATEN,
    "kota": KABUPATEN,
    "pemkab": KABUPATEN,
    "pemkot": KABUPATEN,
    "prov": PROVINSI,
    "provinsi": PROVINSI,
    "propinsi": PROVINSI,
}
# Words naming the level only when a region of that level has the name: "Camat Buleleng".
WEAK_LEVEL_WORDS: dict[str, int] = {"camat": KECAMATAN}
# "Pengadilan Negeri Ambon", "luar negeri": "negeri" is no village word after these.
NOT_LEVEL_BEFORE = frozenset(
    "pengadilan kejaksaan kejari pn luar dalam sekolah sma smp sd smk man mtsn min universitas "
    "politeknik institut bank aparatur sipil perusahaan badan usaha milik".split()
)
# A name right after one of these is a river, a mountain, a street, a company or a people.
LANDMARK_WORDS = frozenset(
    "sungai sei sg kali gunung gn bukit danau jalan jl jln gang gg pt cv ud "
    "suku etnis dayak bahasa adat orang bugis banjar jawa madura toraja kutai bangsa rumpun "
    "lembaga paguyuban kerukunan keluarga hotel rm rumah toko warung".split()
)
# Place prepositions that make a lone one-word name a place.
PLACE_WORDS = frozenset("di ke dari sekitar wilayah daerah kawasan arah menuju asal dekat".split())
# People of a place: "warga Biu". A weaker cue: it makes a lone name a village of the home regency.
PEOPLE_WORDS = frozenset("warga masyarakat penduduk nelayan petani pemuda kades camat lurah".split())
# Peoples whose names are also region names: never a place without a level word.
ETHNIC_NAMES = frozenset(
    "paser pasir dayak bugis banjar jawa madura toraja kutai bali batak buton flores timor mandar "
    "sunda minang bajau tidung berau melayu".split()
)
# Everyday words that are also one-word region names somewhere.
# Names of far regencies that are everyday words too, written joined (see ``_acceptable``).
COMMON_PHRASES = frozenset({"batubara", "tanahdatar"})

COMMON_WORDS = frozenset(
    """
    baru jaya makmur sari harapan mulya mulia indah damai sejahtera maju bersatu karya bhakti
    bakti lama tengah utara selatan timur barat hulu hilir ulu ilir atas bawah dalam luar kota
    pasar kampung lori random kerang mengkudu belimbing tapis kayu
    batu air tanah sungai teluk tanjung muara pulau laut gunung bukit padang rantau lembah
    tiga dua satu empat lima warga masyarakat tani nelayan buruh hari minggu senin selasa rabu
    kamis jumat sabtu pagi siang sore malam baik aman tertib ramai sepi lancar macet bandar waspada
    harapan sentosa bahagia makmur sumber rejo rejeki rezeki mekar mandiri merdeka sukamaju
    cinta kasih kurnia anugerah berkat permai asri subur lestari tenang
    """.split()
)
# Kecamatan names that are everyday words, found written in lower case inside texts that write
# names with capitals (the training texts): in a text all in lower case they are words, not names
# ("saling lempar", "mandau" the blade, "lahan gambut").
EVERYDAY_WORDS = frozenset(
    """
    saling selesai negara bantaran kelapa seluas gantung petang pemenang pendopo mandau gambut
    kepung lembar palang bendahara teriak
    """.split()
)
# Words that are never a place, even after "desa" ("desa yang dibangun").
FUNCTION_WORDS = frozenset(
    "yang dan atau di ke dari itu ini ada tidak sudah belum akan juga dengan untuk pada oleh "
    "sebelah tetangga lain setempat kami kita mereka tersebut tak lebih sangat masih".split()
)
# Common short names of Kalimantan Timur regencies and Paser places.
ALIASES: dict[str, str] = {
    "ppu": "64.09",
    "kukar": "64.02",
    "kutim": "64.08",
    "kubar": "64.07",
    "mahulu": "64.11",
    "bpp": "64.71",
    "grogot": "64.01.04",
    "tgt": "64.01.04",
    "kaltim": "64",
    # Short names used in news from elsewhere.
    "muba": "16.06",
    "oki": "16.02",
    "oku": "16.01",
    "muratara": "16.13",
    "pali": "16.12",
    "jakpus": "31.71",
    "jakut": "31.72",
    "jakbar": "31.73",
    "jaksel": "31.74",
    "jaktim": "31.75",
    "tangsel": "36.74",
    "pangkep": "73.10",
    "jakarta": "31",
    "dki": "31",
    "sumut": "12",
    "sumbar": "13",
    "sumsel": "16",
    "babel": "19",
    "kepri": "21",
    "jabar": "32",
    "jateng": "33",
    "jatim": "35",
    "diy": "34",
    "ntb": "52",
    "ntt": "53",
    "kalbar": "61",
    "kalteng": "62",
    "kalsel": "63",
    "kaltara": "65",
    "sulut": "71",
    "sulteng": "72",
    "sulsel": "73",
    "sultra": "74",
    "sulbar": "76",
    "malut": "82",
    # Regencies as the news and members of their regions shorten them (not those that are
    # everyday words or chat shorthand: "tuba", "kobar", "sbb").
    "tapteng": "12.01",
    "taput": "12.02",
    "tapsel": "12.03",
    "madina": "12.13",
    "humbahas": "12.16",
    "sergai": "12.18",
    "labusel": "12.22",
    "labura": "12.23",
    "pasbar": "13.12",
    "inhu": "14.02",
    "inhil": "14.04",
    "rohul": "14.06",
    "rohil": "14.07",
    "kuansing": "14.09",
    "lamsel": "18.01",
    "lamteng": "18.02",
    "lampura": "18.03",
    "lambar": "18.04",
    "lamtim": "18.07",
    "tubaba": "18.12",
    "ttu": "53.03",
    "kotim": "62.02",
    "malteng": "81.01",
    "malra": "81.02",
    "halbar": "82.01",
    "halteng": "82.02",
    "halut": "82.03",
    "halsel": "82.04",
    "haltim": "82.06",
    "morotai": "82.07",
    "taliabu": "82.08",
}
MAX_WORDS = 6

_WORD = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower case ASCII: accents removed, the same length as ``text`` (offsets stay valid)."""
    out = []
    for char in text:
        ascii_char = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")[:1]
        out.append(ascii_char.lower() if ascii_char else " ")
    return "".join(out)


# Whole-word abbreviations of name parts ("Tj. Priok", "Tjg. Pandan").
ABBREVIATIONS = {"tj": "tanjung", "tjg": "tanjung"}


def canonical_word(word: str) -> str:
    """Old (pre-1972) spellings folded: Dj→J, Tj→C, oe→u ("Tjempaka", "Soengai")."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    for old, new in (("oe", "u"), ("dj", "j"), ("tj", "c")):
        if old in word:
            word = word.replace(old, new)
    return word


def words_of(text: str) -> list[tuple[str, int, int]]:
    """(canonical word, start, end) for each word of ``text``; offsets index the original text."""
    return [(canonical_word(m.group()), m.start(), m.end()) for m in _WORD.finditer(fold(text))]


def key_of(name: str) -> str:
    return " ".join(word for word, _s, _e in words_of(name))


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: int

    @property
    def parent(self) -> str | None:
        head, _, _tail = self.code.rpartition(".")
        return head or None


@dataclass
class Found:
    """A place named in a text: the region, the words that named it, and how sure we are."""

    code: str
    name: str
    level: int
    start: int
    end: int
    span: str
    confidence: float
    prefix_start: int = -1  # where the level word before the name ("Ds.", "Kec.") starts

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "level": LEVEL_NAMES[self.level],
            "span": [self.start, self.end],
            "text": self.span,
            "confidence": round(self.confidence, 2),
        }


@dataclass
class PlaceResult:
    """Every place found, and the most specific consistent reading: desa(s), kecamatan, kabupaten."""

    found: list[Found] = field(default_factory=list)
    desa: list[str] = field(default_factory=list)
    kecamatan: str | None = None
    kabupaten: str | None = None
    confidence: float = 0.0

    @property
    def best(self) -> str | None:
        """The one code a report form would take: the first desa, else the kecamatan."""
        if self.desa:
            return self.desa[0]
        return self.kecamatan or self.kabupaten


@dataclass
class _Mention:
    start_word: int
    end_word: int
    level_word: int | None
    candidates: list[str]
    fuzzy: set[str]
    cue: bool  # preceded by a place preposition or a level word
    people_cue: bool = False  # preceded by "warga", "nelayan"...
    weak: bool = False  # a place only if it lies in another place the text names


def _within(code: str, ancestor: str) -> bool:
    return code == ancestor or code.startswith(ancestor + ".")


def _cased(words: list[tuple[str, int, int]], text: str) -> bool:
    """True when at least one word in ten is written with a capital and then small letters:
    names are then written so. Acronyms ("HGU", "PT", "TNI") say nothing: a chat in lower
    case writes them in capitals too."""
    capitals = sum(
        text[start : start + 1].isupper() and not text[start:end].isupper() for _w, start, end in words
    )
    return capitals * 10 >= len(words)


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    for index in range(len(b)):
        if b[:index] + b[index + 1 :] == a:
            return True
    return False


class Gazetteer:
    """Every region name of Indonesia, indexed by normalised name, with fuzzy matching at home."""

    def __init__(self, places: Iterable[Place], *, home: str) -> None:
        self.home = home
        self.home_province = home.split(".")[0]
        self.places: dict[str, Place] = {}
        self.index: dict[str, list[str]] = {}
        self._deletes: dict[str, set[str]] = {}
        for place in places:
            self.places[place.code] = place
            for key in self._keys(place):
                self.index.setdefault(key, []).append(place.code)
        for alias, code in ALIASES.items():
            if code in self.places:
                self.index.setdefault(alias, []).append(code)
        # Fuzzy matching only for names in the home province: a few thousand keys, cheap to index.
        for key, codes in self.index.items():
            if len(key) >= 5 and any(_within(code, self.home_province) for code in codes):
                for variant in {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}:
                    self._deletes.setdefault(variant, set()).add(key)

    @staticmethod
    def _keys(place: Place) -> set[str]:
        # "Hunuth/Durian Patah": each side of a slash is a name too.
        names = [place.name, *(part for part in place.name.split("/") if "/" in place.name)]
        keys = {key_of(name) for name in names} - {""}
        for key in list(keys):
            if place.level == KABUPATEN:
                for prefix in ("kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota "):
                    if key.startswith(prefix):
                        keys.add(key[len(prefix) :])
                        break
            if place.level == PROVINSI and key.startswith("daerah istimewa "):
                keys.add(key.replace("daerah istimewa ", "di "))
            # "Desa Adat Ayapo" is "Kampung Ayapo"; "Desa Kampung Baru" is "Kampung Baru".
            if place.level == DESA:
                for prefix in ("desa adat ", "desa "):
                    if key.startswith(prefix) and len(key) > len(prefix) + 3:
                        keys.add(key[len(prefix) :])
                        break
        # Names of several words are also written as one ("Tanjunguncang", "Hitulama").
        if place.level >= KABUPATEN:
            keys |= {key.replace(" ", "") for key in keys if " " in key}
        return keys

    def _distinctive(self, codes: list[str]) -> bool:
        """A kecamatan name found nowhere else in Indonesia, save villages of that kecamatan
        ("Cengkareng", "Tembagapura", "Kuala Kencana"): a place wherever it stands."""
        districts = [c for c in codes if self.places[c].level == KECAMATAN]
        return (
            len(districts) == 1
            and len(self._name(districts[0])) >= 6
            and all(_within(c, districts[0]) for c in codes)
        )

    def _name(self, code: str) -> str:
        return self.places[code].name.lower()

    def fuzzy_keys(self, key: str) -> list[str]:
        found: set[str] = set()
        for variant in {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}:
            found |= self._deletes.get(variant, set())
        return sorted(k for k in found if k != key and _edit1(k, key))

    # -- finding ---------------------------------------------------------------------------------

    def find(self, text: str, *, reporter_region: str | None = None) -> PlaceResult:
        words = words_of(text)
        mentions = self._mentions(words, text)
        chosen = self._resolve(mentions, reporter_region=reporter_region)
        return self._result(text, words, mentions, chosen)

    def _lookup(self, key: str, *, allow_fuzzy: bool, level: int | None) -> tuple[list[str], set[str]]:
        """Codes named ``key`` exactly, plus (when allowed and none is in the home province at
        ``level``) the home-province codes one letter away; the second value holds those."""
        codes = [c for c in self.index.get(key, []) if key not in LEVEL_WORDS]
        at_home = [
            c
            for c in codes
            if _within(c, self.home_province) and (level is None or self.places[c].level == level)
        ]
        if allow_fuzzy and len(key) >= 5 and not at_home and not set(key.split()) & FUNCTION_WORDS:
            near: set[str] = set()
            for other in self.fuzzy_keys(key):
                near.update(c for c in self.index[other] if _within(c, self.home_province))
            codes.extend(sorted(near))
            return codes, near
        return codes, set()

    def _mentions(self, words: list[tuple[str, int, int]], text: str = "") -> list[_Mention]:
        mentions: list[_Mention] = []
        weak: list[_Mention] = []
        i = 0
        while i < len(words):
            previous = words[i - 1][0] if i > 0 else ""
            level_word = LEVEL_WORDS.get(previous) or WEAK_LEVEL_WORDS.get(previous)
            if previous == "negeri" and i > 1 and words[i - 2][0] in NOT_LEVEL_BEFORE:
                level_word = None
            match: _Mention | None = None
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                key = " ".join(word for word, _s, _e in words[i : i + n])
                allow_fuzzy = n >= 2 or level_word is not None
                codes, fuzzy = self._lookup(key, allow_fuzzy=allow_fuzzy, level=level_word)
                if n >= 2 and not {word for word, _s, _e in words[i : i + n]} & FUNCTION_WORDS:
                    # "Hitu Lama" for "Hitulama", "Bojong Menteng" for "Bojongmenteng".
                    joined = key.replace(" ", "")
                    codes = codes + [
                        c
                        for c in self.index.get(joined, [])
                        if self.places[c].level >= KABUPATEN and c not in codes and key not in LEVEL_WORDS
                    ]
                if not codes:
                    continue
                first = words[i][0]
                if n >= 3 and first in LEVEL_WORDS:
                    # "Desa Kampung Baru, Kecamatan Kubu": the level word says the level of the
                    # name after it when that is a name too.
                    rest = " ".join(word for word, _s, _e in words[i + 1 : i + n])
                    if self.index.get(rest) or self.index.get(rest.replace(" ", "")):
                        codes = []
                        break
                word_level = level_word
                if level_word is not None:
                    same_level = [c for c in codes if self.places[c].level == level_word]
                    if previous in WEAK_LEVEL_WORDS and not same_level:
                        word_level = None  # "camat Budi": a person, no kecamatan
                    # "Kota Samarinda", "Kab. Paser": a regency word also fits a province-level miss.
                    codes = same_level or codes
                match = _Mention(i, i + n, word_level, codes, fuzzy, cue=False)
                break
            if match is None:
                i += 1
                continue
            if not self._acceptable(match, words, previous, text):
                if match.weak:
                    weak.append(match)
                i += 1
                continue
            mentions.append(match)
            i = match.end_word
        # "Warga Pemaluan di Sepaku", "Cengkareng, Jakarta Barat", "Kel. Kebun Bunga, Sukarami",
        # "Muara Merang, Bayung Lencir": a name far from home kept only because another place
        # named in the text holds it or lies in it (names kept this way support each other).
        changed = True
        while changed and weak:
            changed = False
            for mention in list(weak):
                named = [c for m in mentions for c in m.candidates]
                named += [
                    c
                    for m in weak
                    if m.end_word <= mention.start_word or mention.end_word <= m.start_word
                    for c in m.candidates
                ]
                related = [
                    c
                    for c in mention.candidates
                    if any((_within(c, o) or _within(o, c)) and self._name(c) != self._name(o) for o in named)
                ]
                taken = any(
                    m.start_word < mention.end_word and mention.start_word < m.end_word for m in mentions
                )
                if related and not taken:
                    mention.candidates = related
                    mentions.append(mention)
                    weak.remove(mention)
                    changed = True
        return sorted(mentions, key=lambda m: m.start_word)

    def _held_by_next(self, mention: _Mention, words: list[tuple[str, int, int]], besides: str) -> bool:
        """Whether the one to three words right after ``mention`` name a region (other than
        ``besides`` and the regions around it) that holds one of the mention's candidates."""
        end = mention.end_word
        for n in range(1, 4):
            if end + n > len(words):
                break
            key = " ".join(word for word, _s, _e in words[end : end + n])
            for holder in self.index.get(key, []):
                if _within(besides, holder):
                    continue
                if any(c != holder and _within(c, holder) for c in mention.candidates):
                    return True
        return False

    def _acceptable(
        self, mention: _Mention, words: list[tuple[str, int, int]], previous: str, text: str = ""
    ) -> bool:
        first = words[mention.start_word][0]
        n = mention.end_word - mention.start_word
        if n == 1 and first in FUNCTION_WORDS:
            return False
        if mention.level_word is not None:
            mention.cue = True
            return True
        # "Dayak Paser", "Sungai Kandilo", "Jl. Kuaro", "PT ...": a people, a river, a street, a firm.
        if previous in LANDMARK_WORDS:
            return False
        if previous in PLACE_WORDS:
            mention.cue = True
        elif previous in PEOPLE_WORDS:
            mention.people_cue = True
        # Everyday words that are also a far regency's name ("truk batu bara" is coal, not
        # Kabupaten Batu Bara; "tanah datar" is flat land): a place only after a place word.
        phrase = " ".join(word for word, _start, _end in words[mention.start_word : mention.end_word])
        if phrase.replace(" ", "") in COMMON_PHRASES and not any(
            _within(c, self.home_province) for c in mention.candidates
        ):
            mention.weak = True
            return False
        if n == 1:
            if first in ETHNIC_NAMES or first in LANDMARK_WORDS or len(first) < 3:
                return False
            if first in COMMON_WORDS:
                # "warga Kerang" is a village of the home regency; "kerang mahal" is shellfish.
                home = [c for c in mention.candidates if _within(c, self.home)]
                mention.candidates = home
                return bool(home) and mention.people_cue
            # In a text that writes names with capitals, a lower-case word far from home is a
            # word ("saling serang di sawah"), not a name.
            start = words[mention.start_word][1]
            if (
                text[start : start + 1].islower()
                and _cased(words, text)
                and not any(_within(c, self.home_province) for c in mention.candidates)
            ):
                return False
            high = [c for c in mention.candidates if self.places[c].level <= KABUPATEN]
            if high:
                mention.candidates = high
                return True
            # A lone district or village word counts near home only: a kecamatan of the home
            # province, a village of the home province after a place word, else of the home regency.
            near = [
                c
                for c in mention.candidates
                if (self.places[c].level == KECAMATAN and _within(c, self.home_province))
                or (self.places[c].level == DESA and _within(c, self.home))
                or (self.places[c].level == DESA and mention.cue and _within(c, self.home_province))
            ]
            # A distinctive kecamatan written as a name ("Cengkareng"; "kelapa" is a fruit), or in
            # a text written all in lower case (a chat: "demo di cimarga ricuh").
            start = words[mention.start_word][1]
            as_name = text[start : start + 1].isupper() or (
                not _cased(words, text) and first not in EVERYDAY_WORDS
            )
            if not near and as_name and self._distinctive(mention.candidates):
                near = mention.candidates
            # After a place word, a name that is one kecamatan of Indonesia and elsewhere only
            # villages is that kecamatan ("di Kalideres": a village of Cirebon has the name too).
            # Unless the name after it holds one of its villages ("di Mulyorejo, Silo": the
            # village of Kecamatan Silo): the two then support each other as below.
            if not near and as_name and mention.cue:
                districts = [c for c in mention.candidates if self.places[c].level == KECAMATAN]
                if (
                    len(districts) == 1
                    and len(self._name(districts[0])) >= 6
                    and not self._held_by_next(mention, words, districts[0])
                ):
                    near = [c for c in mention.candidates if _within(c, districts[0]) or c == districts[0]]
            if not near:
                mention.weak = True
                return False
            mention.candidates = near
            return True
        # A regency or city of several words counts anywhere ("Ogan Ilir", "Jakarta Barat").
        # Its namesakes stay candidates: "di Manokwari Selatan ... ke Manokwari" is the distrik.
        high = [c for c in mention.candidates if self.places[c].level <= KABUPATEN]
        if high:
            return True
        if self._distinctive(mention.candidates):
            return True
        # Several words but far from home ("tambang emas", "air keruh" are villages somewhere):
        # only after a place word, or when the home province has that name.
        if not mention.cue and not any(_within(c, self.home_province) for c in mention.candidates):
            mention.weak = True
            return False
        return True

    def _resolve(self, mentions: list[_Mention], *, reporter_region: str | None) -> list[tuple[str, float]]:
        chosen: list[tuple[str, float]] = []
        for index, mention in enumerate(mentions):
            others = [c for j, m in enumerate(mentions) if j != index for c in m.candidates]
            scored: list[tuple[float, str]] = []
            for code in mention.candidates:
                place = self.places[code]
                score = 0.0
                if mention.level_word is not None and place.level == mention.level_word:
                    score += 3
                if _within(code, self.home):
                    score += 2
                elif _within(code, self.home_province):
                    score += 1
                if reporter_region:
                    if _within(code, reporter_region) or _within(reporter_region, code):
                        score += 2
                    elif place.parent and _within(reporter_region, place.parent):
                        score += 1
                # Context: another place named in the text that contains this one, or lies in it.
                # Each further region around it counts a little ("Kel. Sukaasih, Kec. Tangerang",
                # "Tangerang Kota": the kelurahan of the city, not the village of the regency).
                around = {other for other in others if other != code and _within(code, other)}
                if around:
                    score += 4 + 0.5 * (len(around) - 1)
                elif any(other != code and _within(other, code) for other in others):
                    score += 1
                # Without a level word a name that is both a region and a smaller one inside it
                # means the larger: "Tanah Grogot" is the kecamatan, not the kelurahan.
                if mention.level_word is None:
                    score += (DESA - place.level) * 0.1
                    # A bare "Semarang", "Bekasi", "Jayapura" is the city rather than the regency.
                    if place.level == KABUPATEN and place.code.split(".")[1] >= "70":
                        score += 0.05
                if code in mention.fuzzy:
                    score -= 1
                scored.append((score, code))
            scored.sort(key=lambda item: (-item[0], item[1]))
            best_score, best = scored[0]
            # A namesake inside or above the best one is no rival ("Kuaro" kecamatan and kelurahan).
            rivals = [s for s, c in scored[1:] if not (_within(c, best) or _within(best, c))]
            runner_up = rivals[0] if rivals else None
            confidence = 0.55
            if mention.cue:
                confidence += 0.15
            elif mention.people_cue:
                confidence += 0.1
            if best_score >= 4:
                confidence += 0.15
            if runner_up is None or best_score - runner_up >= 1:
                confidence += 0.15
            elif best_score - runner_up < 0.5:
                confidence -= 0.25
            if best in mention.fuzzy:
                confidence -= 0.15
            chosen.append((best, max(0.05, min(confidence, 0.99))))
        return chosen

    def _result(
        self,
        text: str,
        words: list[tuple[str, int, int]],
        mentions: list[_Mention],
        chosen: list[tuple[str, float]],
    ) -> PlaceResult:
        result = PlaceResult()
        for mention, (code, confidence) in zip(mentions, chosen, strict=True):
            place = self.places[code]
            start = words[mention.start_word][1]
            end = words[mention.end_word - 1][2]
            found = Found(code, place.name, place.level, start, end, text[start:end], confidence)
            if mention.level_word is not None and mention.start_word > 0:
                found.prefix_start = words[mention.start_word - 1][1]
            result.found.append(found)
        if not result.found:
            return result
        desas = [f for f in result.found if f.level == DESA]
        kecs = [f for f in result.found if f.level == KECAMATAN]
        kabs = [f for f in result.found if f.level == KABUPATEN]
        # A village whose kecamatan is also named agrees with it; prefer villages that agree.
        if desas and kecs:
            agreeing = [d for d in desas if any(_within(d.code, k.code) for k in kecs)]
            if agreeing:
                desas = agreeing
            else:
                # None agrees: the village or the kecamatan lying in a regency the text names,
                # with its own level word, wins ("Kampung Bahari, Tanjung Priok ... Jakarta Utara").
                def weight(found: Found) -> float:
                    inside = any(_within(found.code, k.code) for k in kabs)
                    # "Kampung" is a hamlet in Java, a village only in Papua: no village word.
                    prefix = key_of(text[found.prefix_start : found.start]) if found.prefix_start >= 0 else ""
                    return 2 * inside + (prefix not in ("", "kampung", "kp"))

                if max(weight(k) for k in kecs) >= max(weight(d) for d in desas):
                    desas = []
        if desas and kabs:
            # Villages outside every region the text names, without a village word, are dropped
            # ("Tanah Merah, Boven Digoel": not the Tanah Merah of Samarinda).
            higher = [f for f in result.found if f.level < DESA]
            desas = [d for d in desas if any(_within(d.code, h.code) for h in higher) or d.prefix_start >= 0]
        seen: list[str] = []
        for desa in desas:
            if desa.code not in seen:
                seen.append(desa.code)
        result.desa = seen
        if desas:
            result.kecamatan = desas[0].code.rsplit(".", 1)[0]
            result.confidence = max(d.confidence for d in desas)
        elif kecs:
            # The first, surest kecamatan named with its level word ("Kec. Kusan Hulu ... dari
            # Batu Sopang"), else of the home regency ("dari Long Kali ke Penajam", "Long Ikis
            # dengan Babulu (PPU)"), else in a regency the text names.
            best = max(
                kecs,
                key=lambda k: (
                    k.prefix_start >= 0,
                    _within(k.code, self.home),
                    any(_within(k.code, kab.code) for kab in kabs),
                    k.confidence,
                    -k.start,
                ),
            )
            result.kecamatan = best.code
            result.confidence = best.confidence
        if result.kecamatan:
            result.kabupaten = result.kecamatan.rsplit(".", 1)[0]
        elif kabs:
            best_kab = max(kabs, key=lambda k: k.confidence)
            result.kabupaten = best_kab.code
            result.confidence = best_kab.confidence
        return result

    # -- names to codes (for labels) -------------------------------------------------------------

    def resolve_name(self, name: str, *, level: int, within: str | None = None) -> str | None:
        """A region code for an official name or code at ``level`` (labels of the evaluation set)."""
        raw = name.strip()
        if re.fullmatch(r"[\d.]+", raw):
            return raw if raw in self.places else None
        codes = [c for c in self.index.get(key_of(raw), []) if self.places[c].level == level]
        if within:
            inside = [c for c in codes if _within(c, within)]
            codes = inside or codes
        home = [c for c in codes if _within(c, self.home)]
        codes = home or codes
        return sorted(codes)[0] if codes else None


def _read(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_places(directory: Path = DATA_DIR) -> list[Place]:
    places: list[Place] = []
    for stem, level in (
        ("provinces", PROVINSI),
        ("regencies", KABUPATEN),
        ("districts", KECAMATAN),
        ("villages", DESA),
    ):
        for row in _read(directory / f"{stem}.csv.gz"):
            places.append(Place(row["code"], row["name"], level))
    return places


_cache: dict[str, Gazetteer] = {}
_lock = threading.Lock()
_places: list[Place] = []


def gazetteer(home: str | None = None) -> Gazetteer:
    """The process-wide gazetteer for ``home`` (default ``WASPADA_HOME_REGION``), built once."""
    if home is None:
        from django.conf import settings

        home = str(settings.WASPADA_HOME_REGION)
    with _lock:
        if home not in _cache:
            if not _places:
                _places.extend(load_places())
            _cache[home] = Gazetteer(_places, home=home)
        return _cache[home]


def find_places(text: str, *, reporter_region: str | None = None, home: str | None = None) -> PlaceResult:
    return gazetteer(home).find(text, reporter_region=reporter_region)
