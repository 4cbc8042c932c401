"""The Celery and SMTP settings the issue asks to hold, checked on the configured application."""
from __future__ import annotations

from config import TestingConfig
from marketplace import create_app
from workers import tasks


def _celery(**overrides):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", **overrides)
    return app, app.extensions["celery"]


def test_delivery_guarantees_and_limits():
    app, celery = _celery(REDIS_URL="redis://127.0.0.1:6379/5")
    conf = celery.conf
    assert conf.task_always_eager is False
    assert conf.task_acks_late is True and conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    # A task still running must never be handed to a second worker by Redis.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_publishing_never_hangs_a_request():
    _app, celery = _celery(REDIS_URL="redis://127.0.0.1:6379/5")
    conf = celery.conf
    options = conf.broker_transport_options
    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 5
    assert conf.broker_connection_timeout <= 1
    policy = conf.task_publish_retry_policy
    worst = options["socket_connect_timeout"] * (policy["max_retries"] + 1) + policy["interval_max"] * policy["max_retries"]
    assert worst < 2


def test_embedded_default_runs_tasks_in_process():
    _app, celery = _celery(REDIS_URL="")
    assert celery.conf.task_always_eager is True


def test_smtp_timeout_and_one_retry_owner():
    app, _celery_app = _celery()
    assert 0 < app.config["MAIL_TIMEOUT"] <= 30
    # No Celery retry on any task: the outbox and intent rows own the one retry schedule.
    for task in (tasks.send_outbox_email, tasks.match_need, tasks.match_offer, tasks.refit_index):
        assert not getattr(task, "autoretry_for", ()), task.name
    assert app.config["OUTBOX_MAX_ATTEMPTS"] >= 3 and app.config["OUTBOX_RETRY_BASE"] > 0
    assert app.config["TASK_INTENT_MAX_ATTEMPTS"] >= 3 and app.config["TASK_INTENT_RETRY_AFTER"] > 0
    # The sweep runs often enough to honour the first backoff of an e-mail.
    assert app.config["SWEEP_INTERVAL"] <= app.config["OUTBOX_RETRY_BASE"]


def test_beat_schedule_has_the_periodic_tasks():
    _app, celery = _celery()
    scheduled = {entry["task"] for entry in celery.conf.beat_schedule.values()}
    assert {"workers.tasks.sweep", "workers.tasks.refit_all", "workers.tasks.send_daily_digests"} <= scheduled
