"""`flask first-start`: what `make run` does before serving."""
import click


@click.command("first-start")
def first_start_command():
    """Applique les migrations, importe la géographie et la démo au premier démarrage."""
    raise click.ClickException("not yet")
