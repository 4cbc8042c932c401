"""`flask domains add`: list an e-mail domain that proves membership of a collectivity (what the
administration page does, for scripted set-ups and bulk imports)."""
import click
from flask.cli import AppGroup

from marketplace.admin import domains
from marketplace.core.errors import ServiceError

domains_cli = AppGroup("domains", help="Domaines de messagerie des collectivités.")


@domains_cli.command("add")
@click.argument("collectivity")
@click.argument("domain")
def add_command(collectivity, domain):
    """Ajoute DOMAIN à la collectivité COLLECTIVITY (nom, code INSEE ou SIREN)."""
    try:
        entry = domains.add_domain(None, None, collectivity, domain)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"{entry.domain} : {entry.collectivity.name}")
