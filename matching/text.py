"""French-aware text normalisation: tokens, stop words and a light stemmer.

Everything here is a pure function of its input, so it can be cached and used
identically when fitting, querying and adding documents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Elided articles and pronouns (l', d', qu'...) become separate tokens that the
# stop list removes; the apostrophe itself is a separator.
_APOSTROPHES = "'\u2019\u2018\u02bc\u2032`\u00b4"
_FOLD_MAP = {"œ": "oe", "æ": "ae", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl", **{a: " " for a in _APOSTROPHES}}
# str.translate with a dict table goes through a slow per-character path on non-ASCII text
# (a quarter of the fit's analysis at 100,000 documents): one regex pass over the few
# characters to replace gives the same string about 7x faster.
_FOLD_RE = re.compile("[" + re.escape("".join(_FOLD_MAP)) + "]")
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Longest token kept: longer runs are hashes, URLs or garbage, not words.
MAX_TOKEN_LEN = 40

FRENCH_STOP_WORDS = frozenset(
    """
    a à afin ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient
    aurais aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles
    auxquels avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons
    c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chacun chacune chaque
    chez ci comme comment d dans de des desquelles desquels dessous dessus deux dont du duquel
    elle elles en encore entre es est et etaient etais etait etant ete etes etiez etions etre
    eu eue eues eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fait
    furent fus fusse fussent fusses fussiez fussions fut futes hors ici il ils j je jusqu
    jusque l la laquelle le lequel les lesquelles lesquels leur leurs lorsqu lorsque lui m ma
    mais me meme memes mes moi mon n ne ni non nos notre nous on ont or ou par parce pas peu
    peut plus pour pourquoi puis puisqu puisque qu quand que quel quelle quelles quels qui quoi
    s sa sans se sera serai seraient serais serait seras serez seriez serions serons seront ses
    si sien sienne soi soient sois soit sommes son sont sous soyez soyons suis sur t ta te tes
    toi ton tous tout toute toutes tres tu un une unes uns vers via vos votre vous y
    etc nca
    """.split()
)
# A few English function words, so that English text (the ESCO check, English
# tags) is not dominated by "the" and "of"; none is a French content word.
ENGLISH_STOP_WORDS = frozenset(
    "the and of to in for with on or an by from at is are be as that this its their it into".split()
)
STOP_WORDS = FRENCH_STOP_WORDS | ENGLISH_STOP_WORDS


def strip_accents(text: str) -> str:
    """Remove combining marks (é -> e) after canonical decomposition."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case-fold, expand ligatures (œ -> oe) and NFKC-normalise, keeping accents."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _FOLD_RE.sub(_fold_char, text.lower())


def _fold_char(match: re.Match) -> str:
    return _FOLD_MAP[match.group()]


