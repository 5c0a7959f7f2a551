"""Nominee photos: hostile and broken uploads refused, good ones re-encoded without metadata."""
import os
import re
import struct
import time
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageFile
from sqlalchemy import select

from awards import factories
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.core.security import rate_limiter
from awards.extensions import db
from awards.nominations.enums import AgeBand, NomineeKind
from awards.nominations.models import Nomination, Photo
from awards.nominations.services import NominationError
from awards.nominations.services.photos import attach_photo, read_image, save_photo

NOT_READABLE = "The file is not a photo we can read. Choose a JPG, PNG or WebP image."
WRONG_FORMAT = "The photo must be a JPG, PNG or WebP image."
TOO_MANY_PIXELS = "The photo has too many pixels: it must be at most 25 megapixels."
TOO_LARGE = "The photo must be smaller than 10 MB."
EMPTY = "The selected file is empty."
STORED_NAME = re.compile(r"[0-9a-f]{32}\.jpg")
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script><rect width='10' height='10'/></svg>")
PHP = b"<?php system($_GET['cmd']); ?>"


# --- files made here, byte by byte ----------------------------------------------------------

def noise(size, mode="RGB"):
    """An image of random pixels (so JPEGs are big enough to truncate meaningfully)."""
    channels = len(mode)
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * channels))


def encode(image, fmt, **options):
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(size=(640, 480), color="steelblue", **options):
    return encode(Image.new("RGB", size, color), "JPEG", **options)


