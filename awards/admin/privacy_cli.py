"""`flask backup PATH`, `flask restore PATH --yes`, `flask retention run [--dry-run]`."""
import click
from flask.cli import AppGroup

from awards.admin.services.backup import BackupError, make_backup, restore_backup
from awards.admin.services.retention import apply_retention, plan_retention
from awards.extensions import db

retention_cli = AppGroup("retention", help="Delete what the retention schedule says is due.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would go, change nothing.")
def run(dry_run):
    """Apply the retention schedule (RETENTION_* settings)."""
    if dry_run:
        for name, due in plan_retention().items():
            click.echo(f"{name}: {len(due.rows)}")
            for line in due.lines():
                click.echo(f"  {line}")
        db.session.rollback()
        return
    counts = apply_retention()
    db.session.commit()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup(path):
    """Write the database and uploads to a tar.gz archive at PATH, with a manifest."""
    try:
        manifest = make_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}: {sum(manifest['row_counts'].values())} rows, "
               f"{len(manifest['uploads'])} uploaded files.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace this site's database and uploads.")
def restore(path, yes):
    """Replace the database and uploads with a backup made by `flask backup`."""
    if not yes:
        raise click.ClickException("Restoring replaces every row and uploaded file: "
                                   "run again with --yes to go ahead.")
    try:
        manifest = restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the backup made at {manifest['made_at']}. Run `flask public "
               "rebuild` if the code has changed since.")


PRIVACY_COMMANDS = (retention_cli, backup, restore)
