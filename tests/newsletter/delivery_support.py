"""What the delivery tests share: an app pointed at a real SMTP server in its own process, an
issue with a body ready to send, the stand-in links, and the worker CLI in a subprocess.

`create_app` below is also the app `flask --app tests.newsletter.delivery_support` runs in
the crash tests' worker processes.
"""
import os
import subprocess
import sys
from pathlib import Path

from flask import Blueprint
from sqlalchemy import select

from awards import create_app as create_awards_app
from awards import factories as f
from awards.extensions import db
from awards.newsletter.models import Delivery
from awards.newsletter.services import sending

ROOT = Path(__file__).resolve().parents[2]
SENDER = "Big Citizens <news@bigcitizens.example>"
TEXT = "Hello, neighbours.\n\nPreferences: %%PREFERENCES_URL%%\nUnsubscribe: %%UNSUBSCRIBE_URL%%\n"
HTML = ('<p>Hello, neighbours.</p><p><a href="%%PREFERENCES_URL%%">Preferences</a> '
        '<a href="%%UNSUBSCRIBE_URL%%">Unsubscribe</a></p>')


def stand_in_links(app):
    """Until the subscription pages exist on this branch, endpoints of the same names (the
    delivery code builds its links from `newsletter.unsubscribe` / `newsletter.preferences`)."""
    if "newsletter.unsubscribe" in app.view_functions:
        return app
    blueprint = Blueprint("newsletter", __name__, url_prefix="/newsletter")
    blueprint.add_url_rule("/unsubscribe/<token>", "unsubscribe", lambda token: "")
    blueprint.add_url_rule("/preferences/<token>", "preferences", lambda token: "")
    app.register_blueprint(blueprint)
    return app


def mail_settings(port, **overrides):
    """Config overrides: SMTP to 127.0.0.1:port, short leases, small batches."""
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "MAIL_SECURITY": "none", "MAIL_USERNAME": None, "MAIL_TIMEOUT": 5.0,
            "MAIL_DEFAULT_SENDER": SENDER, "NEWSLETTER_LEASE_SECONDS": 30,
            "NEWSLETTER_BATCH_SIZE": 10, "PUBLIC_URL": "https://awards.example.org",
            **overrides}


def issue_ready(subject="Winter news", **fields):
    """A draft issue whose body is stored, with the link placeholders."""
    issue = f.newsletter_issue(subject, **fields)
    issue.html_body, issue.text_body = HTML, TEXT
    db.session.flush()
    return issue


def start(issue):
    """Snapshot the audience without starting any task (the worker is run by the test)."""
    count = sending.start_sending(issue, None)
    db.session.info.pop(sending.SEND_QUEUED, None)
    db.session.commit()
    return count


def deliveries(issue_id=None):
    """address -> Delivery row, fresh from the database."""
    db.session.expire_all()
    query = select(Delivery).order_by(Delivery.id)
    if issue_id is not None:
        query = query.where(Delivery.issue_id == issue_id)
    return {row.address: row for row in db.session.scalars(query)}


def create_app():
    """The worker processes' app: the environment's configuration plus the stand-in links."""
    return stand_in_links(create_awards_app(
        MAIL_BACKEND=os.environ.get("MAIL_BACKEND", "store")))  # testing forces "store"


def worker_process(database_url, port, log_path, *, lease=1, batch=25, extra_env=None):
    """`flask newsletter work` in a subprocess, on the given database and SMTP port."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(AWARDS_CONFIG="testing", DATABASE_URL=database_url, MAIL_BACKEND="smtp",
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_SECURITY="none",
               NEWSLETTER_LEASE_SECONDS=str(lease), NEWSLETTER_BATCH_SIZE=str(batch),
               PUBLIC_URL="https://awards.example.org", PYTHONPATH=str(ROOT),
               **(extra_env or {}))
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tests.newsletter.delivery_support",
             "newsletter", "work", "--poll", "0.2"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