def png_with_alpha(size=(300, 200)):
    """Left half opaque red, right half fully transparent."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, size[0] // 2, size[1]))
    return encode(image, "PNG")


def with_xmp(jpeg_bytes, marker):
    """Insert an XMP APP1 segment straight after the JPEG's SOI marker."""
    packet = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
              b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
              b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>' + marker
              + b"</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>")
    payload = XMP_NAMESPACE + b"\x00" + packet
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    assert jpeg_bytes[:2] == b"\xff\xd8"
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def bilevel_png(width, height):
    """A real 1-bit PNG of all-black pixels, compressed row by row: tiny on disk, huge
    decoded (a decompression bomb when large)."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    parts, batch = [], row * 500
    for _ in range(height // 500):
        parts.append(compressor.compress(batch))
    parts.append(compressor.compress(row * (height % 500)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", b"".join(parts)) + png_chunk(b"IEND", b""))


def gif_polyglot():
    """A valid GIF that is also a script: GIF89a=... parses as JavaScript."""
    gif = encode(Image.new("P", (10, 10)), "GIF")
    return gif + b"*/=1;alert(document.cookie);/*<script>alert(1)</script>"


def exif_jpeg_with_everything():
    """A 300x100 JPEG (red left, green right) with camera EXIF, GPS, orientation 6 (turn
    90° clockwise to view), a COM comment and an XMP packet, each with a marker string."""
    image = Image.new("RGB", (300, 100), (0, 200, 0))
    image.paste((220, 0, 0), (0, 0, 150, 100))
    exif = Image.Exif()
    exif[0x010F] = "MarkerCameraMaker"  # Make
    exif[0x0110] = "MarkerCameraModel"  # Model
    exif[0x0131] = "MarkerSoftware"
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.5)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    data = encode(image, "JPEG", exif=exif, comment=b"MarkerCommentText", quality=95)
    return with_xmp(data, b"MarkerXmpCreator")


MARKERS = [b"MarkerCameraMaker", b"MarkerCameraModel", b"MarkerSoftware",
           b"MarkerCommentText", b"MarkerXmpCreator", b"http://ns.adobe.com/xap", b"Exif\x00"]


# --- fixtures and helpers --------------------------------------------------------------------

@pytest.fixture
def upload_dir(app):
    path = Path(app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def stored_files(upload_dir):
    """Factory: the names in UPLOAD_DIR that were not there when the test started."""
    before = set(os.listdir(upload_dir))

    def new():
        return set(os.listdir(upload_dir)) - before

    return new


def refused(data):
    """The message read_image refuses `data` with."""
    with pytest.raises(NominationError) as caught:
        read_image(BytesIO(data))
    return str(caught.value)


def start_draft(client, cycle):
    """Start a nomination through the start page; return its reference."""
    response = client.post(f"/nominate/{cycle.slug}", data={"start_token": os.urandom(8).hex()})
    assert response.status_code == 302
    match = re.match(r"/nomination/([A-Z0-9-]+)/category$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def answer_nominee(client, reference, area):
    response = client.post(f"/nomination/{reference}/nominee", data={
        "nominee_kind": "person", "nominee_name": "Maria Lopez", "area_id": area.id,
        "age_band": "18_plus", "nominee_email": "maria@example.com"})
    assert response.headers["Location"] == f"/nomination/{reference}/what-they-do"
    response = client.post(f"/nomination/{reference}/what-they-do",
                           data={"what_they_do": "Runs the Tuesday lunch club."})
    assert response.headers["Location"] == f"/nomination/{reference}/difference"


def upload(client, reference, data, filename="photo.jpg", content_type="image/jpeg",
           alt_text="Maria at the lunch club"):
    return client.post(
        f"/nomination/{reference}/photo", content_type="multipart/form-data",
        data={"photo": (BytesIO(data), filename, content_type), "alt_text": alt_text})


def nomination_by(reference):
    db.session.expire_all()
    return db.session.scalar(select(Nomination).where(Nomination.reference == reference))


def photo_error(page):
    """The error text shown next to the photo field (None when there is none)."""
    match = re.search(r'<p id="photo-error" class="field-error">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def audit_actions(nomination):
    return db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "nomination", AuditEvent.object_id == nomination.id,
        AuditEvent.action.like("photo.%")).order_by(AuditEvent.id)).all()


def assert_clean_jpeg(path, markers=MARKERS):
    raw = path.read_bytes()
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.mode == "RGB"
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
    for marker in markers:
        assert marker not in raw, marker


# --- read_image and attach_photo ---------------------------------------------------------------

@pytest.mark.parametrize("fmt, data", [
    ("JPEG", lambda: jpeg((2400, 1800))),
    ("PNG", lambda: png_with_alpha((2400, 1800))),
    ("WEBP", lambda: encode(Image.new("RGB", (2400, 1800), "olive"), "WEBP")),
])
def test_attach_photo_accepts_jpeg_png_webp_and_stores_resized_jpegs_under_random_names(
        fmt, data, make_nomination, upload_dir, stored_files):
    upload = data()
    assert Image.open(BytesIO(upload)).format == fmt
    nomination = make_nomination()

    photo = attach_photo(nomination, BytesIO(upload), "  Maria planting bulbs  ")
    db.session.commit()

    assert STORED_NAME.fullmatch(photo.display_name)
    assert STORED_NAME.fullmatch(photo.thumb_name)
    assert photo.display_name != photo.thumb_name
    assert stored_files() == {photo.display_name, photo.thumb_name}
    assert (photo.width, photo.height) == (1200, 900)
    assert photo.alt_text == "Maria planting bulbs"
    with Image.open(upload_dir / photo.display_name) as display:
        assert (display.format, display.size) == ("JPEG", (1200, 900))
    with Image.open(upload_dir / photo.thumb_name) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (400, 300))
    assert db.session.scalar(select(Photo.nomination_id).where(Photo.id == photo.id)) \
        == nomination.id
    assert audit_actions(nomination) == ["photo.attached"]


def test_attach_photo_keeps_a_small_photo_at_its_own_size(make_nomination, upload_dir):
    photo = attach_photo(make_nomination(), BytesIO(jpeg((320, 240))))

    assert (photo.width, photo.height) == (320, 240)
    with Image.open(upload_dir / photo.thumb_name) as thumb:
        assert thumb.size == (320, 240)


def test_attach_photo_puts_transparent_png_areas_on_white(make_nomination, upload_dir):
    photo = attach_photo(make_nomination(), BytesIO(png_with_alpha((300, 200))))

    with Image.open(upload_dir / photo.display_name) as display:
        assert display.mode == "RGB"
        red, white = display.getpixel((40, 100)), display.getpixel((260, 100))
    assert red[0] > 200 and red[1] < 40 and red[2] < 40
    assert min(white) > 240


@pytest.mark.parametrize("name, data", [
    ("html", HTML), ("svg", SVG), ("php", PHP), ("text", b"just some text, honest"),
])
def test_read_image_refuses_non_images_renamed_as_photos(name, data):
    assert refused(data) == NOT_READABLE


def test_read_image_refuses_a_gif_that_is_also_a_script():
    data = gif_polyglot()
    assert Image.open(BytesIO(data)).format == "GIF"  # really a GIF, not just text

    assert refused(data) == WRONG_FORMAT


def test_attach_photo_of_a_jpeg_with_html_appended_stores_only_the_pixels(
        make_nomination, upload_dir):
    data = jpeg((200, 200)) + b"<html><script>alert('MarkerAppendedScript')</script></html>"

    photo = attach_photo(make_nomination(), BytesIO(data))

    for name in (photo.display_name, photo.thumb_name):
        raw = (upload_dir / name).read_bytes()
        assert b"MarkerAppendedScript" not in raw
        assert b"<script" not in raw
        assert raw.endswith(b"\xff\xd9")


def test_read_image_refuses_a_decompression_bomb_quickly_from_its_header():
    bomb = bilevel_png(20_000, 20_000)  # 400 megapixels
    assert len(bomb) < 200_000
    assert struct.unpack(">II", bomb[16:24]) == (20_000, 20_000)  # what the header claims
    started = time.monotonic()

    message = refused(bomb)

    assert message == TOO_MANY_PIXELS
    assert time.monotonic() - started < 2


def test_read_image_refuses_48_megapixels_below_pillows_own_bomb_limit():
    data = bilevel_png(8000, 6000)
    assert 8000 * 6000 < Image.MAX_IMAGE_PIXELS  # Pillow alone would decode this
    started = time.monotonic()

    assert refused(data) == TOO_MANY_PIXELS
    assert time.monotonic() - started < 2


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The size of every image Pillow decodes (ImageFile.load) during the test."""
    sizes = []
    real_load = ImageFile.ImageFile.load

    def load(image):
        sizes.append(image.size)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def test_read_image_refuses_just_over_25_megapixels_before_decoding(decoded_sizes):
    """Regression: a 150 KiB PNG of 6000 x 6600 px (under the old 40 MP cap) took a worker
    from 224 to 907 MiB. The cap is now 25 MP, checked from the header alone."""
    attack = bilevel_png(6000, 6600)
    just_over = bilevel_png(5000, 5001)  # 25,005,000 pixels
    assert len(attack) < 150 * 1024

    assert refused(attack) == TOO_MANY_PIXELS
    assert refused(just_over) == TOO_MANY_PIXELS
    assert decoded_sizes == []  # the pixels were never decoded


