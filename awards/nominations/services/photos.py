"""Nominee photos: judged by content, size- and pixel-capped, re-encoded without metadata."""
import math
import secrets
from io import BytesIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from awards.core.audit import record
from awards.core.uploads import upload_dir
from awards.extensions import db
from awards.nominations.models import Photo
from awards.nominations.services import NominationError

MAX_BYTES = 10 * 1024 * 1024
# A phone photo is 12 MP (4032 x 3024); the largest a phone saves by default is 24 MP
# (iPhone 15 and later: 5712 x 4284 = 24.5 MP). 25 MP takes those and refuses anything larger
# from the header alone, before a pixel is decoded: we keep only a 1200 px copy, and a small
# PNG can claim tens of megapixels (6000 x 6600 px in 150 KiB took a worker to 907 MiB).
MAX_PIXELS = 25_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE, THUMB_SIZE = 1200, 400
TOO_MANY_PIXELS = _l("The photo has too many pixels: it must be at most 25 megapixels.")


def read_image(stream):
    """Check an upload and return a decoded RGB image, or raise NominationError."""
    # Pillow here, not at the top: only a worker taking an upload needs it in memory.
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise NominationError(_("The photo must be smaller than 10 MB."))
    if not data:
        raise NominationError(_("The selected file is empty."))
    try:
        with Image.open(BytesIO(data)) as probe:  # reads the header only
            if probe.format not in ALLOWED_FORMATS:
                raise NominationError(_("The photo must be a JPG, PNG or WebP image."))
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise NominationError(str(TOO_MANY_PIXELS))
            probe.verify()  # structure check without decoding the pixels
        image = Image.open(BytesIO(data))
        # JPEG decodes at 1/2, 1/4 or 1/8 scale, still at least the display size: a 24 MP
        # photo costs 4.6 MB of pixels instead of 73 MB. (Other formats ignore the draft.)
        scale = min(1, DISPLAY_SIZE / max(width, height))
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()
        # Down to the display size at once, before any conversion copies it at full size.
        image.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
    except NominationError:
        raise
    except Image.DecompressionBombError as error:
        raise NominationError(str(TOO_MANY_PIXELS)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NominationError(
            _("The file is not a photo we can read. Choose a JPG, PNG or WebP image.")) from error
    image = ImageOps.exif_transpose(image)  # keep it the right way up once EXIF is gone
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
        image = background
    image = image.convert("RGB")
    # Pillow writes a JPEG comment from image.info when saving: carry no metadata forward.
    image.info.clear()
    return image


def _save(image, longest_side):
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side))
    name = f"{secrets.token_hex(16)}.jpg"
    # A fresh JPEG with no exif/icc/comment arguments: no metadata survives.
    copy.save(upload_dir() / name, "JPEG", quality=85, optimize=True, progressive=True)
    return name, copy.size


def attach_photo(nomination, stream, alt_text="", *, actor=None):
    """Store a photo for the nomination (replacing any earlier one)."""
    if not nomination.is_editable:
        raise NominationError(_("The photo can no longer be changed."))
    image = read_image(stream)
    display_name, (width, height) = _save(image, DISPLAY_SIZE)
    thumb_name, _thumb_size = _save(image, THUMB_SIZE)
    remove_photo(nomination, actor=actor, audit=False)
    nomination.photo = Photo(display_name=display_name, thumb_name=thumb_name, width=width,
                             height=height, alt_text=(alt_text or "").strip()[:250])
    db.session.flush()
    record("photo.attached", nomination, actor=actor, reference=nomination.reference)
    return nomination.photo


def save_photo(nomination, upload=None, alt_text=None, *, actor=None):
    """The photo step: store `upload` (a file stream) as the photo, or, with no upload,
    change the description of the photo already there (None leaves it as it is)."""
    if upload is not None:
        return attach_photo(nomination, upload, alt_text, actor=actor)
    if nomination.photo is not None and alt_text is not None:
        describe_photo(nomination, alt_text, actor=actor)
    return nomination.photo


def describe_photo(nomination, alt_text, *, actor=None):
    """Change the photo's description for people who cannot see it; audited."""
    if not nomination.is_editable:
        raise NominationError(_("The photo can no longer be changed."))
    photo = nomination.photo
    if photo is None:
        raise NominationError(_("There is no photo to describe."))
    before, after = photo.alt_text, (alt_text or "").strip()[:250]
    if after != before:
        photo.alt_text = after
        record("photo.described", nomination, actor=actor, reference=nomination.reference,
               alt_text=[before, after])
    db.session.flush()
    return photo


def remove_photo(nomination, *, actor=None, audit=True):
    """Delete the nomination's photo files and record."""
    photo = nomination.photo
    if photo is None:
        return
    for name in (photo.display_name, photo.thumb_name):
        (upload_dir() / name).unlink(missing_ok=True)
    nomination.photo = None
    db.session.flush()
    if audit:
        record("photo.removed", nomination, actor=actor, reference=nomination.reference)
