"""Backups: `flask backup PATH` makes a consistent copy while the site keeps writing, and
`flask restore PATH --yes` brings it back, checked against its manifest."""
import io
import json
import shutil
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from awards import factories
from awards.admin.services import backup as backup_service
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.enums import NominationStatus
from awards.nominations.models import Nomination
from awards.panels.results_cache import generation as results_generation
from awards.public.cache import generation as public_generation
from tests.conftest import require

TICK = "backup.test_tick"


class Writer(threading.Thread):
    """Inserts numbered audit events, one per transaction, until told to stop."""

    def __init__(self, application):
        super().__init__(daemon=True)
        self.application, self.written, self.stop, self.error = application, 0, False, None

    def run(self):
        try:
            with self.application.app_context():
                while not self.stop:
                    db.session.add(AuditEvent(action=TICK, details={"n": self.written}))
                    db.session.commit()
                    self.written += 1
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported by the test)
            self.error = error

    def wait_for(self, count):
        while self.written < count and self.error is None and self.is_alive():
            threading.Event().wait(0.01)


@pytest.fixture
def site(build_app):
    """A site of its own (its own SQLite file and uploads), with a nomination and photo."""
    application = build_app()
    if application.extensions["sqlalchemy"].engines[None].dialect.name == "postgresql":
        require(shutil.which("pg_dump") and shutil.which("pg_restore"),
                "pg_dump and pg_restore (postgresql-client-15) are needed on PostgreSQL")
    with application.app_context():
        cycle = factories.cycle(name="Backup Awards", slug="backup-awards")
        factories.nomination(cycle, NominationStatus.SUBMITTED, nominee_name="Bea Backup",
                             photo=factories.photo("teal"))
        db.session.commit()
    return application


def cli(application, *args):
    # In the site's own context: a command runs in the app context already pushed (the
    # suite's), and `flask backup` would copy the suite's database.
    with application.app_context():
        result = application.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def manifest_of(path):
    with tarfile.open(path, "r:gz") as archive:
        return json.load(archive.extractfile("manifest.json"))


def ticks():
    numbers = [event.details["n"] for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == TICK).order_by(AuditEvent.id))]
    return numbers


def test_backup_and_restore_while_writes_go_on(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    writer = Writer(site)
    writer.start()
    writer.wait_for(20)
    result = cli(site, "backup", str(archive))
    after_backup = writer.written
    writer.wait_for(after_backup + 20)  # writes went on after the copy
    writer.stop = True
    writer.join(30)
    assert writer.error is None and result.exit_code == 0, (writer.error, result.output)
    manifest = manifest_of(archive)
    copied = manifest["row_counts"]["audit_event"]
    with site.app_context():
        total = db.session.scalar(select(func.count()).select_from(AuditEvent))
        upload_dir = Path(site.config["UPLOAD_DIR"])
        photos = sorted(p.name for p in upload_dir.iterdir())
        for path in upload_dir.iterdir():  # lost since the backup
            path.unlink()
        db.session.remove()
    assert total > copied > 0
    assert sorted(manifest["uploads"]) == photos and len(photos) == 2

    refused = cli(site, "restore", str(archive))
    assert refused.exit_code != 0 and "--yes" in refused.output
    with site.app_context():
        kept_before = public_generation(), results_generation()
    restored = cli(site, "restore", str(archive), "--yes")
    assert restored.exit_code == 0, restored.output
    with site.app_context():  # nothing kept from before the restore is read again
        assert public_generation() != kept_before[0]
        assert results_generation() != kept_before[1]

    with site.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"
        # One moment in time: every event written before it, none after, no gaps.
        numbers = ticks()
        assert numbers == list(range(len(numbers)))
        assert {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables} == manifest["row_counts"]
        assert db.session.scalar(select(Nomination.nominee_name)) == "Bea Backup"
        assert sorted(p.name for p in Path(site.config["UPLOAD_DIR"]).iterdir()) == photos
        db.session.remove()


def test_restore_refuses_an_archive_that_does_not_match_its_manifest(site, tmp_path):
    archive, tampered = tmp_path / "site.tar.gz", tmp_path / "tampered.tar.gz"
    assert cli(site, "backup", str(archive)).exit_code == 0
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = b"not the photo"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    result = cli(site, "restore", str(tampered), "--yes")
    assert result.exit_code != 0
    assert "does not match the manifest" in result.output
    with site.app_context():  # nothing replaced
        assert db.session.scalar(select(Nomination.nominee_name)) == "Bea Backup"
        db.session.remove()


def test_restore_refuses_a_file_that_is_not_a_backup(site, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    with tarfile.open(junk, "w:gz") as archive:
        data = b"{}"
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    result = cli(site, "restore", str(junk), "--yes")
    assert result.exit_code != 0
    assert "not one this version can restore" in result.output
    not_tar = tmp_path / "plain.txt"
    not_tar.write_text("hello")
    assert "Not a backup archive" in cli(site, "restore", str(not_tar), "--yes").output


def test_restore_refuses_a_backup_of_another_kind_of_database(site, tmp_path, monkeypatch):
    archive = tmp_path / "site.tar.gz"
    assert cli(site, "backup", str(archive)).exit_code == 0
    monkeypatch.setattr(backup_service, "FORMAT", 2)
    result = cli(site, "restore", str(archive), "--yes")
    assert "not one this version can restore" in result.output
