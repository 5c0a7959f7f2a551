"""Deleting a nomination or a photo for good, with its files once the change commits.

Photo files are removed after the commit (a rolled-back erasure keeps them): the paths wait in
the session's `info`, and the factory connects `remove_files_after_commit` and
`forget_files_after_rollback` to the session's moments.
"""
import logging

from sqlalchemy import select, update

from awards.core.uploads import upload_dir
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.public.models import PublicAward, ThankYou

FILES_KEY = "privacy_files_to_remove"
log = logging.getLogger(__name__)


def drop_photo(nomination):
    """Delete the nomination's photo row; its files go once the change commits."""
    photo = nomination.photo
    if photo is None:
        return 0
    for award in db.session.scalars(select(PublicAward).filter_by(photo_id=photo.id)):
        award.photo_id = None
    db.session.info.setdefault(FILES_KEY, set()).update({photo.display_name, photo.thumb_name})
    nomination.photo = None
    db.session.flush()
    return 1


def drop_public_award(nomination):
    """Delete the nomination's public row through the session, so the page cache starts a
    new generation and its share images are removed after the commit."""
    award = db.session.scalar(select(PublicAward).filter_by(nomination_id=nomination.id))
    if award is not None:
        db.session.delete(award)
        db.session.flush()


def delete_nomination(nomination):
    """Delete a nomination with everything hanging from it (consent, supporters, reviews,
    decisions, messages of thanks: ON DELETE CASCADE) and its photo files."""
    drop_photo(nomination)
    drop_public_award(nomination)
    # Approved messages are on a public page: deleted through the session, the cache sees it.
    for thanks in db.session.scalars(select(ThankYou).filter_by(nomination_id=nomination.id)):
        db.session.delete(thanks)
    db.session.execute(update(Nomination).where(Nomination.duplicate_of_id == nomination.id)
                       .values(duplicate_of_id=None).execution_options(synchronize_session=False))
    for supporter in list(nomination.supporters):  # no ORM cascade on this side: by hand
        db.session.delete(supporter)
    db.session.delete(nomination)  # the rest goes with it in the database (ON DELETE CASCADE)
    db.session.flush()


def remove_files_after_commit(app, session):
    """Session hook: delete the photo files of photos deleted by the committed change."""
    names = session.info.pop(FILES_KEY, set())
    folder = upload_dir() if names else None
    for name in names:
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError:  # a file that cannot be removed must not fail the committed change
            log.exception("Could not remove an uploaded file")


def forget_files_after_rollback(app, session):
    """Session hook: a rolled-back change deleted no photo."""
    session.info.pop(FILES_KEY, None)
