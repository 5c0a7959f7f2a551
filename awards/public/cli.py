"""`flask public rebuild`: list again every published award from its consent and decision."""
import click
from flask.cli import AppGroup

from awards.extensions import db
from awards.public.models import PublicAward
from awards.public.services.listing import rebuild_all
from awards.public.share_image import remove_unlisted_images

public_cli = AppGroup("public", help="The public recognition pages.")


@public_cli.command("rebuild")
def rebuild():
    """Rebuild the public awards (after restoring a backup, or upgrading an old database)
    and remove the share images of awards no longer public."""
    count = rebuild_all()
    db.session.commit()
    removed = remove_unlisted_images(set(db.session.scalars(db.select(PublicAward.key))))
    click.echo(f"{count} awards are public; {removed} old share images removed.")
