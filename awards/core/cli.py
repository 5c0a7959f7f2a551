"""`flask mail ...`: deliver the outbox from the command line or cron."""
import click
from flask.cli import AppGroup

from awards.core.mail.sender import deliver_pending

mail_cli = AppGroup("mail", help="E-mail delivery.")


@mail_cli.command("send-pending")
@click.option("--max", "max_messages", type=int, default=None, help="Stop after this many.")
def send_pending(max_messages):
    """Deliver every message that is due, over one SMTP connection."""
    report = deliver_pending(max_messages)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")