def test_read_image_accepts_a_24_megapixel_phone_photo_decoding_it_at_a_reduced_scale(
        decoded_sizes):
    """A phone's 24 MP JPEG (5712 x 4284, iPhone 15's default) is accepted, and decoded by
    the JPEG decoder at a quarter of its width and height: what the 1200 px copy needs."""
    data = jpeg((5712, 4284))

    image = read_image(BytesIO(data))

    assert max(image.size) == 1200
    assert decoded_sizes and max(w * h for w, h in decoded_sizes) <= 1428 * 1071


def test_read_image_shrinks_a_large_png_right_after_decoding(decoded_sizes):
    """A PNG cannot be decoded at a reduced scale; it is shrunk to the display size at once,
    before any conversion makes more full-size copies."""
    image = read_image(BytesIO(png_with_alpha((4000, 3000))))

    assert image.size == (1200, 900) and image.mode == "RGB"
    assert image.getpixel((10, 10)) == (255, 0, 0)
    assert image.getpixel((1190, 890)) == (255, 255, 255)


def test_read_image_refuses_a_truncated_jpeg():
    whole = encode(noise((800, 600)), "JPEG", quality=90)
    Image.open(BytesIO(whole)).load()  # the whole file is fine

    assert refused(whole[: len(whole) * 6 // 10]) == NOT_READABLE


def test_read_image_refuses_a_file_over_10_mb():
    data = jpeg((64, 64))
    data += b"\x00" * (10 * 1024 * 1024 + 1 - len(data))

    assert refused(data) == TOO_LARGE


def test_read_image_accepts_a_file_of_exactly_10_mb():
    data = jpeg((64, 64))
    data += b"\x00" * (10 * 1024 * 1024 - len(data))  # trailing bytes after the image end

    assert read_image(BytesIO(data)).size == (64, 64)


def test_read_image_refuses_an_empty_file():
    assert refused(b"") == EMPTY


def test_attach_photo_strips_exif_gps_xmp_and_comment_and_applies_orientation(
        make_nomination, upload_dir):
    data = exif_jpeg_with_everything()
    with Image.open(BytesIO(data)) as original:  # the upload really carries all of it
        assert original.size == (300, 100)
        assert original.getexif()[0x0112] == 6
        assert original.getexif().get_ifd(0x8825)[2] == (51.0, 30.0, 12.5)
        assert original.info["comment"] == b"MarkerCommentText"
        assert b"MarkerXmpCreator" in original.info["xmp"]
    for marker in MARKERS:
        assert marker in data

    photo = attach_photo(make_nomination(), BytesIO(data))

    assert (photo.width, photo.height) == (100, 300)  # turned upright
    for name in (photo.display_name, photo.thumb_name):
        assert_clean_jpeg(upload_dir / name)
    with Image.open(upload_dir / photo.display_name) as display:
        top, bottom = display.getpixel((50, 20)), display.getpixel((50, 280))
    assert top[0] > 180 and top[1] < 60  # red was on the left: now at the top
    assert bottom[1] > 150 and bottom[0] < 60


def test_attach_photo_replaces_the_earlier_photo_and_its_files(make_nomination, stored_files):
    nomination = make_nomination()
    first = attach_photo(nomination, BytesIO(jpeg()))
    first_names = {first.display_name, first.thumb_name}
    db.session.commit()

    second = attach_photo(nomination, BytesIO(jpeg(color="gold")))
    db.session.commit()

    assert stored_files() == {second.display_name, second.thumb_name}
    assert not first_names & stored_files()
    assert db.session.scalars(select(Photo.id)).all() == [second.id]
    assert audit_actions(nomination) == ["photo.attached", "photo.attached"]


def test_attach_photo_refuses_a_sent_nomination(make_nomination, stored_files):
    nomination = make_nomination(submit=True)

    with pytest.raises(NominationError, match="^The photo can no longer be changed.$"):
        attach_photo(nomination, BytesIO(jpeg()))
    assert stored_files() == set()
    assert nomination.photo is None


# --- through the photo step --------------------------------------------------------------------

def test_photo_step_stores_a_good_upload_and_moves_on(
        client, make_cycle, make_area, stored_files, upload_dir):
    cycle, area = make_cycle(), make_area()
    reference = start_draft(client, cycle)
    answer_nominee(client, reference, area)

    response = upload(client, reference, exif_jpeg_with_everything(), filename="IMG_0001.JPG")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/nomination/{reference}/about-you"
    nomination = nomination_by(reference)
    photo = nomination.photo
    assert photo.alt_text == "Maria at the lunch club"
    assert stored_files() == {photo.display_name, photo.thumb_name}
    assert "IMG_0001" not in photo.display_name
    for name in stored_files():
        assert_clean_jpeg(upload_dir / name)
    assert audit_actions(nomination) == ["photo.attached"]
    page = client.get(f"/nomination/{reference}/photo").get_data(as_text=True)
    assert f'src="/nomination/{reference}/photo/thumb"' in page
    assert 'alt="Maria at the lunch club"' in page


@pytest.mark.parametrize("label, data, filename, content_type, message", [
    ("html as jpg", lambda: HTML, "photo.jpg", "image/jpeg", NOT_READABLE),
    ("svg as jpg", lambda: SVG, "photo.jpg", "image/jpeg", NOT_READABLE),
    ("php as jpg", lambda: PHP, "photo.jpg", "image/jpeg", NOT_READABLE),
    ("text sent as image/jpeg", lambda: b"Dear committee, here is my photo.", "photo.jpeg",
     "image/jpeg", NOT_READABLE),
    ("gif polyglot", gif_polyglot, "photo.gif", "image/gif", WRONG_FORMAT),
    ("decompression bomb", lambda: bilevel_png(20_000, 20_000), "photo.png", "image/png",
     TOO_MANY_PIXELS),
    ("truncated jpeg", lambda: encode(noise((800, 600)), "JPEG")[:30_000], "photo.jpg",
     "image/jpeg", NOT_READABLE),
    ("empty file", lambda: b"", "photo.jpg", "image/jpeg", EMPTY),
])
def test_photo_step_shows_the_error_next_to_the_field_and_keeps_everything_else(
        label, data, filename, content_type, message, client, make_cycle, make_area,
        stored_files):
    cycle, area = make_cycle(), make_area()
    reference = start_draft(client, cycle)
    answer_nominee(client, reference, area)

    response = upload(client, reference, data(), filename, content_type)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert photo_error(page) == f"Error: {message}"
    assert f'<li><a href="#photo">{message}</a></li>' in page  # and in the summary
    assert "<title>Error: A photo" in page
    assert stored_files() == set()
    nomination = nomination_by(reference)
    assert nomination.photo is None
    assert db.session.scalars(select(Photo)).all() == []
    assert audit_actions(nomination) == []
    assert (nomination.nominee_name, nomination.nominee_kind, nomination.area_id,
            nomination.age_band, nomination.nominee_email, nomination.what_they_do) == (
        "Maria Lopez", NomineeKind.PERSON, area.id, AgeBand.ADULT, "maria@example.com",
        "Runs the Tuesday lunch club.")


def test_photo_step_refuses_a_file_over_10_mb_with_the_size_message(
        client, make_cycle, make_area, stored_files):
    reference = start_draft(client, make_cycle())
    answer_nominee(client, reference, make_area())
    data = jpeg((64, 64))
    data += os.urandom(10 * 1024 * 1024 + 1 - len(data))

    response = upload(client, reference, data)

    assert response.status_code == 200
    assert photo_error(response.get_data(as_text=True)) == f"Error: {TOO_LARGE}"
    assert stored_files() == set()
    assert nomination_by(reference).photo is None


@pytest.mark.no_app_context
def test_photo_uploads_are_rate_limited_but_the_other_steps_are_not(build_app):
    other = build_app(RATELIMIT_ENABLED=True, RATELIMIT_PHOTO_UPLOAD="2 per hour",
                      RATELIMIT_NOMINATE_START="100 per hour", RATELIMIT_STORAGE_URI="memory://")
    with other.app_context():
        rate_limiter().reset()
        cycle = factories.cycle(name="Limit Awards")
        area = factories.area("Limit Ward")
        db.session.commit()
        device = other.test_client()
        reference = start_draft(device, cycle)
        answer_nominee(device, reference, area)

    answers = [upload(device, reference, jpeg((64, 48), color)) for color in ("red", "blue")]
    blocked = upload(device, reference, jpeg((64, 48), "green"))
    described = device.post(f"/nomination/{reference}/photo", data={"alt_text": "Maria"})
    other_step = device.post(f"/nomination/{reference}/what-they-do",
                             data={"what_they_do": "Runs the lunch club."})

    assert [r.status_code for r in answers] == [302, 302]
    assert blocked.status_code == 429
    assert described.status_code == 302  # no file: only the description changes
    assert other_step.status_code == 302
    with other.app_context():
        assert nomination_by(reference).photo.alt_text == "Maria"
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "photo.attached")).all()) == 2


