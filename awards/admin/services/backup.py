"""Backups: one tar.gz with a consistent copy of the database, the uploads and a manifest.

SQLite is copied with its online backup API (`sqlite3.Connection.backup`: a snapshot, while
the site keeps writing); PostgreSQL with `pg_dump` inside a repeatable-read snapshot, so the
row counts in the manifest are those of the dump. Restoring checks the manifest (format,
database kind, checksums, then the row counts and SQLite's integrity check) before and after
replacing the database and the uploads folder.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from awards.core.db import utcnow
from awards.core.uploads import upload_dir
from awards.extensions import db
from awards.panels import results_cache
from awards.public.cache import invalidate
from awards.public.share_image import remove_unlisted_images

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE, PG_FILE = "database.sqlite3", "database.pgdump"
PG_BIN = Path("/usr/lib/postgresql/15/bin")  # the server's version (CI: PostgreSQL 15)


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables():
    return [table.name for table in db.metadata.sorted_tables]


def _sqlite_path():
    url = db.engine.url
    if url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _pg_tool(name):
    """pg_dump / pg_restore of the server's version when installed there, else on the PATH."""
    versioned = PG_BIN / name
    found = str(versioned) if versioned.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client-15).")
    return found


def _pg_connection():
    """(libpq URL without the password, environment with PGPASSWORD): the password stays
    out of the process list."""
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def count_rows_sqlite(path):
    with sqlite3.connect(path) as connection:
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in _tables()}


def _dump_sqlite(folder):
    target = folder / SQLITE_FILE
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # one step: a snapshot of one moment, writers carry on (WAL)
    finally:
        copy.close()
        source.close()
    return target, count_rows_sqlite(target)


def _dump_postgresql(folder):
    target = folder / PG_FILE
    url, environment = _pg_connection()
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = {name: connection.scalar(select(func.count()).select_from(table))
                      for name, table in ((t.name, t) for t in db.metadata.sorted_tables)}
            result = subprocess.run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={target}", f"--dbname={url}"],
                env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target, counts


def make_backup(path):
    """Write the archive at `path`; returns the manifest."""
    import tarfile  # here, as in check_archive: every web worker imports this module

    dialect = db.engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {dialect} databases are not supported.")
    db.session.remove()  # no transaction of ours open during the copy
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        dump, counts = (_dump_sqlite if dialect == "sqlite" else _dump_postgresql)(folder)
        # The uploads after the database: every photo the copy names was written before it.
        uploads = upload_dir()
        files = sorted(p for p in uploads.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT, "made_at": utcnow().isoformat(), "dialect": dialect,
            "database": {"file": dump.name, "sha256": _sha256(dump)},
            "row_counts": counts,
            "uploads": {p.relative_to(uploads).as_posix(): _sha256(p) for p in files},
        }
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path, "w:gz") as archive:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(utcnow().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for file in files:
                archive.add(file, arcname=f"uploads/{file.relative_to(uploads).as_posix()}")
    return manifest


def read_manifest(archive):
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The archive's manifest is not one this version can restore.")
    return manifest


def _safe_name(name):
    parts = PurePosixPath(name).parts
    if PurePosixPath(name).is_absolute() or ".." in parts or not parts:
        raise BackupError(f"The archive holds an unsafe path: {name}")
    return name


def check_archive(path, folder):
    """Unpack into `folder` and check it against its manifest; returns the manifest."""
    import tarfile

    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Not a backup archive: {error}") from error
    with archive:
        manifest = read_manifest(archive)
        if manifest.get("dialect") != db.engine.dialect.name:
            raise BackupError(f"The backup is of a {manifest.get('dialect')} database; this "
                              f"site runs on {db.engine.dialect.name}.")
        expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
        expected |= {f"uploads/{name}": digest for name, digest in manifest["uploads"].items()}
        for member in archive.getmembers():
            _safe_name(member.name)
            if member.name != MANIFEST and (not member.isfile() or member.name not in expected):
                raise BackupError(f"The archive holds a file its manifest does not list: "
                                  f"{member.name}")
        archive.extractall(folder, filter="data")
    for name, digest in expected.items():
        file = Path(folder) / name
        if not file.is_file() or _sha256(file) != digest:
            raise BackupError(f"{name} is missing or does not match the manifest.")
    return manifest


def _restore_sqlite(dump, manifest):
    with sqlite3.connect(dump) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The backed-up database fails SQLite's integrity check.")
    if count_rows_sqlite(dump) != manifest["row_counts"]:
        raise BackupError("The backed-up database's row counts differ from the manifest.")
    db.engine.dispose()
    source, live = sqlite3.connect(dump), sqlite3.connect(_sqlite_path())
    try:
        with live:
            source.backup(live)
    finally:
        source.close()
        live.close()


def _restore_postgresql(dump, manifest):
    url, environment = _pg_connection()
    db.engine.dispose()
    result = subprocess.run(
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", f"--dbname={url}", str(dump)],
        env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _replace_uploads(folder):
    uploads = upload_dir()
    for old in uploads.iterdir():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    restored = Path(folder) / "uploads"
    if restored.is_dir():
        shutil.copytree(restored, uploads, dirs_exist_ok=True)


def restore_backup(path):
    """Replace the database and the uploads with the archive's; returns its manifest."""
    db.session.remove()
    with tempfile.TemporaryDirectory() as temporary:
        manifest = check_archive(path, temporary)
        dump = Path(temporary) / manifest["database"]["file"]
        (_restore_sqlite if manifest["dialect"] == "sqlite" else _restore_postgresql)(
            dump, manifest)
        _replace_uploads(temporary)
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
              for t in db.metadata.sorted_tables}
    if counts != manifest["row_counts"]:
        raise BackupError("The restored database's row counts differ from the manifest.")
    # What was kept before is stale: new cache generations (the public pages, the panels'
    # results), share images drawn again.
    invalidate()
    results_cache.invalidate()
    remove_unlisted_images(set())
    db.session.remove()
    return manifest
