"""Reasons for a match, in words a person reads: the phrases of the query that weighed
most, shared tags, and the distance when both sides have a place.

Only meaningful terms are quoted: no stop words, no words of no topic ("ponctuel",
"plusieurs", "déjà"), no numbers, no words found in most indexed documents, no place
names (French regions, and the query's ``meta["place_names"]``), nothing twice. Query words
that matched next to each other are quoted together as they were written ("plan local
d'urbanisme" rather than "urbanisme"); an acronym whose expansion matched is quoted as
written ("PLU").
"""

from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache

import numpy as np

from .rules import haversine_km
from .quoting import content_parts, never_quoted, place_words, quoted_match, words_of_tag
from .text import normalize_word, stem, tokens
from .types import Reasons
from .vectorize import tag_key, word_columns

# A phrase never spans these (sentence or list boundaries).
_BREAK_RE = re.compile(r"[.;:!?,()\[\]\n/]")
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_GAP = 2  # stop words allowed inside a phrase ("plan local d'urbanisme": 1)
MAX_PHRASE = 6  # content words in a phrase


def word_feature_ids(word: str, vocabs, offsets, gram_spec, is_tag: bool, cache: dict | None = None) -> set[int]:
    """Columns of the concatenated feature space that one folded query word produces."""
    sid, grams, _missing = word_columns(word, vocabs, gram_spec, cache)
    ids = set()
    if sid >= 0:
        ids.add(offsets["stem"] + sid)
        if is_tag:
            ids.add(offsets["tag"] + sid)
    ids.update((grams + offsets["gram"]).tolist())
    return ids


def common_stems(stem_vocab: dict, idf: np.ndarray, n: int, share: float, min_docs: int) -> frozenset:
    """Stems found in more than ``share`` of the ``n`` fitted documents (never quoted: they say
    nothing about one match), derived from the smoothed idf; none below ``min_docs`` documents."""
    if n < min_docs:
        return frozenset()
    # smoothed idf = ln((1 + n) / (1 + df)) + 1, so df = (1 + n) / exp(idf - 1) - 1
    df = (1.0 + n) / np.exp(idf.astype(np.float64) - 1.0) - 1.0
    names = list(stem_vocab)
    return frozenset(names[j] for j in np.flatnonzero(df > share * n).tolist())


class QueryWords:
    """A query's content words, their feature columns and positions, computed once per query.

    ``share`` is a (words x features) matrix: a feature produced by several query words
    splits its contribution between them; the features that a lexicon entry added are
    credited to the words that triggered it.
    """

    def __init__(self, text: str, tags, vocabs, offsets, gram_spec, cache: dict | None = None,
                 lexicon=None, common_stems=frozenset(), meta=None, columns=None):
        # ``columns``: the engine's `query_columns.QueryColumns`, whose per-word sets of
        # feature ids are kept between queries (the same sets as `word_feature_ids`)
        if columns is not None:
            feature_ids = columns.feature_ids
        else:
            def feature_ids(word, is_tag):
                return word_feature_ids(word, vocabs, offsets, gram_spec, is_tag, cache)
        tag_words = [w for t in tags for w in words_of_tag(t)]
        tag_set = set(tag_words)
        # content tokens of the text with their spans in the text as written
        self.text = text
        self.spans: list[tuple[int, int]] = []
        content: list[str] = []
        for m in _TOKEN_RE.finditer(text):
            parts = content_parts(m.group())
            if parts:
                span = m.span()
                content += parts
                self.spans += [span] * len(parts)
        places = place_words(meta)
        self.words: list[str] = []
        index: dict[str, int] = {}
        feature_sets: list[set[int]] = []
        for w in content + tag_words:
            if w not in index:
                index[w] = len(self.words)
                self.words.append(w)
                feature_sets.append(set(feature_ids(w, w in tag_set)))
        self.position_word = [index[w] for w in content]
        if lexicon is not None:
            for start, end, extra in lexicon.find(content, text):
                added = set().union(*(feature_ids(x, False) for x in extra))
                for p in range(start, end):
                    feature_sets[index[content[p]]] |= added
        self.keys = [stem(w) for w in self.words]
        # empty words, numbers and places are never quoted, not even at a phrase's edge; a
        # common word is kept inside a phrase ("plan local d'urbanisme") but never alone
        self.empty = [never_quoted(w) or (bool(places) and normalize_word(w) in places) for w in self.words]
        self.quotable = [not (e or key in common_stems) for e, key in zip(self.empty, self.keys)]
        self.text_words = len(set(content))
        self.features = np.array(sorted(set().union(*feature_sets)), dtype=np.int64)
        # each word's features marked in one assignment (a word holds a feature once)
        flat = np.fromiter(itertools.chain.from_iterable(feature_sets), dtype=np.int64)
        owner = np.repeat(np.arange(len(feature_sets)), [len(ids) for ids in feature_sets])
        share = np.zeros((len(self.words), len(self.features)), dtype=np.float64)
        share[owner, np.searchsorted(self.features, flat)] = 1.0
        counts = share.sum(axis=0)
        self.share = share / np.where(counts == 0, 1.0, counts)
        # (phrase, its quotable stems, its words) of each run of matched positions: the k matches
        # of a query share most of their runs (see `_run_phrases`)
        self.runs: dict[tuple[int, ...], tuple | None] = {}
        self.joins: dict[int, bool] = {}  # `joinable(p, p + 1)`, asked again for every match

    def phrase(self, first: int, last: int) -> str:
        """The text as written from content position ``first`` to ``last``, in lower case
        except acronyms (two capitals or more)."""
        raw = " ".join(self.text[self.spans[first][0] : self.spans[last][1]].split())
        return _TOKEN_RE.sub(quoted_match, raw)

    def joinable(self, a: int, b: int) -> bool:
        """Whether content positions a < b can sit in one phrase (few stop words between, no break)."""
        between = self.text[self.spans[a][1] : self.spans[b][0]]
        return not _BREAK_RE.search(between) and len(_TOKEN_RE.findall(between)) <= MAX_GAP


