"""`flask first-start`: what `make run` does before serving, and only what is still missing."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from marketplace.cli.matching import rebuild_command


@click.command("first-start")
@with_appcontext
def first_start_command():
    """Applique les migrations, puis importe la géographie et la démo s'il le faut."""
    from marketplace.demo import seed as demo
    from marketplace.geography import services as geography
    from marketplace.geography.cli import run_import

    upgrade()
    if geography.current_vintage() is None:
        click.echo("Import de la géographie de référence (premier démarrage)…")
        run_import()
    if current_app.config["DEMO_ENABLED"]:
        if not demo.is_seeded():
            click.echo("Chargement des données de démonstration (premier démarrage)…")
            demo.seed_demo()
            # The demo is a bulk load: build the indexes and its suggestions once, so that the
            # coordinators' queue and the suggestion panels are filled from the first page.
            click.get_current_context().invoke(rebuild_command, kind="all", suggest=True)
        click.echo("Comptes de démonstration (mot de passe : %s) :" % demo.DEMO_PASSWORD)
        for role_label, email in demo.demo_accounts():
            click.echo(f"  - {role_label:<45} {email}")
