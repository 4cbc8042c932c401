"""Compiled kernel of the query's fast path (numba), imported on first use.

Profiled at 100,000 documents, the numpy fast path spent its time in passes around the
scatter-add, not in it: making the dense score array, finding the touched rows, then a dozen
whole-array passes for the rules over ~20,000 touched rows, then gathering the re-ranked rows.
Here one call does it all: the scatter-add records the rows it touches, each touched row is
checked against the rules best first with early exits (cheap rules first, the latitude bound,
the haversine last), and the best eligible rows are re-scored exactly in place. Same semantics
as `rules.eligible` and `SparseIndex.exact_scores` (the property tests hold them together).
``nogil``: threads of ``query_many`` run it in parallel, each with its own `Scratch`.
"""

from __future__ import annotations

import math
import threading

import numpy as np
from numba import njit

from .rules import EARTH_RADIUS_KM, KM_PER_DEGREE, ON_SITE, REMOTE

_RAD = math.pi / 180.0
_LAT_BOUND = KM_PER_DEGREE * (1 - 1e-9)
_LON_BOUND = 2 * EARTH_RADIUS_KM / math.pi * (1 - 1e-9)
N_LEVELS = 256


class Scratch:
    """One thread's working arrays, kept between queries: allocating and zeroing a dense score
    array per query (400 KB at 100,000 rows, 560 KB for the dense query of the re-scoring)
    cost more than the scatter-add itself. ``acc`` and ``qdense`` are all zeros between calls
    (the kernel clears what it wrote); the other arrays hold no state."""

    def __init__(self, n_rows: int, n_features: int, capacity: int):
        self.acc = np.zeros(n_rows, dtype=np.float32)
        self.qdense = np.zeros(n_features, dtype=np.float32)
        self.touched = np.empty(capacity, dtype=np.int32)
        self.partial = np.empty(capacity, dtype=np.float32)
        self.level = np.empty(capacity, dtype=np.int32)
        self.by_level = np.empty(capacity, dtype=np.int32)
        self.out_rows = np.empty(capacity, dtype=np.int64)
        self.out_scores = np.empty(capacity, dtype=np.float32)

    def arrays(self) -> tuple:
        return (self.acc, self.qdense, self.touched, self.partial, self.level, self.by_level, self.out_rows,
                self.out_scores)


_LOCAL = threading.local()


def scratch(n_rows: int, n_features: int, postings: int = 0) -> Scratch:
    """This thread's `Scratch`, grown to hold ``n_rows`` rows, ``n_features`` features and
    ``postings`` scored postings."""
    s = getattr(_LOCAL, "scratch", None)
    if s is None or len(s.acc) < n_rows or len(s.qdense) < n_features or len(s.touched) < postings:
        old = 0 if s is None else len(s.touched)
        s = _LOCAL.scratch = Scratch(n_rows, n_features, max(postings, 2 * old, 1024))
    return s


def search_main(index, q_cols, q_weights, budget: int | None, wanted: int, rule_args, floor: float = 0.0,
                k: int = 0):
    """(rows, scores) of the main segment of ``index`` (a `SparseIndex`) for the query (``q_cols``,
    ``q_weights``).

    The query's features are chosen under the postings ``budget`` as `SparseIndex.budget_features`
    chooses them; the ``wanted`` best eligible rows by partial score (from their champion lists)
    are re-scored exactly, unless the partial scores are exact already (every feature kept, no list
    cut: then every eligible row of the best score levels comes back, at least ``wanted`` when there
    are). With ``k``, only the ``k`` best scoring at least ``floor`` come back, best first (ties: the
    smaller row), as `index.top_k` orders them; otherwise all of them, unordered.
    ``rule_args``: `rules.kernel_rules`."""
    m = index.main
    args = (*index.champion_arrays(), *index.feature_bounds(), budget or 0, m.indptr, m.indices, m.data, q_cols,
            q_weights, wanted, *rule_args, np.float32(floor), k)
    work = scratch(index.n_main, index.n_features, 0)
    n = _search(*args, *work.arrays())
    if n < 0:  # more postings than the scratch arrays hold: grown, then again (nothing was written)
        work = scratch(index.n_main, index.n_features, -n)
        n = _search(*args, *work.arrays())
    return work.out_rows[:n].copy(), work.out_scores[:n].copy()


