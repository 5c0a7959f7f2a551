"""An issue as an e-mail (subject, HTML, plain text) and as a web page, from its stories.

What is shown of a featured winner is read from their public listing row (PublicAward),
which the listing service rebuilds from the nominee's consent; a story is shown only while
that row exists AND the nominee's consent covers the newsletter (`sendable_stories`). Render,
preview, test send and the archive all go through it, so a withdrawal hides a story
everywhere at once. Nothing here reads the nomination's own answers.

The Markdown parser, the HTML cleaner and the CSS inliner are imported on first use: every web
worker imports this module, few of them write a newsletter (tests/core/test_imports.py).
"""
import functools
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from textwrap import wrap

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select

from awards.core.urls import external_url
from awards.extensions import db
from awards.newsletter.models import IssueStory
from awards.nominations.enums import ConsentStatus
from awards.nominations.models import Consent

# Filled in per recipient by the delivery workers at send time (exact strings).
UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
PREFERENCES_PLACEHOLDER = "%%PREFERENCES_URL%%"
MAX_LINE = 998  # RFC 5322: no line of a message may be longer (without the CRLF)
MAX_HTML_BYTES = 100_000  # Gmail clips a message whose HTML is longer than about 102 KB
TEXT_WIDTH = 76
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "newsletter-email.css"
# What an introduction may contain once its Markdown is rendered (raw HTML is never parsed).
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3",
                "h4", "code", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt  # on first use: see the module's docstring

    return MarkdownIt("commonmark", {"html": False})


@functools.cache
def _inliner():
    import css_inline  # on first use: see the module's docstring

    return css_inline.CSSInliner(load_remote_stylesheets=False)


# --- What may be shown -------------------------------------------------------------------

def consented_nomination_ids(nomination_ids=None):
    """Nominations whose nominee accepted and agreed to be in the newsletter (of
    `nomination_ids`, if given), as a select of their ids."""
    query = select(Consent.nomination_id).where(Consent.in_newsletter.is_(True),
                                                 Consent.status == ConsentStatus.ACCEPTED)
    if nomination_ids is not None:
        query = query.where(Consent.nomination_id.in_(nomination_ids))
    return query


def public_awards_of(nomination_ids):
    """The public listing's rows of these nominations, by nomination id (the public feature
    answers, through the lookup the factory hands over)."""
    return current_app.extensions["public_awards_of"](nomination_ids)


def sendable_stories(issue):
    """The issue's featured awards (public listing rows, in the issue's order) that are still
    on the public listing and whose nominee's consent covers the newsletter now."""
    if issue.id is None:
        return []
    story_ids = select(IssueStory.nomination_id).where(IssueStory.issue_id == issue.id)
    ordered = db.session.scalars(
        consented_nomination_ids(story_ids)
        .join(IssueStory, IssueStory.nomination_id == Consent.nomination_id)
        .where(IssueStory.issue_id == issue.id)
        .order_by(IssueStory.position, IssueStory.id)).all()
    awards = public_awards_of(ordered)
    return [awards[n] for n in ordered if n in awards]


def story_view(award, link=external_url):
    """What a story shows: only the public row's fields, with absolute (PUBLIC_URL) links
    for e-mail (`link` url_for for the site's own pages)."""
    return {
        "name": award.display_name,
        "outcome": award.outcome.label,
        "is_winner": award.is_winner,
        "category": award.category.name,
        "cycle": award.cycle.name,
        "citation": award.citation,
        "area": award.area.name if award.area is not None else "",
        "photo_url": (link("public.photo", key=award.key, size="display")
                      if award.photo_id is not None else ""),
        "photo_alt": award.photo_alt,
        "url": link("public.award", key=award.key, slug=award.slug),
    }


# --- The introduction ----------------------------------------------------------------------

def introduction_html(markdown):
    """The introduction's Markdown as safe HTML: CommonMark without raw HTML, then cleaned
    to an allow-list of tags and attributes (no scripts, styles or javascript: links)."""
    import nh3  # on first use: see the module's docstring

    rendered = _markdown().render(markdown or "")
    return Markup(nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=ALLOWED_SCHEMES, link_rel="noopener"))


