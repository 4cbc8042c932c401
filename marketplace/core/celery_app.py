"""Celery bound to the Flask application, as in Flask's "Background Tasks with Celery" docs.

Without REDIS_URL, tasks run in-process (eager), so `make run` needs no service.
"""
from __future__ import annotations

import logging

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask

from marketplace.core.logging import current_request_id

logger = logging.getLogger(__name__)


def request_id_of(task_request) -> str | None:
    """The request id a task was published with (see task_queue.publish), if any."""
    found = getattr(task_request, "request_id", None)
    if not found:
        found = (getattr(task_request, "headers", None) or {}).get("request_id")
    return found if isinstance(found, str) else None


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            # The web request's id follows its tasks into the worker's log lines; an eager task
            # runs inside the request and keeps the id already set.
            token = current_request_id.set(request_id_of(self.request) or current_request_id.get())
            try:
                with app.app_context():
                    logger.info("task %s %s", self.name, list(args))
                    return self.run(*args, **kwargs)
            finally:
                current_request_id.reset(token)

    redis_url = app.config.get("REDIS_URL") or ""
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=redis_url or "memory://",
        result_backend=None,
        task_ignore_result=True,
        task_always_eager=not redis_url,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=300,
        task_soft_time_limit=240,
        # Above the longest task (time limit 300 s), so a running task is never delivered twice.
        broker_transport_options={
            "visibility_timeout": 3600,
            # Short socket timeouts: a publish from a web request fails fast when Redis is down
            # (the TaskIntent row keeps the task; the sweep publishes it later).
            "socket_connect_timeout": app.config["BROKER_CONNECT_TIMEOUT"],
            "socket_timeout": app.config["BROKER_SOCKET_TIMEOUT"],
            "retry_on_timeout": False,
        },
        broker_connection_timeout=app.config["BROKER_CONNECT_TIMEOUT"],
        broker_connection_retry_on_startup=True,
        task_publish_retry=True,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        imports=("workers.tasks", "workers.pairing_tasks", "workers.privacy_tasks", "workers.matching_tasks"),
        beat_schedule={
            "sweep": {"task": "workers.tasks.sweep", "schedule": float(app.config["SWEEP_INTERVAL"])},
            "heartbeat": {"task": "workers.tasks.heartbeat", "schedule": float(app.config["HEARTBEAT_INTERVAL"])},
            "refit-nightly": {"task": "workers.tasks.refit_all", "schedule": crontab(hour=3, minute=15)},
            "matching-overlap": {"task": "workers.matching_tasks.sample_overlap", "schedule": crontab(hour=3, minute=50)},
            "daily-digests": {"task": "workers.tasks.send_daily_digests", "schedule": crontab(hour=7, minute=30)},
            "pairing-reminders": {"task": "workers.pairing_tasks.remind_and_expire", "schedule": crontab(hour=7, minute=0)},
            "privacy-exports": {"task": "workers.privacy_tasks.purge_expired_exports", "schedule": crontab(minute=20)},
            "privacy-retention": {"task": "workers.privacy_tasks.run_retention", "schedule": crontab(hour=4, minute=10)},
        },
        timezone=app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"),
        # Keep the application's log handler (JSON in production, with the request id).
        worker_hijack_root_logger=False,
    )
    celery_app.conf.update(app.config.get("CELERY", {}))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
