"""`flask newsletter work`: a newsletter worker in the foreground."""
import click
from flask.cli import AppGroup

from awards.newsletter.delivery.worker import work

newsletter_cli = AppGroup("newsletter", help="The newsletter.")


@newsletter_cli.command("work")
@click.option("--issue", "issue_id", type=int, default=None, help="Send only this issue.")
@click.option("--once", is_flag=True, help="Stop when nothing is due, instead of waiting.")
@click.option("--poll", type=float, default=1.0, show_default=True,
              help="Seconds to wait between looks when nothing is due.")
def work_command(issue_id, once, poll):
    """Send the issues being sent, claiming batches alongside any other workers."""
    report = work(issue_id, forever=not once, poll=poll)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}, "
               f"skipped {report.skipped}" + (f"; stopped: {report.stopped}"
                                              if report.stopped else ""))
