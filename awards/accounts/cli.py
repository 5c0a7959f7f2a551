"""`flask users ...`: account administration from the command line."""
import click
from flask.cli import AppGroup

from awards.accounts import services
from awards.accounts.enums import Role
from awards.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(help="At least 10 characters.")
def create_admin(email, name, password):
    """Create a verified account with the admin role."""
    if len(password) < 10:
        raise click.BadParameter("the password must be at least 10 characters",
                                 param_hint="password")
    try:
        services.create_verified_user(name, email, password, roles=[Role.ADMIN])
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Admin account created for {email}.")
