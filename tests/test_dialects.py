"""Every module that branches on the SQL dialect has a test module that runs on both databases.

`make test` runs the service and view tests once, on PostgreSQL, when it answers (the production
database); on SQLite, the embedded default of `make run` and of the browser journeys, it runs the
pure and model tests and the test modules marked `both_databases`. Those are the tests of the
modules below, whose code takes a different path on each dialect. A module that starts branching
on the dialect fails this test until it is given its tests here.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRANCHES_ON_DIALECT = re.compile(r"dialect\.name|sqlalchemy\.dialects|sqlite_where|postgresql_where")
# module (under marketplace/) -> the test modules that exercise its branches on both databases
TESTED_ON_BOTH = {
    "core/extensions.py": ["tests/services/test_practices_attachment_removal.py"],  # SQLite's foreign keys
    "core/unit_of_work.py": ["tests/views/test_read_requests.py"],
    "learning/labels.py": ["tests/services/test_labels.py"],
    "models/listing.py": ["tests/services/test_listings.py", "tests/services/test_listings_paging.py"],
    "pairings/services/queue_ranking.py": ["tests/services/test_queue_ranking.py",
                                           "tests/services/test_pairing_queue_pages.py"],
    "pairings/services/queue_rows.py": ["tests/services/test_pairing_queue_pages.py"],
    "pairings/services/queue_sql.py": ["tests/services/test_queue_ranking.py",
                                       "tests/services/test_pairing_queue_pages.py"],
    "statistics/grouping.py": ["tests/services/test_statistics_grouping.py"],
    "suggestions/services.py": ["tests/services/test_suggestions.py", "tests/services/test_labels_reranker.py"],
    "suggestions/snapshot_rows.py": ["tests/services/test_snapshot_store.py"],
}


def _marked_both(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets)
               and "both_databases" in ast.unparse(node.value) for node in tree.body)


def test_every_module_that_branches_on_the_dialect_is_tested_on_both_databases():
    branching = sorted(str(path.relative_to(ROOT / "marketplace")) for path in (ROOT / "marketplace").rglob("*.py")
                       if BRANCHES_ON_DIALECT.search(path.read_text()))
    assert branching == sorted(TESTED_ON_BOTH), (
        "modules that branch on the SQL dialect changed: name the tests that run them on both "
        "databases in TESTED_ON_BOTH (and mark those modules `both_databases`)")
    for module, tests in TESTED_ON_BOTH.items():
        for test in tests:
            path = ROOT / test
            assert _marked_both(path), f"{test} ({module}) is not marked both_databases"


def test_the_marked_modules_are_the_named_ones():
    """No stray mark: what runs on both databases is what the table above says, and why."""
    named = {test for tests in TESTED_ON_BOTH.values() for test in tests}
    marked = {str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py")
              if path.parent.name in ("services", "views") and _marked_both(path)}
    assert marked == named
