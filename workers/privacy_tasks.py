"""Tasks of the personal data rights: build one archive (via a task intent), and the daily retention."""
from __future__ import annotations

from celery import shared_task

from marketplace.core import task_queue
from marketplace.privacy.services import export, retention


@shared_task(bind=True, name="workers.privacy_tasks.build_data_export")
def build_data_export(self, export_id: int) -> None:
    """Build one "download my data" archive and e-mail its link."""
    task_queue.run_intent(self.request.id, export.build_export, export_id)


@shared_task(name="workers.privacy_tasks.run_retention")
def run_retention() -> None:
    """Daily: warn then anonymise inactive accounts, purge mail files, old rows and expired archives."""
    retention.run_retention()


@shared_task(name="workers.privacy_tasks.purge_expired_exports")
def purge_expired_exports() -> None:
    """Hourly: delete the archives whose 24-hour link has expired."""
    export.purge_expired_exports()
