"""The share image of an award (Pillow): 1200×630 PNG, cached on disk under instance/share/.

A file's name is the award key and a hash of everything drawn, so when what the nominee
allows changes, the next request draws a new file and removes the key's older ones. Files of
an award that changes or disappears (a withdrawal) are removed once that change commits (the
session hooks in cache.py), so a name the nominee took back does not stay on disk.

Pillow is imported where an image is drawn, so that it sits only in workers that draw one
(tests/core/test_imports.py).
"""
import hashlib
import json
import logging
import math
import os
import re
import tempfile
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from awards.core.uploads import upload_dir

WIDTH, HEIGHT = 1200, 630
PHOTO_WIDTH = 480  # the photo, or the brand panel, fills the right-hand side
PADDING = 64
TEXT_WIDTH = WIDTH - PHOTO_WIDTH - 2 * PADDING
TAG_HEIGHT = 56
# Bump when the layout changes: every award then gets a new file.
LAYOUT_VERSION = 1

# From Debian's fonts-dejavu-core.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

# The site's colours (main.css). Contrast of the words: text on page 16.1:1, green on page
# 7.4:1, dark green #052e26 on gold 10.2:1.
INK, PAGE, GREEN = "#1d1d1b", "#fbf9f4", "#0b5d4b"
GREEN_DARK, GREEN_DARKER, GOLD, GOLD_TINT = "#08443a", "#052e26", "#ffd166", "#fff4d6"
log = logging.getLogger(__name__)


def share_dir():
    """Where share images are kept (made on first use)."""
    path = Path(current_app.config["INSTANCE_PATH"]) / "share"
    path.mkdir(parents=True, exist_ok=True)
    return path


def share_png(award):
    """The award's share image as PNG bytes: from disk if drawn already, else drawn now."""
    photo = _photo_path(award)
    content = _content(award, photo)
    # One file per language (the outcome is drawn in words), so languages never evict each other.
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    path = share_dir() / f"{award.key}-{locale}-{_digest(content)}.png"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = _draw(content, photo)
    _write(path, data)
    remove_share_images(award.key, keep=path.name, locale=locale)
    return data


def remove_unlisted_images(keys):
    """Delete every share image whose award key is not in `keys` (after a rebuild: a file a
    request drew while its award was being withdrawn must not stay); returns how many."""
    removed = 0
    for path in share_dir().glob("*.png"):
        if path.name.split("-", 1)[0] not in keys:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_share_images(key, keep=None, locale=None):
    """Delete the award's share images (in `locale` only, if given), except the file `keep`."""
    for path in share_dir().glob(f"{key}-{locale}-*.png" if locale else f"{key}-*.png"):
        if path.name != keep:
            path.unlink(missing_ok=True)


def _photo_path(award):
    """The photo file to draw, if the nominee allows it and it is still on disk."""
    if award.photo is None:
        return None
    path = upload_dir() / award.photo.display_name
    return path if path.is_file() else None


def _content(award, photo):
    """Everything the image shows, and what it is drawn with."""
    return {
        "layout": LAYOUT_VERSION,
        "scheme": current_app.config["SCHEME_NAME"],
        "name": award.display_name,
        "outcome": str(award.outcome.label),
        "winner": award.is_winner,
        "category": award.category.name,
        "cycle": award.cycle.name,
        "photo": photo.name if photo else None,
        # A file drawn with the fallback font is redrawn once the real fonts are installed.
        "fonts": _fonts_available(),
    }


def _digest(content):
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:20]


def _fonts_available():
    return all((FONT_DIR / name).is_file() for name in (REGULAR, BOLD))


