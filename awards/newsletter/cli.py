"""`flask newsletter ...`: the bounces command and a worker in the foreground."""
import click
from flask.cli import AppGroup

from awards.extensions import db
from awards.newsletter.services.bounces import process_mailbox

newsletter_cli = AppGroup("newsletter", help="The newsletter.")


@newsletter_cli.command("bounces")
@click.argument("mbox", type=click.Path(exists=True, dir_okay=False))
def bounces(mbox):
    """Suppress the subscribers who bounced for good or complained, from an mbox of
    delivery-status notifications and feedback reports."""
    report = process_mailbox(mbox)
    db.session.commit()
    click.echo(f"messages read: {report.messages}\n"
               f"bounces found: {report.bounces}\n"
               f"temporary failures (not suppressed): {report.temporary}\n"
               f"complaints: {report.complaints}\n"
               f"addresses suppressed: {report.suppressed}\n"
               f"unknown addresses: {len(report.unknown)}")
    if report.other_reports:
        click.echo(f"other feedback reports (not complaints): {report.other_reports}")
    if report.unreadable:
        click.echo(f"unreadable messages skipped: {report.unreadable}")
