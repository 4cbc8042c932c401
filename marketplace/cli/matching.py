"""`flask matching rebuild`: refit the shared offers and needs indexes by hand, with a progress bar."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services import matching_index

matching_cli = AppGroup("matching", help="Index de mise en relation (offres publiées, besoins ouverts).")


@matching_cli.command("rebuild")
@click.option("--kind", type=click.Choice(["all", *matching_index.KINDS]), default="all",
              help="Index à reconstruire (les deux par défaut).")
def rebuild_command(kind: str):
    """Reconstruit les index depuis la base ; les workers rechargent la nouvelle version d'eux-mêmes."""
    kinds = matching_index.KINDS if kind == "all" else (kind,)
    for name in kinds:
        total = matching_index.count_indexable(name)
        with click.progressbar(length=total, label=f"Index {name}", show_pos=True) as bar:
            size = matching_index.refit(name, progress=bar.update, force=True)
        click.echo(f"Index {name} : {size} documents, version publiée.")