def surface_tokens(text: str) -> list[str]:
    """Lower-case word tokens with accents kept, split on apostrophes, hyphens and punctuation.

    Stop words are kept here (callers that show words to people need positions);
    `tokens` drops them.
    """
    found = _TOKEN_RE.findall(fold(text))
    if found and max(map(len, found)) > MAX_TOKEN_LEN:
        return [t for t in found if len(t) <= MAX_TOKEN_LEN]
    return found


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Accent-free form of a folded token: the key for stop words and n-grams."""
    return strip_accents(word)


def is_stop_word(word: str) -> bool:
    """True for French (and common English) function words, single letters and digits-only tokens of one char."""
    norm = normalize_word(word)
    return len(norm) < 2 or norm in STOP_WORDS


@lru_cache(maxsize=500_000)
def is_content_word(token: str) -> bool:
    """Not a stop word (memoised: tokens repeat, and `tokens` runs on every document)."""
    return not is_stop_word(token)


class _Memo(dict):
    """A function's results by argument, computed on a miss: ``memo.__getitem__`` as the
    function given to map() or filter() is a plain dict lookup for the arguments already seen,
    about twice as fast as an lru_cache'd call (no key to build, no recency list to update).
    Cleared when it reaches ``size`` entries."""

    def __init__(self, function, size: int):
        super().__init__()
        self.function, self.size = function, size

    def __missing__(self, key):
        if len(self) >= self.size:
            self.clear()
        value = self[key] = self.function(key)
        return value


_CONTENT_WORDS = _Memo(is_content_word, 500_000)


def tokens(text: str) -> list[str]:
    """Folded surface tokens without stop words, the unit that the engine indexes."""
    # filter() over a memoised predicate stays in C for the words already seen: about 3x
    # faster than a Python loop, and tokenisation is most of a fit's time.
    return list(filter(_CONTENT_WORDS.__getitem__, surface_tokens(text)))


def _ends(word: str, suffix: str, min_len: int) -> bool:
    return len(word) > min_len and word.endswith(suffix)


def _norm_tail(s: str) -> str:
    # Collapse doubled letters and drop a final -ie/-r/-e(e): mirrors the
    # normalisation step of Savoy's light French stemmer.
    if len(s) > 4:
        out = [s[0]]
        for ch in s[1:]:
            if ch != out[-1] or not ch.isalpha():
                out.append(ch)
        s = "".join(out)
    if len(s) > 4 and s.endswith("ie"):
        s = s[:-2]
    if len(s) > 4:
        for ch in ("r", "e", "e"):
            if s.endswith(ch):
                s = s[:-1]
        if len(s) > 1 and s[-1] == s[-2] and s[-1].isalpha():
            s = s[:-1]
    return s


# (suffix, minimum word length, replacement); first match wins, then _norm_tail.
_SUFFIX_RULES = (
    ("issement", 9, "ir"),
    ("issant", 8, "ir"),
    ("ficatrice", 11, "fier"),
    ("ficateur", 10, "fier"),
    ("catrice", 9, "quer"),
    ("cateur", 8, "quer"),
    ("atrice", 8, "er"),
    ("ateur", 7, "er"),
    ("ième", 5, ""),
    ("teuse", 7, "ter"),
    ("teur", 6, "ter"),
    ("euse", 5, "eu"),
    ("ère", 8, "er"),
    ("ive", 7, "if"),
    ("nnelle", 9, "n"),
    ("nnel", 9, "n"),
    ("esse", 8, "e"),
    ("inage", 7, "in"),
    ("isation", 9, ""),
    ("isateur", 9, ""),
    ("ation", 8, ""),
    ("ition", 8, ""),
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light French stem of a folded token (plural and gender forms meet), accent-free.

    An adaptation of J. Savoy's light stemmer (as in Lucene's FrenchLightStemmer):
    it removes inflection and a few derivational suffixes, never whole roots, so
    "communale", "communaux" and "communal" share a stem while "commune" differs.
    """
    s = word
    if len(s) > 5 and s.endswith("x"):
        if s.endswith("aux") and s[-4] != "e":
            s = s[:-2] + "l"
        else:
            s = s[:-1]
    if len(s) > 3 and s[-1] in "xs":
        s = s[:-1]
    if _ends(s, "ement", 6):
        s = s[:-4]
        if _ends(s, "ive", 3):
            s = s[:-1] + "f"
        return strip_accents(_norm_tail(s))
    if _ends(s, "eure", 5):  # feminine -eure (ingénieure, docteure) -> -eur
        s = s[:-1]
    if _ends(s, "trice", 6) and not _ends(s, "atrice", 8):
        s = s[:-5] + "teur"
    for suffix, min_len, repl in _SUFFIX_RULES:
        if _ends(s, suffix, min_len - 1):
            s = s[: len(s) - len(suffix)] + repl
            break
    else:
        if _ends(s, "ète", 4):
            s = s[:-3] + "et"
        if _ends(s, "ique", 4):
            s = s[:-4] + "ic"
    return strip_accents(_norm_tail(strip_accents(s)))


_STEMS = _Memo(stem, 200_000)


def stems(words: list[str]) -> list[str]:
    """``[stem(w) for w in words]``, through a dict of the words already stemmed (`_Memo`)."""
    return list(map(_STEMS.__getitem__, words))


def char_ngrams(word: str, sizes: tuple[int, ...]) -> list[str]:
    """Character n-grams of an accent-free word padded with spaces (scikit-learn's char_wb)."""
    padded = f" {word} "
    out = []
    for n in sizes:
        if len(padded) < n:
            continue
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def affixes(word: str, sizes: tuple[int, ...]) -> list[str]:
    """Prefixes of the given lengths and the 4-letter ending of an accent-free word.

    Prefix truncation is a strong stemmer for French on its own; with the ending it
    links plural, gender and derived forms and spelling variants at a few features a
    word (character n-grams cost six times more postings for a small gain).
    """
    out = [word[:n] + "|" for n in sizes if len(word) > n]
    if len(word) > 6:
        out.append("|" + word[-4:])
    return out


def word_grams(word: str, spec: tuple[str, tuple[int, ...]]) -> list[str]:
    """Sub-word features of an accent-free word: ("affix", sizes) or ("char", n-gram sizes)."""
    mode, sizes = spec
    if mode == "affix":
        return affixes(word, sizes)
    if mode == "char":
        return char_ngrams(word, sizes)
    raise ValueError(f"unknown gram mode {mode!r}; expected 'affix' or 'char'")