def word_scores_many(query: QueryWords, q_row, x_rows) -> np.ndarray:
    """(rows x query words) contributions of each query word to q.x (one product for all)."""
    F = query.features
    if F.size == 0 or not x_rows:
        return np.zeros((len(x_rows), len(query.words)))
    last = len(F) - 1
    # the query's weight on each of its words' features (0 where the vector has none)
    q_pos = np.searchsorted(F, q_row.indices)
    q_hit = (q_pos <= last) & (F[np.minimum(q_pos, last)] == q_row.indices)
    qf = np.zeros(len(F), dtype=q_row.data.dtype)
    qf[q_pos[q_hit]] = q_row.data[q_hit]
    # the rows' features all at once (a row holds a feature once: plain assignment suffices)
    x_indices = np.concatenate([x for x, _ in x_rows])
    x_data = np.concatenate([d for _, d in x_rows])
    owner = np.repeat(np.arange(len(x_rows)), [len(x) for x, _ in x_rows])
    pos = np.searchsorted(F, x_indices)
    hit = (pos <= last) & (F[np.minimum(pos, last)] == x_indices)
    pos = pos[hit]
    contrib = np.zeros((len(x_rows), len(F)))
    contrib[owner[hit], pos] = qf[pos] * x_data[hit]
    return contrib @ query.share.T


def top_phrases(query: QueryWords, scores, skip_keys=frozenset(), n: int = 3, min_share: float = 0.1) -> tuple[str, ...]:
    """The ``n`` query phrases that weighed most in one match, each with a meaningful word.

    ``scores``: each query word's contribution; ``skip_keys``: stems not to quote (the words
    of tags already shown as shared).
    """
    scores = np.asarray(scores, dtype=np.float64)
    best = float(scores.max()) if scores.size else 0.0
    if best <= 0:
        return ()
    return _top_phrases(query, scores.tolist(), (scores > best * HIT_SHARE).tolist(), best, skip_keys, n, min_share)


# A query word counts in a match when it brings more than this share of its best word's score.
HIT_SHARE = 0.05


def _top_phrases(query: QueryWords, scores: list, hit: list, best: float, skip_keys, n: int,
                 min_share: float) -> tuple[str, ...]:
    """`top_phrases` from plain lists (``hit``: scores above ``best * HIT_SHARE``), for the
    rows of `reasons_many` compared all at once."""
    candidates = []  # (score, text, quotable stems)
    run: list[int] = []
    for p in (p for p, w in enumerate(query.position_word) if hit[w]):
        if run and (p != run[-1] + 1 or not _joins_next(query, run[-1]) or len(run) >= MAX_PHRASE):
            candidates.extend(_run_phrases(query, run, scores))
            run = []
        run.append(p)
    candidates.extend(_run_phrases(query, run, scores))
    # tag words that are not in the text: quoted alone
    for w in range(query.text_words, len(query.words)):
        if hit[w] and query.quotable[w]:
            candidates.append((scores[w], query.words[w], {query.keys[w]}))
    skip = skip_keys if isinstance(skip_keys, (set, frozenset)) else set(skip_keys)
    candidates = [c for c in candidates if c[2] - skip]
    candidates.sort(key=lambda c: (-c[0], c[1]))
    out, covered = [], set()
    for score, text, keys in candidates:
        if score < best * min_share or keys <= covered:
            continue
        out.append(text)
        covered |= keys
        if len(out) == n:
            break
    return tuple(out)


