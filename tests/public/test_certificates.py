"""Certificates (page and PDF) and share images: only what the nominee allowed, cached, and
gone once they withdraw."""
import re
import secrets
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from awards.core.uploads import upload_dir
from awards.extensions import cache, db
from awards.nominations.enums import ConsentStatus, NameDisplay
from awards.nominations.models import Photo
from awards.nominations.services.consent import save_consent, withdraw_consent
from awards.public import certificates, share_image
from awards.public.certificates import certificate_pdf
from awards.public.models import PublicAward
from tests.public.conftest import EVERYTHING, NOTHING_BUT_YES

UNICODE_NAME = "Zoë Ó Briain"
# First name and initial only: no story, photo or area.
FIRST_INITIAL = {"name_display": NameDisplay.FIRST_INITIAL}
PHOTO_COLOUR = (200, 30, 30)


def urls(award):
    """The certificate page, the PDF and the share image of an award."""
    base = f"/winners/{award.key}"
    return [f"{base}/certificate", f"{base}/certificate.pdf", f"{base}/share.png"]


def reload(award):
    """The award's public row as it is now (None once it is gone)."""
    db.session.expire_all()
    return db.session.scalar(db.select(PublicAward).filter_by(key=award.key))


def share_files(app, key):
    """The share images on disk for this key."""
    return sorted((Path(app.config["INSTANCE_PATH"]) / "share").glob(f"{key}-*.png"))


def pdf_text(data):
    """The text an uncompressed fpdf2 PDF shows, one line per text operator: decoded through
    each font's ToUnicode map for an embedded TrueType font, as latin-1 for a core font."""
    objects = {int(number): body for number, body in
               re.findall(rb"(\d+) 0 obj\n(.*?)endobj", data, re.S)}
    maps = {}  # font resource name (b"F1") -> {code: character}, or None for a core font
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        cmap = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(number)])
        maps[name] = cmap and {
            int(code, 16): bytes.fromhex(char.decode()).decode("utf-16-be")
            for code, char in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>",
                                         objects[int(cmap.group(1))])}
    lines, font = [], None
    for name, raw in re.findall(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
        if name:
            font = maps[name]
            continue
        raw = _unescape(raw)
        if font:
            lines.append("".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                 for i in range(0, len(raw), 2)))
        else:
            lines.append(raw.decode("latin-1"))
    return "\n".join(lines)


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw):
    def one(match):
        value = match.group(1)
        if value[:1].isdigit():
            return bytes([int(value, 8)])
        return _ESCAPES.get(value, value)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def give_photo(nomination, colour=PHOTO_COLOUR):
    """Store a photo for a nomination as attach_photo would (which accepts drafts only)."""
    names = []
    for size in ((800, 600), (400, 300)):
        name = f"{secrets.token_hex(16)}.jpg"
        Image.new("RGB", size, colour).save(upload_dir() / name, "JPEG")
        names.append(name)
    nomination.photo = Photo(display_name=names[0], thumb_name=names[1], width=800, height=600)
    db.session.flush()


@pytest.fixture
def one_award(published):
    """Factory: the single award of a published cycle, with one nominee's choices; `photo=True`
    gives the nominee a photo first (shown only if the choices allow it)."""

    def factory(outcome="winner", choices=None, name=UNICODE_NAME, photo=False):
        made = published((outcome,), choices=[choices or EVERYTHING], names=[name])
        nomination = made.nominations[0]
        if photo:
            give_photo(nomination)
            # Re-saving the same choices rebuilds the public row, now with the photo.
            save_consent(nomination, status=ConsentStatus.ACCEPTED, **(choices or EVERYTHING))
            db.session.commit()
        made.award = reload(made.awards[0])
        made.nomination = nomination
        return made

    return factory


# --- the certificate page ------------------------------------------------------------------