@njit(cache=True, nogil=True)
def _search(ch_indptr, ch_indices, ch_data, champ_len, col_max, cut, budget, m_indptr, m_indices, m_data, q_cols,
            q_weights, wanted, alive, meta, modality_ok, params, floor, k, acc, qdense, touched, partial, level,
            by_level, out_rows, out_scores):
    """Writes the answer of `search_main` into ``out_rows``/``out_scores`` and returns its length,
    or minus the postings to score when the scratch arrays are too short for them.

    ``champ_len``, ``col_max``, ``cut``: `SparseIndex.feature_bounds`; ``meta``:
    `MetaColumns.packed` (collectivity, epci, modality, days, lat, lon, max_km, cos(lat) per row);
    ``params``: excluded collectivity and epci codes (-3: no such rule), minimum days (NaN: no
    rule), the asker's modality code, latitude (NaN: no distance rule), longitude and distance
    limit (inf: none); ``modality_ok``: per modality code, whether it passes."""
    cols, exact, postings = _choose_features(q_cols, q_weights, champ_len, col_max, cut, budget)
    if postings > touched.shape[0]:
        return -postings
    # A kept array is often out of cache by the next query (other work ran in between), and
    # the scatter-add's random updates would each miss: read it in sequence first, which the
    # hardware prefetches (what zeroing a fresh array per query did, for free, before).
    sink = 0.0
    for i in range(0, acc.shape[0], 16):
        sink += acc[i]
    # scatter-add; the touched rows recorded without a branch (a first touch is a coin toss
    # for the branch predictor: the branchless form took the loop from 0.20 to 0.11 ms)
    nt = 0
    for j in range(cols.shape[0]):
        c = q_cols[cols[j]]
        w = q_weights[cols[j]]
        for p in range(ch_indptr[c], ch_indptr[c + 1]):
            r = ch_indices[p]
            a = acc[r]
            touched[nt] = r
            nt += a == 0.0  # weights are positive: a touched row is never back at 0
            acc[r] = a + w * ch_data[p]
    # partial scores in touched order (the passes below read them in sequence); acc cleared
    best = 0.0
    for i in range(nt):
        r = touched[i]
        partial[i] = acc[r]
        acc[r] = 0.0
        best = max(best, partial[i])
    # The rules only matter for the best rows: bucket the touched rows by partial score (a
    # counting sort on 256 levels) and check them best bucket first, until ``wanted`` eligible
    # rows are found and their bucket is complete. With rules keeping a few per cent of the
    # rows this checks a tenth of the touched rows (each check is a cache miss).
    scale = N_LEVELS / best if best > 0 else 0.0
    starts = np.zeros(N_LEVELS + 1, dtype=np.int64)
    for i in range(nt):
        b = min(int(partial[i] * scale), N_LEVELS - 1)
        level[i] = b
        starts[b + 1] += 1
    for b in range(N_LEVELS):
        starts[b + 1] += starts[b]
    fill = starts[:-1].copy()
    for i in range(nt):  # by_level: positions in touched grouped by level, touched order within
        by_level[fill[level[i]]] = i
        fill[level[i]] += 1
    coll_x, epci_x, min_days, mode, qlat, qlon, max_dist = (params[0], params[1], params[2], int(params[3]),
                                                            params[4], params[5], params[6])
    check_days = not math.isnan(min_days)
    check_dist = not math.isnan(qlat)
    qcos = math.cos(qlat * _RAD) if check_dist else 0.0
    n = 0
    for b in range(N_LEVELS - 1, -1, -1):
        if n >= wanted:
            break
        # Each check reads a row of meta that is seldom in cache; behind the checks' early exits
        # those misses came one after another (~110 ns a row: 0.25 ms of 0.6 at 100,000 rows).
        # The bucket's rows are touched first in a loop without branches, so that their misses
        # are in flight together (0.16 ms; loading a fixed distance ahead did worse, 0.23 ms).
        for i in range(starts[b], starts[b + 1]):
            r = touched[by_level[i]]
            sink += meta[r, 0] + alive[r]
        for i in range(starts[b], starts[b + 1]):
            t = by_level[i]
            r = touched[t]
            if _eligible(r, alive, meta, coll_x, epci_x, modality_ok, check_days, min_days, mode, check_dist,
                         qlat, qlon, qcos, max_dist):
                out_rows[n] = r
                out_scores[n] = partial[t]
                n += 1
    level[0] = sink > 0  # keeps the touching loads (their sum is otherwise unused)
    if exact:
        return _best(out_rows, out_scores, n, floor, k)
    if n > wanted:  # the ``wanted`` best by partial score, ties to the smaller row (as `index.top_k`)
        by_row = np.argsort(out_rows[:n], kind="mergesort")
        order = by_row[np.argsort(-out_scores[:n][by_row], kind="mergesort")][:wanted]
        kept = out_rows[order]
        out_rows[:wanted] = kept
        n = wanted
    # exact dot products of the kept rows with the whole query, through a dense query vector
    for i in range(0, qdense.shape[0], 16):  # in cache first, as ``acc``
        sink += qdense[i]
    level[0] = sink > 0
    for j in range(q_cols.shape[0]):
        qdense[q_cols[j]] = q_weights[j]
    # The kept rows are scattered over the whole matrix: each row's postings are a miss, and
    # in the loop below one row's misses wait for the previous row's sum. Their cache lines
    # (16 postings a line) are touched first in a loop without dependencies, so that the
    # misses of all the rows are in flight together: the kernel took 0.42 ms a query at 100,000
    # rows, 0.37-0.39 with this loop (A/B in one process, 1,000 queries, load 5.9).
    for i in range(n):
        r = out_rows[i]
        for p in range(m_indptr[r], m_indptr[r + 1], 16):
            sink += m_data[p] + m_indices[p]
    level[0] = sink > 0
    for i in range(n):
        r = out_rows[i]
        s = 0.0  # float64, as `SparseIndex.exact_scores` sums
        for p in range(m_indptr[r], m_indptr[r + 1]):
            s += m_data[p] * qdense[m_indices[p]]
        out_scores[i] = s
    for j in range(q_cols.shape[0]):
        qdense[q_cols[j]] = 0.0
    return _best(out_rows, out_scores, n, floor, k)


