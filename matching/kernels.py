"""Compiled kernels of the query's fast path (numba), imported on first use.

Profiled at 100,000 documents, the numpy fast path spent its time in passes around the
scatter-add, not in it: making the dense score array, finding the touched rows, then a dozen
whole-array passes for the rules over ~20,000 touched rows, then gathering the re-ranked rows.
Here the scatter-add records the rows it touches, each touched row is checked against the
rules in one pass with early exits (cheap rules first, the latitude bound, the haversine
last), and the exact re-scoring reads the rows in place. Same semantics as
`rules.eligible` and `SparseIndex.exact_scores` (the property tests hold them together).
``nogil``: threads of ``query_many`` run these in parallel.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .rules import EARTH_RADIUS_KM, KM_PER_DEGREE, ON_SITE, REMOTE

_RAD = math.pi / 180.0
_LAT_BOUND = KM_PER_DEGREE * (1 - 1e-9)
_LON_BOUND = 2 * EARTH_RADIUS_KM / math.pi * (1 - 1e-9)


@njit(cache=True, nogil=True)
def scatter_eligible(indptr, indices, data, cols, weights, n_rows, wanted, alive, meta, coll_x, epci_x,
                     modality_ok, min_days, mode, qlat, qlon, max_dist):
    """(rows, partial scores) of eligible rows with a positive partial score: at least the
    ``wanted`` best of them by partial score (more at ties of the 256 levels), or all.

    ``meta``: `MetaColumns.packed` (collectivity, epci, modality, days, lat, lon, max_km per
    row); ``coll_x``/``epci_x``: excluded codes (-3: no such rule); ``modality_ok``: per modality
    code, whether it passes; ``min_days``: NaN for no rule; ``qlat``: NaN for no distance
    rule; ``max_dist``: the rule's limit (inf for none).
    """
    acc = np.zeros(n_rows, dtype=np.float32)
    total = 0
    for j in range(cols.shape[0]):
        total += indptr[cols[j] + 1] - indptr[cols[j]]
    touched = np.empty(total, dtype=np.int64)
    nt = 0
    for j in range(cols.shape[0]):
        c = cols[j]
        w = weights[j]
        for p in range(indptr[c], indptr[c + 1]):
            r = indices[p]
            if acc[r] == 0.0:  # weights are positive: a touched row is never back at 0
                touched[nt] = r
                nt += 1
            acc[r] += w * data[p]
    # The rules only matter for the best rows: bucket the touched rows by partial score (a
    # counting sort on 256 levels) and check them best bucket first, until ``wanted`` eligible
    # rows are found and their bucket is complete. With rules keeping a few per cent of the
    # rows this checks a tenth of the touched rows (each check is a cache miss).
    partial = np.empty(nt, dtype=np.float32)  # in touched order: the passes below read it in sequence
    best = 0.0
    for i in range(nt):
        partial[i] = acc[touched[i]]
        best = max(best, partial[i])
    n_levels = 256
    scale = n_levels / best if best > 0 else 0.0
    level = np.empty(nt, dtype=np.int32)
    starts = np.zeros(n_levels + 1, dtype=np.int64)
    for i in range(nt):
        b = min(int(partial[i] * scale), n_levels - 1)
        level[i] = b
        starts[b + 1] += 1
    for b in range(n_levels):
        starts[b + 1] += starts[b]
    fill = starts[:-1].copy()
    by_level = np.empty(nt, dtype=np.int64)  # positions in touched, grouped by level
    for i in range(nt):
        by_level[fill[level[i]]] = i
        fill[level[i]] += 1
    out_rows = np.empty(nt, dtype=np.int64)
    out_scores = np.empty(nt, dtype=np.float32)
    n = 0
    check_days = not math.isnan(min_days)
    check_dist = not math.isnan(qlat)
    qcos = math.cos(qlat * _RAD) if check_dist else 0.0
    for b in range(n_levels - 1, -1, -1):
        if n >= wanted:
            break
        for i in range(starts[b], starts[b + 1]):
            t = by_level[i]
            r = touched[t]
            if _eligible(r, alive, meta, coll_x, epci_x, modality_ok, check_days, min_days, mode, check_dist,
                         qlat, qlon, qcos, max_dist):
                out_rows[n] = r
                out_scores[n] = partial[t]
                n += 1
    return out_rows[:n], out_scores[:n]


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


@njit(cache=True, nogil=True)
def row_dots(indptr, indices, data, rows, cols, weights, n_features):
    """Exact dot products of CSR ``rows`` with the query (sorted ``cols``, ``weights``)."""
    q = np.zeros(n_features, dtype=np.float32)
    for j in range(cols.shape[0]):
        q[cols[j]] = weights[j]
    out = np.empty(rows.shape[0], dtype=np.float32)
    for i in range(rows.shape[0]):
        r = rows[i]
        s = 0.0
        for p in range(indptr[r], indptr[r + 1]):
            s += data[p] * q[indices[p]]
        out[i] = s
    return out
