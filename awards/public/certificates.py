"""A certificate's words (shared by the printable page and the PDF) and its PDF (fpdf2).

Only the public row is read, so a certificate can say no more than the nominee allowed: the
name as shown (or none), the outcome, category, cycle and announcement date. Never the area
or the citation.
"""
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _

from awards.core.dates import format_day

# From Debian's fonts-dejavu-core: Unicode names ("Zoë Ó Briain") need a TrueType font.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
CORE_FONT = "Times"  # latin-1 only: the fallback when the files are missing
MIN_SIZE = 10  # pt: the smallest a long line is shrunk to

# Page and colours (the site's brand green and gold; text #1d1d1b, as in main.css).
WIDTH, HEIGHT = 297, 210  # A4 landscape, mm
INK, GREEN, GOLD, PAPER = (29, 29, 27), (11, 93, 75), (201, 152, 42), (251, 249, 244)

# Typographic punctuation outside latin-1, spelled so a core font can print it.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                        "…": "...", "•": "-", "€": "EUR"})


@dataclass(frozen=True)
class Wording:
    """What a certificate says, line by line; `name` is None for an anonymous nominee."""

    scheme: str
    title: str
    intro: str
    name: str | None
    recipient: str
    outcome: str
    detail: str
    date: str
    signatory_name: str
    signatory: str


def certificate_wording(award, config):
    """The words of an award's certificate, from its public row and the scheme's settings."""
    day = award.cycle.announcement
    return Wording(
        scheme=config["SCHEME_NAME"],
        title=_("Certificate of recognition"),
        intro=_("This certificate is awarded to"),
        name=None if award.is_anonymous else award.display_name,
        # An anonymous nominee is still recognised, as one of the community.
        recipient=(_("a Big Citizen of our community") if award.is_anonymous
                   else award.display_name),
        outcome=str(award.outcome.label),
        detail=_("in the %(category)s category of the %(cycle)s",
                 category=award.category.name, cycle=award.cycle.name),
        date=format_day(day),
        signatory_name=config.get("CERTIFICATE_SIGNATORY_NAME") or "",
        signatory=config["CERTIFICATE_SIGNATORY"],
    )


def certificate_pdf(award, config, *, compress=True):
    """The certificate of an award as PDF bytes (A4 landscape)."""
    # Imported here, not at the top: fpdf2 (with fontTools) adds tens of megabytes to every
    # web worker, and only a certificate download needs it.
    from fpdf import FPDF

    words = certificate_wording(award, config)
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(30, 20, 30)
    # Dated by the award, not the clock: the same award gives the same bytes (and ETag).
    pdf.set_creation_date(datetime.combine(award.cycle.announcement, time(), UTC))
    pdf.set_lang(str(get_locale() or config.get("BABEL_DEFAULT_LOCALE") or "en"))
    family, plain = _fonts(pdf)
    pdf.set_title(plain(f"{words.title}: {words.recipient}"))
    pdf.set_author(plain(words.scheme))
    pdf.add_page()
    _frame(pdf)

    def line(text, size, *, bold=False, colour=INK, space=0, most=2):
        style, text = "B" if bold else "", plain(text)
        size = _fitted_size(pdf, family, style, text, size, most)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(space)

    pdf.set_y(34)
    line(words.scheme.upper(), 13, bold=True, colour=GREEN, space=3, most=1)
    line(words.title, 30, bold=True, space=8, most=1)
    line(words.intro, 14, space=3)
    line(words.recipient, 28 if words.name else 22, bold=True, colour=GREEN, space=5, most=3)
    line(words.outcome, 20, bold=True, space=2)
    line(words.detail, 14, space=2)
    line(words.date, 12)
    _signature(pdf, words, family, plain)
    return bytes(pdf.output())


def _fonts(pdf):
    """The font family to write with, and how to make text safe for it."""
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    if all(path.is_file() for path in paths.values()):
        for style, path in paths.items():
            pdf.add_font("Certificate", style, str(path))
        return "Certificate", str
    return CORE_FONT, _latin1


def _fitted_size(pdf, family, style, text, size, most):
    """The font size, down from `size`, at which the text takes at most `most` lines (so a
    long name or category never runs into the signature); sets that font."""
    while True:
        pdf.set_font(family, style, size)
        lines = pdf.multi_cell(0, size * 0.45, text, dry_run=True, output="LINES")
        if len(lines) <= most or size <= MIN_SIZE:
            return size
        size -= 1


def _latin1(text):
    """Text a core PDF font can write: accents kept where latin-1 has them, else dropped."""
    text = text.translate(_PLAIN)
    kept = []
    for char in text:
        if ord(char) < 256:
            kept.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)
        kept.append("".join(c for c in base if ord(c) < 128) or "?")
    return "".join(kept)


def _frame(pdf):
    """Paper, a green border with a gold rule inside it, and a small seal at the top."""
    pdf.set_fill_color(*PAPER)
    pdf.rect(0, 0, WIDTH, HEIGHT, style="F")
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(3)
    pdf.rect(10, 10, WIDTH - 20, HEIGHT - 20)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.8)
    pdf.rect(15, 15, WIDTH - 30, HEIGHT - 30)
    for colour, radius in ((GOLD, 5), (GREEN, 2.5)):
        # ellipse() rather than circle(): circle's x and y changed meaning in fpdf2 2.8.1.
        pdf.set_fill_color(*colour)
        pdf.ellipse(WIDTH / 2 - radius, 24 - radius, 2 * radius, 2 * radius, style="F")


def _signature(pdf, words, family, plain):
    """A line to sign on, with the signatory's name (if set) and role beneath it."""
    left, right, y = WIDTH / 2 - 45, WIDTH / 2 + 45, 168
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(left, y, right, y)
    pdf.set_text_color(*INK)
    pdf.set_xy(left, y + 2)
    if words.signatory_name:
        pdf.set_font(family, "B", 12)
        pdf.cell(right - left, 6, plain(words.signatory_name), align="C",
                 new_x="LEFT", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.cell(right - left, 6, plain(words.signatory), align="C")
