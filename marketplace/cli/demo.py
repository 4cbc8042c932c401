"""`flask seed-demo`: load the demonstration data (refused where DEMO_ENABLED is false)."""
import click

from marketplace.demo.seed import DemoDisabled, demo_accounts, demo_password, seed_demo

COUNT_LABELS = (
    ("users", "comptes"),
    ("offers", "offres"),
    ("needs", "besoins"),
    ("collectivities", "collectivités concernées"),
    ("regions", "régions couvertes"),
    ("practices", "fiches pratiques publiées"),
    ("reuses", "reprises de pratiques déclarées"),
)


@click.command("seed-demo")
def seed_demo_command():
    """Crée les données de démonstration (comptes, offres, besoins, fiches pratiques) ; sans effet si déjà chargées."""
    try:
        counts = seed_demo(progress=lambda message: click.echo(f"  {message}"))
    except DemoDisabled as error:
        raise click.ClickException(str(error)) from error
    if counts["already_seeded"]:
        click.echo("Données de démonstration déjà chargées : rien n'a été modifié.")
    else:
        click.echo("Données de démonstration chargées "
                   f"({counts['collectivities_created']} collectivité(s) créée(s) faute d'import).")
    for key, label in COUNT_LABELS:
        click.echo(f"  {counts[key]:>5} {label}")
    click.echo(f"Comptes de démonstration (mot de passe commun : {demo_password()}) :")
    for label, email in demo_accounts():
        click.echo(f"  {label:<45} {email}")