def test_photo_step_keeps_the_earlier_photo_when_a_bad_one_is_sent(
        client, make_cycle, make_area, stored_files):
    reference = start_draft(client, make_cycle())
    answer_nominee(client, reference, make_area())
    assert upload(client, reference, jpeg()).status_code == 302
    first = nomination_by(reference).photo
    kept = {first.display_name, first.thumb_name}

    response = upload(client, reference, HTML, alt_text="Something else")

    assert photo_error(response.get_data(as_text=True)) == f"Error: {NOT_READABLE}"
    photo = nomination_by(reference).photo
    assert (photo.id, photo.display_name, photo.alt_text) == (
        first.id, first.display_name, "Maria at the lunch club")
    assert stored_files() == kept


def test_photo_is_served_as_jpeg_with_nosniff_only_to_those_who_manage_it(
        app, client, make_cycle, make_area, make_user, sign_in, upload_dir):
    reference = start_draft(client, make_cycle())
    answer_nominee(client, reference, make_area())
    assert upload(client, reference, png_with_alpha((1600, 900)), "photo.png",
                  "image/png").status_code == 302
    photo = nomination_by(reference).photo

    for size, name, dimensions in (("display", photo.display_name, (1200, 675)),
                                   ("thumb", photo.thumb_name, (400, 225))):
        response = client.get(f"/nomination/{reference}/photo/{size}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.data == (upload_dir / name).read_bytes()
        assert Image.open(BytesIO(response.data)).size == dimensions

    stranger = app.test_client()
    response = stranger.get(f"/nomination/{reference}/photo/display")
    assert response.status_code == 403
    assert not response.data.startswith(b"\xff\xd8")
    assert "You do not have access to this page" in response.get_data(as_text=True)

    resident = app.test_client()
    sign_in(make_user(), target=resident)
    assert resident.get(f"/nomination/{reference}/photo/thumb").status_code == 403

    admin = app.test_client()
    sign_in(make_user(roles=[Role.ADMIN]), target=admin)
    response = admin.get(f"/nomination/{reference}/photo/thumb")
    assert response.status_code == 200
    assert response.data == (upload_dir / photo.thumb_name).read_bytes()


def test_photo_of_a_nomination_without_one_is_not_found(client, make_cycle):
    reference = start_draft(client, make_cycle())

    response = client.get(f"/nomination/{reference}/photo/display")

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_new_description_goes_through_the_service_and_is_audited(make_nomination):
    nomination = make_nomination()
    attach_photo(nomination, BytesIO(jpeg((320, 240))), "A photo")
    db.session.commit()

    save_photo(nomination, None, "  Maria planting bulbs  ")
    db.session.commit()

    assert nomination.photo.alt_text == "Maria planting bulbs"
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "photo.described")).all()
    assert (event.object_type, event.object_id) == ("nomination", nomination.id)
    assert event.details == {"reference": nomination.reference,
                             "alt_text": ["A photo", "Maria planting bulbs"]}


def test_an_unchanged_description_writes_no_audit_row(make_nomination):
    nomination = make_nomination()
    attach_photo(nomination, BytesIO(jpeg((320, 240))), "A photo")
    save_photo(nomination, None, "A photo ")
    db.session.commit()

    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "photo.described")).all() == []


def test_continuing_past_the_photo_step_keeps_its_description(client, make_cycle, make_area,
                                                              upload_dir):
    reference = start_draft(client, make_cycle())
    answer_nominee(client, reference, make_area())
    upload(client, reference, jpeg())

    page = client.get(f"/nomination/{reference}/photo").get_data(as_text=True)
    assert 'value="Maria at the lunch club"' in page  # the field shows the saved description
    response = client.post(f"/nomination/{reference}/photo", content_type="multipart/form-data",
                           data={"alt_text": "Maria at the lunch club"})  # "Continue", as shown

    assert response.status_code == 302
    nomination = nomination_by(reference)
    assert nomination.photo.alt_text == "Maria at the lunch club"
    assert audit_actions(nomination) == ["photo.attached"]