def _joins_next(query: QueryWords, p: int) -> bool:
    """``query.joinable(p, p + 1)``, worked out once per query."""
    joins = query.joins.get(p)
    if joins is None:
        joins = query.joins[p] = query.joinable(p, p + 1)
    return joins


def _run_phrases(query: QueryWords, run: list[int], scores) -> list:
    """The phrase of one run of matched content positions, trimmed of empty words at its edges;
    none when no word of it is worth quoting on its own."""
    key = tuple(run)
    if key not in query.runs:
        query.runs[key] = _run_phrase(query, run)
    found = query.runs[key]
    if found is None:
        return []
    text, keys, words = found
    return [(float(sum(scores[w] for w in words)), text, keys)]


def _run_phrase(query: QueryWords, run: list[int]) -> tuple | None:
    """(text, quotable stems, words in the order they are summed) of a run, or None."""
    if not any(query.quotable[query.position_word[p]] for p in run):
        return None
    keep = [not query.empty[query.position_word[p]] for p in run]
    first = keep.index(True)
    last = len(run) - 1 - keep[::-1].index(True)
    run = run[first : last + 1]
    words = {query.position_word[p] for p in run}
    keys = {query.keys[w] for w in words if query.quotable[w]}
    return query.phrase(run[0], run[-1]), keys, tuple(words)


def shared_tags(query_tags, doc_tags) -> tuple[str, ...]:
    """The indexed document's tags that the query also has (compared by stems), as given."""
    keys = {tag_key(t) for t in query_tags} - {""}
    return tuple(t for t in doc_tags if tag_key(t) in keys)


def distance_km(origin, lat, lon) -> float | None:
    """Rounded distance in km between the query's place and a document's, or None."""
    if origin is None or lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return None
    return round(float(haversine_km(origin[0], origin[1], lat, lon)), 1)


def distances_km(origin, lats, lons) -> list[float | None]:
    """`distance_km` of each (lat, lon), with one haversine call for them all.

    numpy's vectorised sine and arcsine may differ from its one-value path in the last bit
    (64 of 200,000 French pairs): a distance that close to a rounding boundary is worked out
    again by `distance_km`, so that the rounded answers are always the same."""
    if origin is None:
        return [None] * len(lats)
    known = [i for i, (lat, lon) in enumerate(zip(lats, lons))
             if lat is not None and lon is not None and not (math.isnan(lat) or math.isnan(lon))]
    out: list[float | None] = [None] * len(lats)
    if not known:
        return out
    km = haversine_km(origin[0], origin[1], [lats[i] for i in known], [lons[i] for i in known]).tolist()
    for i, d in zip(known, km):
        tenths = d * 10.0
        if abs(tenths - math.floor(tenths) - 0.5) < 1e-6:  # near a boundary: the one-value path
            out[i] = distance_km(origin, lats[i], lons[i])
        else:
            out[i] = round(d, 1)
    return out


@lru_cache(maxsize=65_536)
def _tag_stems(tag: str) -> frozenset:
    """Stems of a tag's words (not quoted again as phrases when the tag is shown as shared)."""
    return frozenset(stem(w) for w in tokens(tag))


def reasons_many(query: QueryWords, q_row, x_rows, query_tags, docs_tags, origin, lats, lons) -> list[Reasons]:
    """Reasons for several indexed rows of one query (one matrix product for the words, and
    each row's best word and counted words found for all the rows at once)."""
    scores = word_scores_many(query, q_row, x_rows)
    if scores.shape[1]:
        bests = scores.max(axis=1)
        hits = (scores > bests[:, None] * HIT_SHARE).tolist()
        bests = bests.tolist()
    else:
        bests, hits = [0.0] * len(scores), [[]] * len(scores)
    out = []
    for row_scores, best, hit, doc_tags, km in zip(scores.tolist(), bests, hits, docs_tags,
                                                   distances_km(origin, lats, lons)):
        tags = shared_tags(query_tags, doc_tags)
        skip = frozenset().union(*map(_tag_stems, tags))
        words = _top_phrases(query, row_scores, hit, best, skip, 3, 0.1) if best > 0 else ()
        out.append(Reasons(words=words, tags=tags, distance_km=km))
    return out
