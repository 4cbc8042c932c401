"""`MetaColumns.packed`: the rule fields of each row on one cache line for the compiled kernel."""

from __future__ import annotations

import numpy as np

from matching.meta import MetaColumns


def test_packed_rows_start_on_cache_lines():
    cols = MetaColumns()
    for n in (1, 5, 300):  # grown twice: each new buffer is aligned too
        cols.append([{"lat": 45.0 + n, "lon": 2.0, "collectivity": "x", "max_distance_km": 30}] * n)
        packed = cols.packed()
        assert packed.ctypes.data % 64 == 0 and packed.strides == (64, 8) and len(packed) == cols.size
        for j, name in enumerate(MetaColumns.PACKED):
            np.testing.assert_array_equal(packed[:, j], cols[name])
        np.testing.assert_allclose(packed[:, -1], np.cos(np.radians(cols["lat"])))
