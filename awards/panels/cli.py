"""`flask panels ...`: judging tasks from the command line or cron."""
import click
from flask.cli import AppGroup

# Importing the tasks also registers the daily reminder with Huey: the worker builds the app,
# which imports this module.
from awards.panels.tasks import remind_members

panels_cli = AppGroup("panels", help="Judging panels.")


@panels_cli.command("remind")
def remind():
    """E-mail members with reviews left when judging ends soon (at most once a day each)."""
    sent = remind_members()
    click.echo(f"sent {sent} reminder{'' if sent == 1 else 's'}")
