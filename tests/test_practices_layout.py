"""Issue 9: the practices view modules share practices/views_blueprint.py instead of importing each other."""
import ast
from pathlib import Path

PRACTICES = Path(__file__).resolve().parent.parent / "marketplace" / "practices"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_view_modules_do_not_import_each_other():
    views = imported_modules(PRACTICES / "views.py")
    social = imported_modules(PRACTICES / "views_social.py")
    assert not any(name.endswith("views_social") for name in views)
    assert not any(name.endswith("practices.views") for name in social)
    assert "marketplace.practices.views_blueprint" in views & social


def test_both_view_modules_register_their_routes(app):
    rules = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"practices.detail", "practices.remove_attachment", "practices.comment",
            "practices.collection_detail"} <= rules