class _TextWriter(HTMLParser):
    """Turns the introduction's (cleaned) HTML into readable plain text: paragraphs apart,
    list items with a dash, links as "words (address)"."""

    BLOCKS = {"p", "ul", "ol", "blockquote", "h2", "h3", "h4", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.href, self.prefix = [], [], None, ""

    def _end_block(self):
        words = "".join(self.current).split()
        if words:
            self.blocks.append(self.prefix + " ".join(words))
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "li":
            self._end_block()
            self.prefix = "- " if tag == "li" else ""
        if tag == "br":
            self.current.append(" ")
        if tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a" and self.href:
            self.current.append(f" ({self.href})")
            self.href = None
        if tag in self.BLOCKS or tag == "li":
            self._end_block()

    def handle_data(self, data):
        self.current.append(data)

    def text(self):
        self._end_block()
        return self.blocks


def introduction_text(markdown):
    """The introduction as plain-text paragraphs, wrapped for e-mail."""
    writer = _TextWriter()
    writer.feed(str(introduction_html(markdown)))
    return "\n\n".join(wrap_text(block) for block in writer.text())


def wrap_text(text, width=TEXT_WIDTH):
    """Wrap a paragraph for a plain-text e-mail; long words (addresses) are never broken."""
    return "\n".join(wrap(text, width, break_long_words=False, break_on_hyphens=False)) or ""


# --- The message ----------------------------------------------------------------------------

def _context(issue, *, unsubscribe_url, preferences_url, archive_url):
    return {
        "issue": issue, "scheme_name": current_app.config["SCHEME_NAME"],
        "introduction": introduction_html(issue.introduction),
        "introduction_text": introduction_text(issue.introduction),
        "stories": [story_view(award) for award in sendable_stories(issue)],
        "unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url,
        "archive_url": archive_url, "home_url": external_url("public.home"),
        "wrap_text": wrap_text,
    }


def archive_url(issue):
    """The issue's public web page."""
    return external_url("newsletter_archive.issue", reference=issue.reference)


def render_issue(issue, *, unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER,
                 preferences_url=PREFERENCES_PLACEHOLDER, stylesheet_url=None):
    """(subject, html, text) of the issue's e-mail, in the scheme's language, with each
    recipient's links as placeholders. The HTML has its CSS inlined; no line of either part
    is longer than MAX_LINE. `stylesheet_url` (the admin's preview) links the stylesheet
    instead of inlining it, for pages under the site's Content-Security-Policy."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = _context(issue, unsubscribe_url=unsubscribe_url,
                           preferences_url=preferences_url, archive_url=archive_url(issue))
        text = render_template("email/newsletter/issue.txt", **context)
        if stylesheet_url:
            html = render_template("email/newsletter/issue.html", stylesheet_url=stylesheet_url,
                                   **context)
        else:
            html = _inliner().inline(render_template(
                "email/newsletter/issue.html", stylesheet=Markup(STYLESHEET.read_text()),
                **context))
    return issue.subject, fold_long_lines(html), fold_long_lines(_tidy_text(text))


def _tidy_text(text):
    # Templates leave runs of blank lines where a block is skipped: at most one between.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines()))


def fold_long_lines(text, limit=MAX_LINE):
    """Break every line longer than `limit` at spaces (in HTML a line break where a space
    was changes nothing shown), and a word longer than the limit between characters."""
    lines = []
    for line in text.splitlines():
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit + 1)
            if cut <= 0:
                cut = line.rfind(">", 0, limit) + 1 or limit
                lines.append(line[:cut])
                line = line[cut:]
            else:
                lines.append(line[:cut])
                line = line[cut + 1:]
        lines.append(line)
    return "\n".join(lines) + "\n"


def preview_text(issue):
    """The plain-text part as a recipient reads it (links filled with the archive's)."""
    return fill_example_links(render_issue(issue)[2], issue)


def fill_example_links(body, issue):
    """Fill the recipient placeholders with harmless links (the public archive), for the
    preview and the test send: no subscriber's token is ever put in an admin's copy."""
    example = external_url("newsletter_archive.index")
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, example).replace(PREFERENCES_PLACEHOLDER,
                                                                  example)


def page_context(issue):
    """What the public archive page shows (no recipient links at all)."""
    return {"introduction": introduction_html(issue.introduction),
            "stories": [story_view(award, url_for) for award in sendable_stories(issue)]}


def plain(html):
    """Unescaped text of a fragment (for tests and the feed's summary)."""
    return unescape(re.sub(r"<[^>]+>", " ", str(html)))
