"""Entry point for background workers: `huey_consumer awards.worker.huey -w 2`."""
from awards import create_app
from awards.core.jobs import huey  # noqa: F401  (the consumer looks it up here)

app = create_app()
