"""Entry point for gunicorn and Celery: `celery -A wsgi.celery_app worker`."""
from marketplace import create_app

app = create_app()
celery_app = app.extensions["celery"]
