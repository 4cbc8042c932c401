"""Dead letters: the e-mails and task intents given up after too many attempts.

The outbox and the task intents own their retries (see core/outbox.py and core/task_queue.py);
what they give up stays in the "dead" status with its last error. Administrators list them here
and replay one or all of them: a replay resets the attempts and publishes the task again.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from marketplace.core import outbox, task_queue
from marketplace.core.errors import NotFound
from marketplace.core.unit_of_work import transactional

KINDS = ("email", "task")
# What each task does, in the administrator's words (an unknown task shows its technical name).
TASK_LABELS = {
    "workers.tasks.match_need": _l("Calcul des suggestions d'un besoin"),
    "workers.tasks.match_offer": _l("Calcul des suggestions d'une offre"),
    "workers.tasks.refit_index": _l("Reconstruction d'un index de suggestions"),
    "workers.tasks.send_outbox_email": _l("Envoi d'un e-mail"),
}


def task_label(task: str) -> str:
    """The French description of a task name, or the name itself when it has none."""
    label = TASK_LABELS.get(task)
    return str(label) if label is not None else task


def overview(limit: int = 200) -> dict:
    """The dead e-mails and task intents (latest first, `limit` of each) and how many there are."""
    return {
        "emails": outbox.dead_letters(limit),
        "intents": task_queue.dead_intents(limit),
        "email_count": outbox.count_dead(),
        "intent_count": task_queue.count_dead(),
        "limit": limit,
    }


@transactional
def replay(kind: str, item_id: int) -> None:
    """Give one dead e-mail ("email") or task intent ("task") a fresh set of attempts."""
    if kind == "email":
        outbox.replay(item_id)
    elif kind == "task":
        task_queue.replay(item_id)
    else:
        raise NotFound(_("Ce type d'envoi n'existe pas."))


@transactional
def replay_all() -> int:
    """Replay every dead e-mail and task intent; how many."""
    return outbox.replay_all() + task_queue.replay_all()
