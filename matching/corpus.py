"""Documents analysed into compact arrays, chunk by chunk, on processes for large corpora.

A chunk's words become int32 ids as soon as it is analysed (the reference path kept ~45 Python
strings per document until the end of the fit); chunks are merged in document order, so word
ids follow first appearance whatever the number of processes. Each word comes back with its
stem: the analysis processes have stemmed every word already (the lexicon matches stems), and
stemming the vocabulary again in the parent was its largest serial step after the analysis.

Each analysis process numbers words in its own vocabulary, kept across its chunks, and sends
back only the words it had not seen before: a chunk's distinct words are mostly known by then
(the vocabulary saturates), so the parent looks up a few new words per chunk instead of all of
them, and maps the rest with one numpy gather through that process's id table.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .parallel import children_allowed, die_with_parent, fork_context, gc_paused, resolve_n_jobs
from .text import stems
from .vectorize import analyse

# Documents per analysis chunk: big enough that a chunk's result is cheap to send back,
# small enough that its word strings stay a few MB.
CHUNK_SIZE = 4096
# Below this many documents a process pool costs more than it saves.
PARALLEL_MIN_DOCS = 20_000


@dataclass
class Tokens:
    """Analysed documents as arrays: ``ids`` holds each document's text words then its tag
    words (ids into ``words``), ``n_text``/``n_tag`` how many of each per document;
    ``stems[i]`` is ``text.stem(words[i])``."""

    words: list[str]
    stems: list[str]
    ids: np.ndarray
    n_text: np.ndarray
    n_tag: np.ndarray


@dataclass
class Chunk:
    """One analysed chunk in global word ids (see `Tokens`); ``new_words``/``new_stems`` are the
    words first seen in this chunk, numbered from ``first_new`` in order."""

    first_new: int
    new_words: list[str]
    new_stems: list[str]
    ids: np.ndarray
    n_text: np.ndarray
    n_tag: np.ndarray


class _Vocabulary(dict):
    """A process's word ids: a word missing gets the next id and is recorded in ``new``, so
    that one pass of lookups numbers a chunk's words and lists its new ones in order."""

    def __init__(self):
        super().__init__()
        self.new: list[str] = []

    def __missing__(self, word: str) -> int:
        i = self[word] = len(self)
        self.new.append(word)
        return i


def _analyse_chunk(items, lexicon, vocab: _Vocabulary):
    """(new words, their stems, word ids, text counts, tag counts) of a chunk of (text, tags)
    pairs; ids are in ``vocab`` (the process's own, grown here), new words are those it lacked."""
    flat: list[str] = []
    n_text = np.empty(len(items), dtype=np.int32)
    n_tag = np.empty(len(items), dtype=np.int32)
    for r, (text, tags) in enumerate(items):
        words, tag_words = analyse(text, tags, lexicon)
        flat += words
        flat += tag_words
        n_text[r], n_tag[r] = len(words), len(tag_words)
    vocab.new = []
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int32, count=len(flat))
    return vocab.new, stems(vocab.new), ids, n_text, n_tag


# A forked worker's inputs, inherited from the parent (Pool initargs are not pickled under fork).
_WORK: dict = {}


def _init_worker(parent_pid: int, items, lexicon) -> None:
    die_with_parent(parent_pid)
    _WORK["items"], _WORK["lexicon"], _WORK["vocab"] = items, lexicon, _Vocabulary()
    # Analysis builds no reference cycles; a collection would walk (and copy, page by page,
    # out of the parent's memory) every object inherited by the fork.
    gc.disable()


def _analyse_range_of(bounds: tuple[int, int]):
    start, end = bounds
    # the pid tells the parent whose vocabulary the ids are in
    return (os.getpid(), *_analyse_chunk(_WORK["items"][start:end], _WORK["lexicon"], _WORK["vocab"]))


class _WordIds:
    """The parent's side: the global vocabulary, and per analysis process the global id of
    each of its own ids."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.tables: dict[int, np.ndarray] = {}
        self.sizes: dict[int, int] = {}

    def merge(self, source, new, new_stems, ids, n_text, n_tag) -> Chunk:
        first = len(self.index)
        index = self.index
        globals_of_new = np.empty(len(new), dtype=np.int32)
        added, added_stems = [], []
        for i, (w, s) in enumerate(zip(new, new_stems)):
            # a process's new word may be known already: another process met it earlier
            j = index.get(w)
            if j is None:
                j = index[w] = len(index)
                added.append(w)
                added_stems.append(s)
            globals_of_new[i] = j
        table = self._extend(source, globals_of_new)
        return Chunk(first, added, added_stems, table[ids] if len(ids) else ids, n_text, n_tag)

    def _extend(self, source, values: np.ndarray) -> np.ndarray:
        table = self.tables.get(source, np.empty(0, dtype=np.int32))
        size = self.sizes.get(source, 0)
        if size + len(values) > len(table):  # amortised growth
            grown = np.empty(max(2 * len(table), size + len(values), 1024), dtype=np.int32)
            grown[:size] = table[:size]
            table = self.tables[source] = grown
        table[size : size + len(values)] = values
        self.sizes[source] = size + len(values)
        return table[: size + len(values)]


def analysed_chunks(docs, lexicon, n_jobs: int = 1) -> Iterator[Chunk]:
    """Analyse ``docs`` (Documents) in chunks, on ``n_jobs`` processes for large corpora, and
    yield them in document order (word ids follow first appearance whatever ``n_jobs``), so
    that the caller's work on a chunk overlaps the analysis of the next ones.

    Workers are forked: they read the documents and the lexicon from the parent's memory and
    send back only their new words and int32 arrays."""
    items = [(d.text, d.tags) for d in docs]
    ranges = [(i, min(i + CHUNK_SIZE, len(items))) for i in range(0, len(items), CHUNK_SIZE)]
    n_jobs = min(resolve_n_jobs(n_jobs), len(ranges))
    word_ids = _WordIds()
    if n_jobs > 1 and len(items) >= PARALLEL_MIN_DOCS:
        gc.freeze()  # the children's collector leaves the inherited objects alone
        try:
            with children_allowed(), fork_context().Pool(n_jobs, initializer=_init_worker,
                                                         initargs=(os.getpid(), items, lexicon)) as pool:
                del items
                for result in pool.imap(_analyse_range_of, ranges):
                    yield word_ids.merge(*result)
        finally:
            gc.unfreeze()
    else:
        vocab = _Vocabulary()
        for start, end in ranges:
            with gc_paused():
                result = _analyse_chunk(items[start:end], lexicon, vocab)
            yield word_ids.merge(0, *result)


def tokenize(docs, lexicon, n_jobs: int = 1) -> Tokens:
    """All of ``docs`` analysed (`analysed_chunks`), as one `Tokens`."""
    words: list[str] = []
    stems: list[str] = []
    parts = []
    for chunk in analysed_chunks(docs, lexicon, n_jobs):
        words += chunk.new_words
        stems += chunk.new_stems
        parts.append((chunk.ids, chunk.n_text, chunk.n_tag))

    def cat(i):
        return np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=np.int32)

    return Tokens(words, stems, cat(0), cat(1), cat(2))
