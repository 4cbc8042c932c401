"""`flask matching backfill-labels` and `flask matching train-reranker`: the coordinators' decisions
as labels, and the re-ranker learned from them (switched on only when it beats the fixed weights)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click

from marketplace.cli.matching import matching_cli
from marketplace.learning import labels, reranker


@matching_cli.command("backfill-labels")
def backfill_labels_command():
    """Enregistre comme étiquettes les décisions prises avant l'enregistrement des étiquettes."""
    click.echo(f"Étiquettes : {labels.backfill()} enregistrée(s).")


def _metric(value) -> str:
    return "—" if value is None else f"{value:.3f}"


@matching_cli.command("train-reranker")
@click.option("--cutoff", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date de coupure : apprend avant, évalue après (par défaut : il y a 30 jours).")
@click.option("--min-labels", type=click.IntRange(min=1), default=None,
              help="Étiquettes minimales avant la coupure (RERANKER_MIN_LABELS par défaut).")
@click.option("--margin", type=click.FloatRange(min=0), default=None,
              help="Gain minimal de nDCG@5 sur les poids fixes (RERANKER_MARGIN par défaut).")
def train_reranker_command(cutoff, min_labels, margin):
    """Apprend un réordonnancement sur les décisions, l'évalue après la coupure, l'active s'il gagne."""
    cutoff = (cutoff.replace(tzinfo=timezone.utc) if cutoff is not None
              else datetime.now(timezone.utc) - timedelta(days=30))
    try:
        row = reranker.train(cutoff, min_labels=min_labels, margin=margin)
    except ValueError as error:
        raise click.ClickException(f"Apprentissage impossible : {error}.") from None
    counts, metrics = row.label_counts, row.metrics
    click.echo(f"Coupure {cutoff:%Y-%m-%d} : {counts['train']} paires avant ({counts['train_positive']} positives), "
               f"{counts['test']} après ({counts['test_positive']} positives).")
    click.echo(f"{'':<16}{'MRR':>8}{'nDCG@5':>9}{'files':>7}")
    for name, key in (("Poids fixes", "fixed"), ("Appris", "learned")):
        m = metrics[key]
        click.echo(f"{name:<16}{_metric(m['mrr']):>8}{_metric(m['ndcg@5']):>9}{m['groups']:>7}")
    if row.active:
        click.echo(f"Modèle {row.id} activé : il bat les poids fixes d'au moins {metrics['margin']}.")
    else:
        click.echo(f"Modèle {row.id} enregistré mais non activé (minimum {metrics['min_labels']} étiquettes "
                   f"et +{metrics['margin']} de nDCG@5 requis) : les poids fixes restent en place.")
