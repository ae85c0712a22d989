"""Forgiving search over reports and incidents: Indonesian affixes, compounds split or joined.

Every report and incident keeps a normalised column, ``search_terms``, written by ``save()`` in the
same transaction as the row (titles and narratives are never edited after filing): the words of
the title (and a report's narrative) lowercased, each with the stems a light Indonesian stemmer
gives it, and every two neighbouring words joined ("batu bara" also gives "batubara"). A query is
read the same way: each of its words matches by any of its forms, and two neighbouring query
words may also match as one joined word, so

* "batubara" finds "batu bara" (the joined pair of the narrative) and "batu bara" finds
  "batubara" (the query's joined pair), "batu-bara" either;
* "dibakar", "membakar", "terbakar", "kebakaran" and "bakar" find each other (one stem, "bakar");
* "menyerang" finds "diserang" (meny- + vowel is s-: the stemmer gives both readings).

PostgreSQL reads the column's stored ``tsvector``, ``search_vector`` (a generated column with a
GIN index, migration ``reports/0007``), with an exact-lexeme ``tsquery``; SQLite compares the column with
``LIKE '% form %'`` (the column starts and ends with a space). The stemmer is deliberately light
(rules, no dictionary): it over-strips some words ("makan" also indexed as "mak"), which is
harmless because the word itself is indexed as well and both sides are stemmed alike.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from typing import Any

from django.db import connection
from django.db.models import Q

MAX_WORDS = 8
MIN_STEM = 3
_WORD = re.compile(r"[0-9a-zà-ÿ]+")

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
_VOWELS = "aiueo"


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased (letters and digits; everything else separates)."""
    return _WORD.findall(text.lower())


def _strip_suffixes(word: str) -> set[str]:
    forms = {word}
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM + 1:
            word = word[: -len(particle)]
            forms.add(word)
            break
    for possessive in _POSSESSIVES:
        if word.endswith(possessive) and len(word) - len(possessive) >= MIN_STEM + 1:
            word = word[: -len(possessive)]
            forms.add(word)
            break
    for suffix in _SUFFIXES:  # every reading: "bentrokan" is bentrok-an, "tembakkan" tembak-kan
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM + 1:
            forms.add(word[: -len(suffix)])
    return forms


def _strip_prefix(word: str) -> set[str]:
    """The readings of ``word`` without one derivational prefix (with the nasal's lost letter)."""
    found: set[str] = set()

    def add(stem: str) -> None:
        if len(stem) >= MIN_STEM:
            found.add(stem)

    rest: str
    if word.startswith(("meng", "peng")):
        rest = word[4:]
        add(rest)
        if rest[:1] in _VOWELS:
            add("k" + rest)  # mengirim -> kirim
    elif word.startswith(("meny", "peny")):
        rest = word[4:]
        if rest[:1] in _VOWELS:
            add("s" + rest)  # menyerang -> serang
    elif word.startswith(("mem", "pem")):
        rest = word[3:]
        add(rest)  # membakar -> bakar
        if rest[:1] in _VOWELS:
            add("p" + rest)  # memukul -> pukul
    elif word.startswith(("men", "pen")):
        rest = word[3:]
        add(rest)  # mendengar -> dengar
        if rest[:1] in _VOWELS:
            add("t" + rest)  # menembak -> tembak
    elif word.startswith(("me", "pe")):
        add(word[2:])  # melempar -> lempar
    if word.startswith(("ber", "ter", "per")):
        add(word[3:])
        if word[3:4] == "r":
            add(word[4:])
    elif word.startswith(("be", "te")) and word[2:3] == "r":
        add(word[2:])  # beramai, terampas: the r belongs to the stem
    if word.startswith(("di", "ke", "se")):
        add(word[2:])
    return found


@functools.lru_cache(maxsize=65536)
def stems(word: str) -> frozenset[str]:
    """Every form ``word`` is indexed and searched by: itself and its stems (kept: a language's
    words repeat, and a narrative of 50 words is read in a tenth of the time).

    >>> sorted(stems("membakar"))
    ['bakar', 'membakar']
    """
    return frozenset(_stems(word))


def _stems(word: str) -> set[str]:
    forms = {word}
    if len(word) <= MIN_STEM or word.isdigit():
        return forms
    for unsuffixed in _strip_suffixes(word):
        forms.add(unsuffixed)
        for stem in _strip_prefix(unsuffixed):
            forms.add(stem)
            # a second prefix (diper-, memper-, ber- after ke-) and the suffix the first hid
            for deeper in _strip_prefix(stem):
                forms.add(deeper)
            forms.update(_strip_suffixes(stem))
    return forms


def terms(*texts: str) -> str:
    """The ``search_terms`` value for a row holding ``texts``: forms space-separated, padded."""
    found: set[str] = set()
    for text in texts:
        seen = words(text or "")
        for word in seen:
            found.update(stems(word))
        for left, right in itertools.pairwise(seen):
            found.add(left + right)
    return " " + " ".join(sorted(found)) + " " if found else ""


def _alternatives(query_words: list[str]) -> list[list[frozenset[str]]]:
    """The readings of a query: its words as typed, and with each neighbouring pair joined."""
    readings = [[stems(word) for word in query_words]]
    for index in range(len(query_words) - 1):
        joined = query_words[index] + query_words[index + 1]
        readings.append(
            [stems(word) for word in query_words[:index]]
            + [stems(joined)]
            + [stems(word) for word in query_words[index + 2 :]]
        )
    return readings


def tsquery(text: str) -> str:
    """The PostgreSQL ``tsquery`` text for ``text`` ("" when it holds no word). Only letters and
    digits reach it, so nothing typed is ever read as query syntax."""
    query_words = words(text)[:MAX_WORDS]
    if not query_words:
        return ""
    readings = [
        " & ".join("(" + " | ".join(sorted(forms)) + ")" for forms in reading)
        for reading in _alternatives(query_words)
    ]
    return " | ".join(f"({reading})" for reading in readings)


def condition(text: str) -> Q | None:
    """The same match as a ``Q`` on ``search_terms`` (SQLite; also correct on PostgreSQL)."""
    query_words = words(text)[:MAX_WORDS]
    if not query_words:
        return None
    readings = []
    for reading in _alternatives(query_words):
        every = [
            functools.reduce(operator.or_, (Q(search_terms__contains=f" {form} ") for form in sorted(forms)))
            for forms in reading
        ]
        readings.append(functools.reduce(operator.and_, every))
    whole: Q = functools.reduce(operator.or_, readings)
    return whole


def search(queryset: Any, text: str) -> Any:
    """Rows of ``queryset`` (reports or incidents) matching every word of ``text``, forgivingly."""
    if connection.vendor == "postgresql":
        query = tsquery(text)
        if not query:
            return queryset
        table = queryset.model._meta.db_table
        # Only our own table name is interpolated; the query travels as a parameter. The stored
        # ``tsvector`` of reports/0007 (``search_vector``, GIN-indexed), read, not recomputed.
        return queryset.extra(  # noqa: S610
            where=[f'"{table}"."search_vector" @@ to_tsquery(\'simple\', %s)'],
            params=[query],
        )
    found = condition(text)
    return queryset if found is None else queryset.filter(found)
