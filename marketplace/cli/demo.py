"""Placeholder, replaced by the demo data work."""
import click


@click.command("seed-demo")
def seed_demo_command():
    """Crée les données de démonstration."""
    raise click.ClickException("not yet")
