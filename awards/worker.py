"""Entry point for background workers: `huey_consumer awards.worker.huey -w 2`."""
from awards import create_app

app = create_app()
huey = app.extensions["jobs"].huey  # the consumer looks it up here
