"""The compiled champion lists (matching/champions.py) are the numpy ones, entry for entry."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

from matching import index


@st.composite
def postings(draw):
    """A CSC matrix with many equal weights (ties at the cut) and a champion size."""
    n_rows, n_cols = draw(st.integers(1, 60)), draw(st.integers(1, 8))
    cells = draw(st.lists(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1),
                                    st.sampled_from([0.25, 0.5, 0.5, 0.75, 1.0, 0.1])), max_size=200))
    rows, cols, vals = zip(*cells) if cells else ((), (), ())
    m = sp.coo_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n_rows, n_cols)).tocsc()
    m.sum_duplicates()  # repeated cells add up to other values from the same short list: ties remain
    m.sort_indices()
    return m, draw(st.integers(1, 12))


@settings(max_examples=300, deadline=None)
@given(postings())
def test_compiled_champion_lists_are_the_numpy_ones(case):
    csc, size = case
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATCHING_KERNELS", "numpy")
        assert not index.compiled_passes()
        expected = index.champion_lists(csc, size)
    assert index.compiled_passes()
    got = index.champion_lists(csc, size)
    assert (expected is None) == (got is None)
    if got is not None:
        assert got.shape == expected.shape and got.has_sorted_indices
        for part in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(got, part), getattr(expected, part))
