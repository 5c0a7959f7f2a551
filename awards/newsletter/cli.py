"""`flask newsletter ...`: the bounces command and a worker in the foreground."""
import click
from flask.cli import AppGroup

from awards.extensions import db

newsletter_cli = AppGroup("newsletter", help="The newsletter.")


@newsletter_cli.command("bounces")
@click.argument("mbox", type=click.Path(exists=True, dir_okay=False))
def bounces(mbox):
    """Suppress the subscribers who bounced for good or complained, from an mbox of
    delivery-status notifications and feedback reports."""
    # Here, not at the top: flufl.bounce and mailbox need not sit in every web worker.
    from awards.newsletter.services.bounces import process_mailbox

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


@newsletter_cli.command("work")
@click.option("--issue", "issue_id", type=int, default=None, help="Send only this issue.")
@click.option("--once", is_flag=True, help="Stop when nothing is due, instead of waiting.")
@click.option("--poll", type=float, default=1.0, show_default=True,
              help="Seconds to wait between looks when nothing is due.")
def work_command(issue_id, once, poll):
    """Send the issues being sent, claiming batches alongside any other workers."""
    # Here too: what builds the messages (email.policy, 0.4 MB) need not sit in web workers.
    from awards.newsletter.delivery.worker import work

    report = work(issue_id, forever=not once, poll=poll)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}, "
               f"skipped {report.skipped}" + (f"; stopped: {report.stopped}"
                                              if report.stopped else ""))
