"""The "auto" sizes of the champion path: champion lists, postings budget and re-ranking that
grow with the index (`SparseIndex`, `RetrievalMixin`)."""

from __future__ import annotations

AUTO = "auto"


def auto_sizes(n_rows: int) -> tuple[int, int, int]:
    """(champion_size, query_budget, rerank_size) that ``"auto"`` means for an index of
    ``n_rows``: 2,000 / 30,000 / 100 up to 100,000 rows, then growing with it (2 %, 30 % and
    1/1,000 of the rows). Measured (bench/matching_sizing.py): overlap@10 with the exhaustive
    answer 0.996 at 100,000 rows and 0.993 at 1,000,000, where fixed sizes fell to 0.71; at
    2,000,000 (affix n-grams, 200 queries) 0.989 with 2,000 rows re-ranked (17 ms CPU a query,
    107 ms for the exhaustive search) where 1/2,000 of the rows gave 0.968-0.976, too close to
    the 0.97 asked."""
    return max(2000, n_rows // 50), max(30_000, 3 * n_rows // 10), max(100, n_rows // 1000)


def resolve(value, n_rows: int, which: int):
    """A size parameter as a number: ``value`` itself, or its ``auto_sizes`` entry ``which``."""
    return auto_sizes(n_rows)[which] if value == AUTO else value
