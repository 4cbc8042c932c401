"""Acronyms, abbreviations and synonyms, applied at analysis time on both sides.

A lexicon is a list of entries (term, expansion). When the analyser sees one form of an
entry in a text (the term "PLU", or the phrase "plans locaux d'urbanisme"), it adds the
words of the other form, so that a need written with acronyms meets an offer written in
full words, and the reverse. Forms are compared on the light stems of their content
words, so plurals and stop words do not matter. Terms marked "stricte" (acronyms that are
also common words: PAVE, PAT, CAF...) are recognised only when written in capitals.

The shipped lexicon, "fr-admin", is ``data/sigles_administration_fr.csv`` (French local
public administration; Licence Ouverte 2.0 / Etalab; versioned by its "# version:" line).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from pathlib import Path

from .text import stem, stems as stems_of, tokens

DATA_DIR = Path(__file__).parent / "data"
SHIPPED = {"fr-admin": DATA_DIR / "sigles_administration_fr.csv"}
KINDS = ("sigle", "abreviation", "synonyme")
COLUMNS = ("terme", "developpement", "type", "domaine", "source", "casse")


@dataclass(frozen=True)
class Entry:
    """One line of a lexicon: a term and its expansion, with its kind, domain and source."""

    term: str
    expansion: str
    kind: str
    domain: str
    source: str
    strict_case: bool = False


def read_entries(path) -> tuple[str, list[Entry]]:
    """(version, entries) of a lexicon file: "#" header lines (one is "# version: ..."), then a
    ";"-separated table with the header ``COLUMNS``. ValueError on a malformed file."""
    version = None
    body = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                if key.strip() == "version":
                    version = value.strip()
            elif line.strip():
                body.append(line)
    if not version:
        raise ValueError(f"{path}: no '# version:' line")
    reader = csv.reader(body, delimiter=";")
    header = next(reader, None)
    if tuple(header or ()) != COLUMNS:
        raise ValueError(f"{path}: header must be {';'.join(COLUMNS)}")
    entries = []
    for n, row in enumerate(reader, start=2):
        if len(row) != len(COLUMNS):
            raise ValueError(f"{path}: row {n} has {len(row)} fields, expected {len(COLUMNS)}")
        term, expansion, kind, domain, source, case = (c.strip() for c in row)
        entries.append(Entry(term, expansion, kind, domain, source, case == "stricte"))
    return version, entries


def form_key(text: str) -> tuple[str, ...]:
    """The comparable form of a term or phrase: the stems of its content words."""
    return tuple(stem(w) for w in tokens(text))


class Lexicon:
    """Entries indexed for finding their forms in a text's content words."""

    def __init__(self, entries: list[Entry], version: str, name: str = ""):
        self.entries = list(entries)
        self.version = version
        self.name = name
        # first stem -> [(stems of the form, entry number, side)], longest forms first;
        # side 0 is the term, 1 the expansion. A form found adds the other side's words.
        self._starts: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
        self._words = []
        for i, e in enumerate(self.entries):
            forms = (form_key(e.term), form_key(e.expansion))
            self._words.append((tokens(e.term), tokens(e.expansion)))
            for side, key in enumerate(forms):
                if key:
                    self._starts.setdefault(key[0], []).append((key, i, side))
        for options in self._starts.values():
            options.sort(key=lambda t: -len(t[0]))
        # Whole forms of one stem, and the first two stems of longer forms: a text where neither
        # occurs holds no form. Most texts share a first stem with some form ("commerce" starts
        # "commerce de proximité"), so the first stems alone let 96 % of the benchmark's
        # documents through to the loop below; with the pairs, one in seven.
        self._singles = frozenset(key[0] for opts in self._starts.values() for key, _, _ in opts if len(key) == 1)
        self._pairs = frozenset(key[:2] for opts in self._starts.values() for key, _, _ in opts if len(key) > 1)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, words: list[str], raw_text: str = "") -> list[tuple[int, int, list[str]]]:
        """Forms found in ``words`` (a text's folded content words, in order), as
        (start, end, words to add): the other side of each entry found, unless that side is
        in the text too. ``raw_text`` (the text as written) decides the "stricte" terms."""
        if not words:
            return []
        stems = stems_of(words)
        if self._singles.isdisjoint(stems) and self._pairs.isdisjoint(zip(stems, stems[1:])):
            return []  # most texts: no form here
        return self._find_in_stems(stems, raw_text)

    def _find_in_stems(self, stems: list[str], raw_text: str) -> list[tuple[int, int, list[str]]]:
        """`find` without its prefilter: every position whose stem starts a form is tried."""
        starts = self._starts
        found = []
        # positions whose stem starts a form, selected in C (most words start none)
        for i in compress(range(len(stems)), map(starts.__contains__, stems)):
            for key, entry, side in starts[stems[i]]:
                n = len(key)
                if tuple(stems[i : i + n]) != key:
                    continue
                if side == 0 and self.entries[entry].strict_case and not _written_in_capitals(self.entries[entry].term, raw_text):
                    continue
                found.append((i, i + n, entry, side))
        present = {(entry, side) for _, _, entry, side in found}
        return [
            (start, end, self._words[entry][1 - side])
            for start, end, entry, side in found
            if (entry, 1 - side) not in present
        ]

    def expand(self, words: list[str], raw_text: str = "") -> list[str]:
        """The words to add to ``words`` (see `find`), flattened."""
        return [w for _, _, extra in self.find(words, raw_text) for w in extra]


@lru_cache(maxsize=256)
def _capitals_re(term: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)")


def _written_in_capitals(term: str, raw_text: str) -> bool:
    return bool(_capitals_re(term).search(raw_text))


@lru_cache(maxsize=8)
def load(name: str | None) -> Lexicon | None:
    """The lexicon called ``name`` ("fr-admin"), or a path to a lexicon file; None for None."""
    if name is None:
        return None
    path = SHIPPED.get(name)
    if path is None:
        path = Path(name)
        if not path.is_file():
            raise ValueError(f"unknown lexicon {name!r}; expected one of {sorted(SHIPPED)} or a file path")
    version, entries = read_entries(path)
    return Lexicon(entries, version, name)
