"""Atom feeds (RFC 4287), written from a small template (templates/core/atom.xml).

A template rather than feedgen: feedgen and lxml were about 6 MB in the memory of every web
worker that made a feed (issue 15), for documents this small and fixed."""
import re
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import get_locale

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# XML 1.0 allows no control character but tab, line feed and carriage return. Word writes a
# line break inside a paragraph as a vertical tab: pasted into a citation, it would make a
# feed reader reject the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """Text with the characters XML cannot hold taken out (breaks become spaces)."""
    return _NOT_XML.sub(lambda found: " " if found.group() in "\x0b\x0c" else "", text)


@dataclass
class Entry:
    """One <entry>: an item's page and what the feed says of it."""

    id: str
    title: str
    updated: datetime
    url: str
    summary: str
    published: datetime | None = None
    term: str | None = None  # its category: a slug and a label
    label: str | None = None
    thumbnail: str | None = None


def atom_feed(*, feed_url, title, page_url, updated, author, author_uri, entries):
    """The feed as bytes, its entries in the order given."""
    return render_template("core/atom.xml", feed_url=feed_url, title=title, page_url=page_url,
                           updated=updated, author=author, author_uri=author_uri,
                           language=str(get_locale() or "en"), entries=entries).encode()
