"""Celery tasks. Each one loads by id and calls one service function."""
