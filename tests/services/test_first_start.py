"""`flask first-start` (what `make run` runs): migrate, import, seed and suggest once, then nothing."""
from pathlib import Path

from marketplace.models import GeoImport, Suggestion, SkillOffer
from marketplace.geography import cli as geography_cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "geo"


def test_first_start_loads_everything_once(app, db, monkeypatch):
    # The real command downloads the pinned archives; here it imports the small fixture.
    real_import = geography_cli.run_import
    monkeypatch.setattr(geography_cli, "run_import", lambda: real_import(
        vintage="2026", source=str(FIXTURE / "reference"),
        coords_source=str(FIXTURE / "coords" / "communes.csv"),
    ))
    runner = app.test_cli_runner()
    db.drop_all()
    first = runner.invoke(args=["first-start"])
    assert first.exit_code == 0, first.output
    assert "agent@demo.essaim.fr" in first.output and "essaim-demo-2026" in first.output
    assert db.session.query(GeoImport).count() == 1
    offers = db.session.query(SkillOffer).count()
    suggestions = db.session.query(Suggestion).count()
    assert offers >= 300 and suggestions > 0

    second = runner.invoke(args=["first-start"])
    assert second.exit_code == 0, second.output
    assert "premier démarrage" not in second.output
    assert db.session.query(SkillOffer).count() == offers
    assert db.session.query(Suggestion).count() == suggestions
    assert db.session.query(GeoImport).count() == 1

