"""Documents analysed into compact arrays, chunk by chunk, on processes for large corpora.

A chunk's words become int32 ids as soon as it is analysed (the reference path kept ~45 Python
strings per document until the end of the fit); chunks are merged in document order, so word
ids follow first appearance whatever the number of processes. Each word comes back with its
stem: the analysis processes have stemmed every word already (the lexicon matches stems), and
stemming the vocabulary again in the parent was its largest serial step after the analysis.
"""

from __future__ import annotations

import gc
import itertools
import os
from dataclasses import dataclass

import numpy as np

from .parallel import children_allowed, die_with_parent, fork_context, gc_paused, resolve_n_jobs
from .text import stem
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


def _analyse_chunk(items, lexicon) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(local words, their stems, word ids, text counts, tag counts) of a chunk of (text, tags) pairs."""
    flat: list[str] = []
    n_text = np.empty(len(items), dtype=np.int32)
    n_tag = np.empty(len(items), dtype=np.int32)
    for r, (text, tags) in enumerate(items):
        words, tag_words = analyse(text, tags, lexicon)
        flat += words
        flat += tag_words
        n_text[r], n_tag[r] = len(words), len(tag_words)
    # dict.fromkeys keeps first appearance: the chunk's words numbered in order, in C
    local = {w: i for i, w in enumerate(dict.fromkeys(flat))}
    ids = np.fromiter(map(local.__getitem__, flat), dtype=np.int32, count=len(flat))
    words = list(local)
    return words, list(map(stem, words)), ids, n_text, n_tag


# A forked worker's inputs, inherited from the parent (Pool initargs are not pickled under fork).
_WORK: dict = {}


def _init_worker(parent_pid: int, items, lexicon) -> None:
    die_with_parent(parent_pid)
    _WORK["items"], _WORK["lexicon"] = items, lexicon
    # Analysis builds no reference cycles; a collection would walk (and copy, page by page,
    # out of the parent's memory) every object inherited by the fork.
    gc.disable()


def _analyse_range_of(bounds: tuple[int, int]):
    start, end = bounds
    return _analyse_chunk(_WORK["items"][start:end], _WORK["lexicon"])


def tokenize(docs, lexicon, n_jobs: int = 1) -> Tokens:
    """Analyse ``docs`` (Documents) in chunks, on ``n_jobs`` processes for large corpora.

    Chunks are merged in document order, so word ids follow first appearance whatever
    ``n_jobs``. Workers are forked: they read the documents and the lexicon from the
    parent's memory and send back only each chunk's distinct words and int32 arrays."""
    items = [(d.text, d.tags) for d in docs]
    ranges = [(i, min(i + CHUNK_SIZE, len(items))) for i in range(0, len(items), CHUNK_SIZE)]
    n_jobs = min(resolve_n_jobs(n_jobs), len(ranges))
    index: dict[str, int] = {}
    stems: list[str] = []
    parts = []

    def merge(result):
        local_words, local_stems, ids, n_text, n_tag = result
        new = [i for i, w in enumerate(local_words) if w not in index]
        index.update(zip([local_words[i] for i in new], itertools.count(len(index))))
        stems.extend(local_stems[i] for i in new)
        to_global = np.fromiter(map(index.__getitem__, local_words), dtype=np.int32, count=len(local_words))
        parts.append((to_global[ids] if len(ids) else ids, n_text, n_tag))

    if n_jobs > 1 and len(items) >= PARALLEL_MIN_DOCS:
        gc.freeze()  # the children's collector leaves the inherited objects alone
        try:
            with children_allowed(), fork_context().Pool(n_jobs, initializer=_init_worker,
                                                         initargs=(os.getpid(), items, lexicon)) as pool:
                for result in pool.imap(_analyse_range_of, ranges):
                    merge(result)
        finally:
            gc.unfreeze()
    else:
        with gc_paused():
            for start, end in ranges:
                merge(_analyse_chunk(items[start:end], lexicon))
    del items

    def cat(i, dtype):
        return np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=dtype)

    return Tokens(list(index), stems, cat(0, np.int32), cat(1, np.int32), cat(2, np.int32))
