"""`flask demo load`: a living example of every part of the site."""
import click
from flask import current_app
from flask.cli import AppGroup

from awards.extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying the site.")


@demo_cli.command("load")
def load():
    """Add the demo scheme and accounts (idempotent) and print the demo logins."""
    # Here, not at the top: the demo's factories (Pillow, the newsletter's Markdown) need not
    # sit in every web worker.
    from awards.admin.demo import (
        CHAIR,
        DEMO_ACCOUNTS,
        TWO_FACTOR_ADMIN,
        TWO_FACTOR_SECRET,
        load_demo_data,
    )

    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("Demo data is not loaded in production.")
    created = load_demo_data()
    db.session.commit()
    click.echo(f"Demo data ready ({len(created)} new: {', '.join(created) or 'nothing'}).")
    click.echo("Demo logins (email / password):")
    for name, email, password, roles in DEMO_ACCOUNTS:
        role = "Panel chair" if email == CHAIR[1] else (roles[0].label if roles else "Resident")
        click.echo(f"  {role!s:<13} {email:<30} {password}")
    _name, email, password, _roles = TWO_FACTOR_ADMIN
    click.echo(f"  {'Admin (2FA)':<13} {email:<30} {password}")
    click.echo(f"    then a code from an authenticator app with the secret {TWO_FACTOR_SECRET}")
    click.echo(f"    (or: oathtool --totp -b {TWO_FACTOR_SECRET})")
