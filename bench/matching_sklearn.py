"""Why parts of the vectorisation stay hand-written: the same features through scikit-learn's
vectorizers, side by side with the engine's code, in one run.

    .venv/bin/python bench/matching_sklearn.py            # 20,000 synthetic documents
    .venv/bin/python bench/matching_sklearn.py --n 100000

The engine already weights with scikit-learn's ``TfidfTransformer`` and normalises with
``sklearn.preprocessing.normalize``. What stays its own is the counting (each distinct word
of a batch analysed once, counts as sparse products) and the single-document path of a
query (memoised word -> feature ids, no vocabulary object per call). Compared here:

- ours: ``fit_space`` + ``vectorize`` (fit), ``vectorize_one`` (one query);
- ``TfidfVectorizer`` x 3 (stems, n-grams, tags) with the engine's analysers as callables,
  then the weighted concatenation (the same features: cosines identical to rounding);
- ``HashingVectorizer`` x 3 (2**20 features, no vocabulary) + ``TfidfTransformer``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from matching_speed import make_docs  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from matching.text import normalize_word, stem, word_grams  # noqa: E402
from matching.vectorize import BLOCKS, Weights, analyse, block_offsets, fit_space, vectorize, vectorize_one  # noqa: E402

SPEC = ("char", (4,))
WEIGHTS = Weights(1.0, 1.0, 0.5, SPEC)


def stems_of(doc):
    return [stem(w) for w in doc[0]]


def grams_of(doc):
    return [g for w in doc[0] for g in word_grams(normalize_word(w), SPEC)]


def tag_stems_of(doc):
    return [stem(w) for w in doc[1]]


ANALYSERS = {"stem": stems_of, "gram": grams_of, "tag": tag_stems_of}


def combine(blocks):
    parts = [blocks[b] * getattr(WEIGHTS, b) for b in BLOCKS]
    return normalize(sp.hstack(parts, format="csr"), norm="l2")


def cpu(fn):
    c = time.process_time()
    out = fn()
    return out, time.process_time() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    docs = make_docs(args.n, 0, "d")
    queries = make_docs(args.queries, 1, "q", length=(8, 25))
    analysed = [analyse(d.text, d.tags) for d in docs]
    q_analysed = [analyse(d.text, d.tags) for d in queries]

    def ours_fit():
        vocabs, idfs, counts = fit_space(analysed, SPEC)
        return vocabs, idfs, vectorize(analysed, vocabs, idfs, WEIGHTS, counts)

    (vocabs, idfs, X_ours), t_ours = cpu(ours_fit)
    offsets = block_offsets(vocabs)

    def sk_fit():
        vecs = {b: TfidfVectorizer(analyzer=f, sublinear_tf=True, dtype=np.float32) for b, f in ANALYSERS.items()}
        return vecs, combine({b: v.fit_transform(analysed) for b, v in vecs.items()})

    (vecs, X_sk), t_sk = cpu(sk_fit)

    def hash_fit():
        hashers = {b: HashingVectorizer(analyzer=f, n_features=2**20, alternate_sign=False, norm=None,
                                        dtype=np.float32) for b, f in ANALYSERS.items()}
        tfs = {b: TfidfTransformer(sublinear_tf=True) for b in BLOCKS}
        return hashers, tfs, combine({b: tfs[b].fit_transform(h.transform(analysed)) for b, h in hashers.items()})

    (hashers, tfs, X_hash), t_hash = cpu(hash_fit)

    # same features, so the same cosines (the column order differs, not the geometry)
    sample = np.arange(min(300, args.n))
    gram = lambda X: (X[sample] @ X[sample].T).toarray()  # noqa: E731
    diff_sk = np.abs(gram(X_ours) - gram(X_sk)).max()
    diff_hash = np.abs(gram(X_ours) - gram(X_hash)).max()

    cache: dict = {}
    t = [cpu(lambda: vectorize_one(a, vocabs, idfs, WEIGHTS, offsets, cache))[1] for a in q_analysed]
    t += [cpu(lambda: vectorize_one(a, vocabs, idfs, WEIGHTS, offsets, cache))[1] for a in q_analysed]
    q_ours = np.median(t[len(q_analysed):]) * 1000  # warm cache, as in a running worker
    q_sk = np.median([cpu(lambda: combine({b: v.transform([a]) for b, v in vecs.items()}))[1] for a in q_analysed]) * 1000
    q_hash = np.median([cpu(lambda: combine({b: tfs[b].transform(h.transform([a])) for b, h in hashers.items()}))[1]
                        for a in q_analysed]) * 1000

    print(f"{args.n:,} documents, {args.queries} queries (CPU times)\n")
    print("| vectorisation | fit (CPU) | one query (CPU median) | max cosine difference vs ours | features |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| ours: batch counting + TfidfTransformer; vectorize_one | {t_ours:.1f} s | {q_ours:.3f} ms | 0 | {X_ours.shape[1]:,} |")
    print(f"| TfidfVectorizer x 3 (analysers as callables) | {t_sk:.1f} s | {q_sk:.3f} ms | {diff_sk:.1e} | {X_sk.shape[1]:,} |")
    print(f"| HashingVectorizer x 3 + TfidfTransformer | {t_hash:.1f} s | {q_hash:.3f} ms | {diff_hash:.1e} | {X_hash.shape[1]:,} (hashed) |")


if __name__ == "__main__":
    main()
