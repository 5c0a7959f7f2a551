"""Readable URL parts made from names."""
import re
import unicodedata


def slugify(text):
    """A URL-safe slug: lower case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:80] or "item"


def strip_accents(text):
    """"Café" → "Cafe": accents dropped rather than the letter, for readable addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
