"""`flask public rebuild`: list again every published award from its consent and decision."""
import click
from flask.cli import AppGroup

from awards.extensions import db
from awards.public.services.listing import rebuild_all

public_cli = AppGroup("public", help="The public recognition pages.")


@public_cli.command("rebuild")
def rebuild():
    """Rebuild the public awards (after restoring a backup, or upgrading an old database)."""
    count = rebuild_all()
    db.session.commit()
    click.echo(f"{count} awards are public.")