def test_certificate_page_shows_the_name_as_allowed_and_nothing_hidden(client, app, one_award,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY_NAME", "Priya Natarajan")
    made = one_award(choices=FIRST_INITIAL)
    award, nomination = made.award, made.nomination

    response = client.get(f"/winners/{award.key}/certificate")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1 id=\"certificate-title\" class=\"certificate__title\">Certificate of recognition" \
           "</h1>" in page
    assert app.config["SCHEME_NAME"] in page
    assert '<p class="certificate__name">Zoë B.</p>' in page
    assert '<p class="certificate__outcome">Winner</p>' in page
    assert (f"in the {award.category.name} category of the {made.cycle.name}") in page
    day = made.cycle.announcement
    assert (f'<time datetime="{day.isoformat()}">{day.day} {day:%B %Y}</time>') in page
    assert '<p class="certificate__signatory-name">Priya Natarajan</p>' in page
    assert '<p class="certificate__signatory">Chair of the judging panel</p>' in page
    # Refused: the full name, the area and the story.
    assert "Briain" not in page
    assert nomination.area.name not in page
    assert "lunch club" not in page


def test_certificate_page_leaves_out_an_unset_signatory_name(client, one_award):
    award = one_award().award

    page = client.get(f"/winners/{award.key}/certificate").get_data(as_text=True)

    assert "certificate__signatory-name" not in page
    assert '<p class="certificate__signatory">Chair of the judging panel</p>' in page


def test_certificate_page_recognises_an_anonymous_nominee_without_a_name(client, one_award):
    award = one_award(choices=NOTHING_BUT_YES, name="Nominee Hidden").award

    page = client.get(f"/winners/{award.key}/certificate").get_data(as_text=True)

    assert ('<p class="certificate__name certificate__name--anonymous">'
            "a Big Citizen of our community</p>") in page
    assert "<title>Certificate: A Big Citizen, Winner – " in page
    assert "Hidden" not in page


def test_certificate_page_of_a_highly_commended_nominee(client, one_award):
    award = one_award("highly_commended").award

    page = client.get(f"/winners/{award.key}/certificate").get_data(as_text=True)

    assert '<article class="certificate certificate--commended"' in page
    assert '<p class="certificate__outcome">Highly commended</p>' in page


def test_certificate_page_stands_alone_with_print_styles_and_its_links(client, app, one_award):
    award = one_award().award

    page = client.get(f"/winners/{award.key}/certificate").get_data(as_text=True)

    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Certificate: Zoë Ó Briain, Winner – " in page
    assert 'href="/static/css/certificate.css"' in page
    assert "style=" not in page and "<script" not in page  # the CSP allows neither inline
    assert f'href="/winners/{award.key}/{award.slug}">Back to the award page</a>' in page
    assert f'href="/winners/{award.key}/certificate.pdf" download>Download PDF</a>' in page
    assert "choose Print in your browser’s menu" in page
    stylesheet = (Path(app.static_folder) / "css" / "certificate.css").read_text()
    assert "size: A4 landscape;" in stylesheet
    hidden_in_print = re.search(r"@media print \{.*?\n  (\.certificate-back,\n  "
                                r"\.certificate-actions) \{\n    display: none", stylesheet,
                                re.S)
    assert hidden_in_print


# --- the PDF -------------------------------------------------------------------------------


def test_pdf_is_an_attachment_named_after_the_slug_even_from_the_cache(client, one_award):
    award = one_award(choices=FIRST_INITIAL).award

    first = client.get(f"/winners/{award.key}/certificate.pdf")
    second = client.get(f"/winners/{award.key}/certificate.pdf")  # from the page cache

    for response in (first, second):
        assert response.status_code == 200
        assert response.content_type == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=certificate-zoe-b.pdf")
        assert response.data.startswith(b"%PDF-")
    assert second.data == first.data


def test_pdf_shows_the_name_as_allowed_and_never_the_hidden_one(app, one_award, monkeypatch):
    monkeypatch.setitem(app.config, "CERTIFICATE_SIGNATORY_NAME", "Priya Natarajan")
    made = one_award(choices=FIRST_INITIAL)

    data = certificate_pdf(made.award, app.config, compress=False)
    text = pdf_text(data)

    assert data.startswith(b"%PDF-")
    for line in ("Certificate of recognition", "Zoë B.", "Winner",
                 f"in the {made.award.category.name} category of the {made.cycle.name}",
                 "Priya Natarajan", "Chair of the judging panel",
                 app.config["SCHEME_NAME"].upper()):
        assert line in text.splitlines()
    assert "Briain" not in text and b"Briain" not in data
    assert made.nomination.area.name not in text
    assert "lunch club" not in text


def test_pdf_writes_a_full_unicode_name_and_an_anonymous_one(app, one_award):
    named = one_award().award
    anonymous = one_award("highly_commended", choices=NOTHING_BUT_YES, name="Nominee Hidden")

    assert UNICODE_NAME in pdf_text(certificate_pdf(named, app.config, compress=False))
    text = pdf_text(certificate_pdf(anonymous.award, app.config, compress=False))
    assert "a Big Citizen of our community" in text
    assert "Highly commended" in text
    assert "Hidden" not in text


def test_pdf_falls_back_to_a_core_font_when_the_font_files_are_missing(app, one_award,
                                                                      monkeypatch, tmp_path):
    monkeypatch.setattr(certificates, "FONT_DIR", tmp_path)
    award = one_award(name="Anežka Dvořák").award

    data = certificate_pdf(award, app.config, compress=False)

    assert b"/BaseFont /Times-Roman" in data and b"FontFile2" not in data
    assert "Anezka Dvorák" in pdf_text(data).splitlines()


def test_latin1_keeps_accents_it_can_and_plain_spells_the_rest():
    assert certificates._latin1("Zoë “Anežka” Dvořák — 2025…") == 'Zoë "Anezka" Dvorák - 2025...'
    assert certificates._latin1("Łucja 李") == "?ucja ?"


# --- the share image -----------------------------------------------------------------------


def test_share_image_is_a_1200_by_630_png(client, one_award):
    award = one_award().award

    response = client.get(f"/winners/{award.key}/share.png")

    assert response.status_code == 200
    assert response.content_type == "image/png"
    with Image.open(BytesIO(response.data)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_share_image_is_drawn_once_and_then_read_from_disk(client, app, one_award,
                                                          monkeypatch):
    award = one_award().award
    first = client.get(f"/winners/{award.key}/share.png")
    [path] = share_files(app, award.key)
    written = path.stat().st_mtime_ns

    cache.clear()  # past the page cache, so the view itself runs again
    monkeypatch.setattr(share_image, "_draw", lambda *_: pytest.fail("drawn again"))
    second = client.get(f"/winners/{award.key}/share.png")

    assert second.status_code == 200
    assert second.data == first.data == path.read_bytes()
    assert share_files(app, award.key) == [path]
    assert path.stat().st_mtime_ns == written


def test_share_image_follows_a_change_of_consent_and_drops_the_old_file(client, app,
                                                                       one_award):
    made = one_award()
    key = made.award.key
    full = client.get(f"/winners/{key}/share.png").data
    [old] = share_files(app, key)

    save_consent(made.nomination, status=ConsentStatus.ACCEPTED, **FIRST_INITIAL)
    db.session.commit()

    assert share_files(app, key) == []  # the full name leaves the disk with the commit
    assert client.get(f"/winners/{key}/share.png").status_code == 404  # a narrower choice:
    new_key = db.session.scalar(db.select(PublicAward.key).filter_by(
        nomination_id=made.nomination.id))  # a new address
    initial = client.get(f"/winners/{new_key}/share.png").data
    [new] = share_files(app, new_key)
    assert new.name != old.name
    assert initial != full


def test_drawing_a_share_image_removes_older_files_of_that_award_only(client, app, one_award):
    award = one_award().award
    other = one_award().award
    folder = share_image.share_dir()
    (folder / f"{award.key}-en-0123456789abcdef0123.png").write_bytes(b"old")
    (folder / f"{other.key}-en-0123456789abcdef0123.png").write_bytes(b"other")

    client.get(f"/winners/{award.key}/share.png")

    assert not (folder / f"{award.key}-en-0123456789abcdef0123.png").exists()
    assert len(share_files(app, award.key)) == 1
    assert [p.read_bytes() for p in share_files(app, other.key)] == [b"other"]


def test_each_language_keeps_its_own_share_image(client, app, one_award, monkeypatch):
    award = one_award().award
    english = client.get(f"/winners/{award.key}/share.png").data
    welsh = client.get(f"/winners/{award.key}/share.png",
                       headers={"Accept-Language": "cy"}).data
    assert len(share_files(app, award.key)) == 2  # neither language removed the other's

    cache.clear()  # past the page cache: both are read from disk, not drawn again
    monkeypatch.setattr(share_image, "_draw", lambda *_: pytest.fail("drawn again"))
    assert client.get(f"/winners/{award.key}/share.png").data == english
    assert client.get(f"/winners/{award.key}/share.png",
                      headers={"Accept-Language": "cy"}).data == welsh


def test_share_image_shows_the_photo_only_when_allowed(client, one_award):
    with_photo = one_award(photo=True).award
    without = one_award(choices={**EVERYTHING, "publish_photo": False}, photo=True).award
    assert with_photo.photo is not None and without.photo is None

    shown = Image.open(BytesIO(client.get(f"/winners/{with_photo.key}/share.png").data))
    refused = Image.open(BytesIO(client.get(f"/winners/{without.key}/share.png").data))

    # The right-hand side: the photo's colour (JPEG is close, not exact), or the brand panel.
    red, green, blue = shown.convert("RGB").getpixel((1100, 60))
    assert red > 150 and green < 80 and blue < 80
    assert refused.convert("RGB").getpixel((1100, 60)) != shown.convert("RGB").getpixel(
        (1100, 60))
    assert max(refused.convert("RGB").getpixel((1100, 60))) < 120  # dark green


def test_share_image_falls_back_to_pillows_font_when_the_files_are_missing(
        client, one_award, monkeypatch, tmp_path):
    monkeypatch.setattr(share_image, "FONT_DIR", tmp_path)
    award = one_award().award

    response = client.get(f"/winners/{award.key}/share.png")

    assert response.status_code == 200
    assert Image.open(BytesIO(response.data)).size == (1200, 630)


# --- withdrawal and unknown awards ---------------------------------------------------------


def test_withdrawal_takes_down_certificate_pdf_and_share_image(client, app, one_award):
    made = one_award()
    award = made.award
    for url in urls(award):
        assert client.get(url).status_code == 200  # and now in the page cache
    assert share_files(app, award.key)

    withdraw_consent(made.nomination)
    db.session.commit()

    assert reload(award) is None
    for url in urls(award):
        assert client.get(url).status_code == 404, url
    assert share_files(app, award.key) == []


def test_unknown_award_is_not_found(client, one_award):
    one_award()
    for url in urls(SimpleNamespace(key="nosuchky")):
        assert client.get(url).status_code == 404, url


def test_highly_commended_gets_a_pdf_and_share_image_too(client, one_award):
    award = one_award("highly_commended").award

    responses = [client.get(url) for url in urls(award)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.content_type for r in responses] == [
        "text/html; charset=utf-8", "application/pdf", "image/png"]