def _font(size, bold=False):
    """DejaVu Sans at `size`, or Pillow's own font when the file is missing."""
    from PIL import ImageFont  # where drawn: see the module's docstring

    try:
        return ImageFont.truetype(str(FONT_DIR / (BOLD if bold else REGULAR)), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _write(path, data):
    """Write whole or not at all: another request may be reading the same name."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _draw(content, photo):
    """Draw the image: words on the left, the photo or a brand panel on the right."""
    from PIL import Image, ImageDraw, ImageOps  # where drawn: see the module's docstring

    image = Image.new("RGB", (WIDTH, HEIGHT), PAGE)
    if photo is not None:
        with Image.open(photo) as source:
            side = ImageOps.fit(source.convert("RGB"), (PHOTO_WIDTH, HEIGHT),
                                centering=(0.5, 0.4))  # faces sit above the middle
    else:
        side = _brand_panel(content["winner"])
    image.paste(side, (WIDTH - PHOTO_WIDTH, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 15, HEIGHT), fill=GREEN)
    _words(draw, content)
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _brand_panel(winner):
    """Green stripes and a gold rosette: a star for winners, a ring for highly commended."""
    from PIL import Image, ImageDraw  # where drawn: see the module's docstring

    panel = Image.new("RGB", (PHOTO_WIDTH, HEIGHT), GREEN)
    draw = ImageDraw.Draw(panel)
    for start in range(0, HEIGHT + PHOTO_WIDTH, 48):
        draw.line((0, start, PHOTO_WIDTH, start - PHOTO_WIDTH), fill=GREEN_DARK, width=6)
    cx, cy = PHOTO_WIDTH // 2, HEIGHT // 2 - 40
    for side in (-1, 1):  # the two ribbon tails
        draw.polygon([(cx + side * 70, cy + 60), (cx + side * 110, cy + 200),
                      (cx + side * 40, cy + 160), (cx + side * 10, cy + 70)], fill=GOLD)
    draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), fill=GOLD)
    draw.ellipse((cx - 88, cy - 88, cx + 88, cy + 88), fill=GOLD_TINT, outline=GREEN_DARKER,
                 width=4)
    if winner:
        points = []
        for number in range(10):
            radius = 60 if number % 2 == 0 else 25
            angle = math.radians(-90 + 36 * number)
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        draw.polygon(points, fill=GREEN_DARKER)
    else:
        draw.ellipse((cx - 44, cy - 44, cx + 44, cy + 44), outline=GREEN_DARKER, width=14)
    return panel


def _words(draw, content):
    """The scheme, the outcome as a tag, the name (as large as fits), category and cycle: one
    block, centred from top to bottom."""
    scheme_font, tag_font, detail_font = _font(26, bold=True), _font(30, bold=True), _font(30)
    scheme = _wrap(draw, content["scheme"].upper(), scheme_font, TEXT_WIDTH, 2)
    size, name = _fit_name(draw, content["name"])
    name_font, name_step = _font(size, bold=True), round(size * 1.15)
    detail = _wrap(draw, f"{content['category']} · {content['cycle']}", detail_font,
                   TEXT_WIDTH, 2)
    height = (36 * len(scheme) + 28 + TAG_HEIGHT + 32 + name_step * len(name) + 20
              + 40 * len(detail))
    x, y = PADDING, max(PADDING // 2, (HEIGHT - height) // 2)
    for line in scheme:
        draw.text((x, y), line, font=scheme_font, fill=GREEN)
        y += 36
    y += 28
    tag = content["outcome"]
    draw.rounded_rectangle((x, y, x + draw.textlength(tag, font=tag_font) + 40, y + TAG_HEIGHT),
                           radius=TAG_HEIGHT // 2, fill=GOLD)
    # Centred by its box rather than anchor="lm", which Pillow's bitmap fallback lacks.
    _, top, _, bottom = draw.textbbox((0, 0), tag, font=tag_font)
    draw.text((x + 20, y + (TAG_HEIGHT - (bottom - top)) / 2 - top), tag, font=tag_font,
              fill=GREEN_DARKER)
    y += TAG_HEIGHT + 32
    for line in name:
        draw.text((x, y), line, font=name_font, fill=INK)
        y += name_step
    y += 20
    for line in detail:
        draw.text((x, y), line, font=detail_font, fill=INK)
        y += 40


def _fit_name(draw, name):
    """The largest size at which the whole name fits: in two lines, else three smaller ones;
    shortened only if even that fails."""
    for size, most in ((76, 2), (68, 2), (60, 2), (52, 2), (46, 3), (40, 3)):
        lines = _wrap(draw, name, _font(size, bold=True), TEXT_WIDTH, most + 1)
        if len(lines) <= most and not any(line.endswith("…") for line in lines):
            return size, lines
    return 40, _wrap(draw, name, _font(40, bold=True), TEXT_WIDTH, 3)


# A word, or the part of a hyphenated word up to its hyphen, with the space before it.
_PIECE = re.compile(r"(\s*)([^\s-]*-(?=\S)|\S+)")


def _wrap(draw, text, font, width, max_lines):
    """Split text into lines no wider than `width` (at spaces, or after a hyphen); beyond
    `max_lines`, the last line is shortened with "…"."""
    lines, current = [], ""
    for space, piece in _PIECE.findall(text):
        trial = current + (" " if space and current else "") + piece
        if not current or draw.textlength(trial, font=font) <= width:
            current = trial
        else:
            lines.append(current)
            current = piece
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += "…"
    # A single piece wider than the space (or a shortened last line) is cut to fit.
    return [_shorten(draw, line, font, width) for line in lines]


def _shorten(draw, line, font, width):
    """The line, cut and ended with "…" if it is wider than `width`."""
    if draw.textlength(line, font=font) <= width:
        return line
    while line and draw.textlength(line + "…", font=font) > width:
        line = line[:-1]
    return line.rstrip() + "…"
