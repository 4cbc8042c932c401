"""`flask notifications send-digests`: send the daily digests now (celery beat does it at 7:30)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.notifications import services as notifications

notifications_cli = AppGroup("notifications", help="Notifications et récapitulatifs par e-mail.")


@notifications_cli.command("send-digests")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Jour du récapitulatif (AAAA-MM-JJ, aujourd'hui par défaut).")
def send_digests_command(day):
    """Écrit un récapitulatif par personne ayant choisi la fréquence quotidienne (une fois par jour)."""
    sent = notifications.send_daily_digests(day.date() if day else None)
    click.echo(f"Récapitulatifs envoyés : {sent}")
