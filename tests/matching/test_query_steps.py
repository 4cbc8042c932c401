"""The sequential ``query_many`` (and each process of `matching.bulk`) runs one step at a time over
the batch (`QueryMixin._query_in_steps`): the same answers, reasons included, as query by query."""

from hypothesis import given, settings, strategies as st

from matching import MatchEngine
from matching.rules import rules_per_query
from tests.matching.test_fast_path import CHURNED, corpus, query_st, rules_st

ENGINE = MatchEngine(min_score=0.05).fit(corpus(300, 4))


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(st.tuples(query_st, rules_st), min_size=1, max_size=12), k=st.integers(0, 9))
def test_property_steps_equal_query_by_query(batch, k):
    docs, where = [q for q, _ in batch], [w for _, w in batch]
    for engine in (ENGINE, CHURNED):  # also with pending rows and tombstones
        rules = rules_per_query(where, len(docs))
        one_by_one = [engine._query_one(d, k, r) for d, r in zip(docs, rules)]
        assert engine._query_in_steps(docs, k, rules) == one_by_one
        assert engine.query_many(docs, k=k, where=where) == one_by_one  # < 64 documents: sequential
