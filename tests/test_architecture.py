"""The house rules of ARCHITECTURE.md, checked on the source so that they stay true.

- services know nothing of HTTP: no request-level Flask objects, Werkzeug exceptions, login_user
  or click outside the web layer (views, forms, the app setup, CLI commands);
- one unit of work per use case: `commit()` only in core/unit_of_work.py (and CLI commands);
- a feature never imports another feature's views (blueprints meet only in setup.py);
- one error family: no exception class outside core/errors.py derives from Exception directly.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "marketplace"

# The web layer and the command line may use HTTP and click; everything else is a service.
WEB_LAYER = {"setup.py", "core/web.py", "core/logging.py", "core/permissions.py", "core/request.py", "core/templating.py",
             "core/celery_app.py", "core/urls.py", "core/forms.py"}
FORBIDDEN = {
    "flask": {"request", "session", "g", "url_for", "abort", "redirect", "flash", "make_response"},
    "flask_login": {"login_user", "logout_user", "current_user"},
}
FORBIDDEN_MODULES = ("werkzeug.exceptions", "click")
# The geography import and the demo seed are single units of work too (`unit_of_work`,
# `@transactional`): only the unit of work itself commits.
COMMIT_ALLOWED = {"core/unit_of_work.py"}
EXCEPTIONS_ALLOWED = {"core/errors.py"}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "translations" in relative:
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_web_layer(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return (relative in WEB_LAYER or name.startswith("views") or name.endswith("_views.py")
            or name == "forms.py" or name == "cli.py" or relative.startswith("cli/"))


def imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, {alias.name for alias in node.names}, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, set(), node.lineno


def test_services_know_nothing_of_http():
    offences = []
    for relative, tree in modules():
        if is_web_layer(relative):
            continue
        for module, names, line in imports(tree):
            bad = names & FORBIDDEN.get(module, set())
            if bad or module.startswith(FORBIDDEN_MODULES):
                offences.append(f"{relative}:{line} imports {module} {sorted(bad) or ''}")
    assert not offences, "\n".join(offences)


def test_commits_happen_in_the_unit_of_work_only():
    offences = []
    for relative, tree in modules():
        if relative in COMMIT_ALLOWED or relative.startswith("cli/"):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "commit"):
                offences.append(f"{relative}:{node.lineno}")
    assert not offences, "commit() outside the unit of work:\n" + "\n".join(offences)


def test_no_feature_imports_another_features_views():
    offences = []
    for relative, tree in modules():
        if relative == "setup.py":
            continue
        feature = relative.split("/", 1)[0]
        for module, _names, line in imports(tree):
            parts = module.split(".")
            if (len(parts) >= 3 and parts[0] == "marketplace" and parts[1] != feature
                    and any(part.startswith("views") or part.endswith("_views") for part in parts[2:])):
                offences.append(f"{relative}:{line} imports {module}")
    assert not offences, "\n".join(offences)


def test_one_error_family():
    offences = []
    for relative, tree in modules():
        if relative in EXCEPTIONS_ALLOWED:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
                if bases & {"Exception", "ValueError", "RuntimeError", "LookupError"}:
                    offences.append(f"{relative}:{node.lineno} class {node.name}")
    assert not offences, "errors outside core/errors.py (derive from ServiceError):\n" + "\n".join(offences)


@pytest.mark.parametrize("rule", [test_services_know_nothing_of_http, test_commits_happen_in_the_unit_of_work_only,
                                  test_no_feature_imports_another_features_views, test_one_error_family])
def test_each_rule_catches_an_offence(rule, tmp_path):
    """The rules above can fail: a planted offence in a throw-away package is reported."""
    package = tmp_path / "marketplace" / "thing"
    package.mkdir(parents=True)
    (package / "services.py").write_text(
        "from flask import request\nfrom marketplace.other.views import bp\n"
        "class Oops(Exception):\n    pass\n\ndef f(db):\n    db.session.commit()\n")
    saved = globals()["PACKAGE"]
    globals()["PACKAGE"] = tmp_path / "marketplace"  # the rules read the module-level PACKAGE
    try:
        with pytest.raises(AssertionError):
            rule()
    finally:
        globals()["PACKAGE"] = saved


def test_one_text_folding_function():
    """Text is folded in core/text.py only (issue 9 found four copies that could drift apart)."""
    offences = [relative for relative, tree in modules() if relative != "core/text.py"
                and any(isinstance(node, ast.Attribute) and node.attr == "normalize"
                        and getattr(node.value, "id", "") == "unicodedata" for node in ast.walk(tree))]
    assert not offences, "fold text with marketplace.core.text instead: " + ", ".join(offences)
