"""`flask matching rebuild`: refit the shared offers and needs indexes by hand, with a progress bar;
with --suggest, then store the suggestions of every open need (after a bulk load such as the demo)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.suggestions import index as matching_index, nightly

matching_cli = AppGroup("matching", help="Index de mise en relation (offres publiées, besoins ouverts).")


@matching_cli.command("rebuild")
@click.option("--kind", type=click.Choice(["all", *matching_index.KINDS]), default="all",
              help="Index à reconstruire (les deux par défaut).")
@click.option("--suggest", is_flag=True,
              help="Puis calcule les suggestions de chaque besoin ouvert (après un chargement en masse).")
def rebuild_command(kind: str, suggest: bool):
    """Reconstruit les index depuis la base ; les workers rechargent la nouvelle version d'eux-mêmes."""
    kinds = matching_index.KINDS if kind == "all" else (kind,)
    for name in kinds:
        total = matching_index.count_indexable(name)
        with click.progressbar(length=total, label=f"Index {name}", show_pos=True) as bar:
            size = matching_index.refit(name, progress=bar.update, force=True)
        click.echo(f"Index {name} : {size} documents, version publiée.")
    if suggest:
        # The needs index was just rebuilt: only the suggestions, queries in bulk on all cores.
        total = matching_index.count_indexable("needs")
        with click.progressbar(length=total, label="Suggestions", show_pos=True) as bar:
            new = nightly.match_all_needs(progress=bar.update)
        click.echo(f"Suggestions : {total} besoin(s) examiné(s), {new} nouvelle(s) suggestion(s).")
