"""The WSGI entry point: `gunicorn wsgi:app` (AWARDS_CONFIG=production in production)."""
from awards import create_app

app = create_app()
