"""URL builders shared by the apps of one test process.

Every test creates its own app, and Werkzeug compiles two URL-building functions for each of the
app's ~400 rules (an AST built, walked and compiled per rule): half of `create_app`'s time, about
0.1 s of CPU per test, some five minutes of CPU over the suite. The function depends only on the
rule's text, its parsed parts and the names of its defaults, and reads the converters through the
rule it is bound to, so one compiled function serves every app's copy of the same rule.
A rule whose default fills one of its own variables gets that default's URL form compiled in: it
is compiled for each app, as Werkzeug does.
"""
from __future__ import annotations

from werkzeug.routing.rules import Rule

_ORIGINAL = Rule._compile_builder
_BUILDERS: dict[tuple, object] = {}


def _shared_builder(rule: Rule, append_unknown: bool = True):
    defaults = rule.defaults or {}
    if any(dynamic and part in defaults for dynamic, part in rule._trace):
        return _ORIGINAL(rule, append_unknown)
    key = (rule.rule, tuple(rule._trace), tuple(map(str, defaults)), append_unknown)
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _ORIGINAL(rule, append_unknown)
    return builder


def share_compiled_url_builders() -> None:
    Rule._compile_builder = _shared_builder
