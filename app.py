"""Entry point for gunicorn and the flask CLI: ``gunicorn app:app``, ``flask --app app ...``."""

from zwt import create_app

app = create_app()