@njit(cache=True, nogil=True)
def _choose_features(q_cols, q_weights, champ_len, col_max, cut, budget):
    """(positions of the chosen features in the query, exact, their postings): what
    `SparseIndex.budget_features` chooses, in the same order (ascending positions)."""
    nq = q_cols.shape[0]
    total = 0
    for j in range(nq):
        total += champ_len[q_cols[j]]
    if budget > 0 and total > budget:
        # by decreasing largest contribution, stable, until the lists hold ``budget`` postings
        key = np.empty(nq, dtype=np.float32)
        for j in range(nq):
            key[j] = -(q_weights[j] * col_max[q_cols[j]])
        order = np.argsort(key, kind="mergesort")
        n, held = 0, 0
        for j in range(nq):
            held += champ_len[q_cols[order[j]]]
            if held > budget:
                break
            n += 1
        chosen = np.sort(order[: max(n, 1)])
        postings = 0
        for j in range(chosen.shape[0]):
            postings += champ_len[q_cols[chosen[j]]]
        return chosen, False, postings
    exact = True
    for j in range(nq):
        if cut[q_cols[j]]:
            exact = False
    return np.arange(nq), exact, total


@njit(cache=True, nogil=True)
def _best(rows, scores, n, floor, k):
    """With ``k``: the ``k`` best of the first ``n`` (rows, scores) at least at ``floor``, moved to
    the front best first (ties: the smaller row), and their number; without, ``n``."""
    if k == 0:
        return n
    m = 0
    for i in range(n):
        if scores[i] >= floor:
            rows[m] = rows[i]
            scores[m] = scores[i]
            m += 1
    by_row = np.argsort(rows[:m], kind="mergesort")
    order = by_row[np.argsort(-scores[:m][by_row], kind="mergesort")][: min(k, m)]
    best_rows, best_scores = rows[order], scores[order]
    rows[: order.shape[0]] = best_rows
    scores[: order.shape[0]] = best_scores
    return order.shape[0]


@njit(cache=True, nogil=True, inline="always")
def _eligible(r, alive, meta, coll_x, epci_x, modality_ok, check_days, min_days, wanted, check_dist,
              qlat, qlon, qcos, max_dist):
    """`rules.eligible` for one row (see `scatter_eligible` for the arguments)."""
    if not alive[r]:
        return False
    if meta[r, 0] == coll_x or meta[r, 1] == epci_x:
        return False
    m = int(meta[r, 2])
    if not modality_ok[m]:
        return False
    if check_days and not meta[r, 3] >= min_days:  # NaN days fail
        return False
    lat, lon = meta[r, 4], meta[r, 5]
    if check_dist and not math.isnan(lat) and (m == ON_SITE or (m != REMOTE and wanted == ON_SITE)):
        limit = meta[r, 6]
        if math.isnan(limit):
            limit = np.inf
        limit = min(limit, max_dist)
        if limit < np.inf:
            # lower bounds of the distance first, without trigonometry: the meridian arc,
            # then 2R sqrt(cos(lat1) cos(lat2)) |dlon| / pi (from the haversine formula)
            if abs(lat - qlat) * _LAT_BOUND > limit:
                return False
            dlon = abs(lon - qlon) * _RAD
            if dlon <= math.pi and _LON_BOUND * math.sqrt(qcos * meta[r, 7]) * dlon > limit:
                return False
            la1, la2 = qlat * _RAD, lat * _RAD
            dlat, dlon = la2 - la1, lon * _RAD - qlon * _RAD
            a = math.sin(dlat / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlon / 2) ** 2
            a = min(max(a, 0.0), 1.0)
            if 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)) > limit:
                return False
    return True
