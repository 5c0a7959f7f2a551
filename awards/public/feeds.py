"""Atom feeds, the sitemap, robots.txt and who may frame the embed page.

Everything here is made from the public rows (PublicAward) and nothing else, so a feed or the
sitemap can show no more than the public pages do: the name as shown, the citation only when
the story is allowed, the area only when it is allowed, the photo only while it is allowed.
"""
import functools
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, url_for
from flask_babel import gettext as _

from awards.core.atom import Entry, atom_feed
from awards.public import queries

FEED_SIZE = 50  # the newest entries; feed readers keep the older ones they have seen
EMBED_SIZE = 6
XML_TYPE = "application/xml; charset=utf-8"
# An empty feed still needs an <updated>; a fixed date keeps its body (and ETag) stable.
NO_UPDATES = datetime(2000, 1, 1, tzinfo=UTC)

# Pages for nominators, nominees, supporters, panels and staff: signed-in, or reached by a
# personal link. They are protected anyway; this keeps crawlers from wasting time on them.
# Prefixes end in "/" unless the bare path is itself a page (/admin..., /panel, /assist).
PRIVATE_PREFIXES = ("/account/", "/admin", "/assist", "/consent/", "/dev/", "/my/", "/n/",
                    "/nomination/", "/panel", "/support/")

# A CSP source for an origin: scheme, host (optionally "*." first), optional port (and a
# trailing "/", dropped); nothing else, so a stray ";" or keyword in EMBED_ORIGINS cannot
# add to the policy.
_ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?/?", re.IGNORECASE)
log = logging.getLogger(__name__)


# --- Atom -----------------------------------------------------------------------------------

def award_url(award):
    """The canonical address of an award's page (with the name as shown in it)."""
    return url_for("public.award", key=award.key, slug=award.slug, _external=True)


def entry_id(award):
    """The entry's permanent id: the award page's address by its key alone."""
    # Not the canonical address: its slug changes when the nominee changes how their name
    # is shown, and a new id would make readers show the award again as a new entry.
    return url_for("public.award", key=award.key, _external=True)


def entry_title(award):
    """The name as shown, the outcome and the category."""
    return _("%(name)s: %(outcome)s, %(category)s", name=award.display_name,
             outcome=award.outcome.label, category=award.category.name)


def entry_summary(award):
    """The citation if the nominee allowed their story, else a sentence saying no more."""
    if award.citation:
        return award.citation
    return _("%(outcome)s in the %(category)s category of the %(cycle)s.",
             outcome=award.outcome.label, category=award.category.name, cycle=award.cycle.name)


def winners_feed():
    """The Atom feed of the newest awards (bytes)."""
    scheme = current_app.config["SCHEME_NAME"]
    return _atom(url_for("feeds.winners", _external=True),
                 _("Winners of the %(scheme)s", scheme=scheme),
                 url_for("public.hall_of_fame", _external=True),
                 queries.latest_awards(limit=FEED_SIZE))


def area_feed(area):
    """The Atom feed of the newest awards shown with this area (bytes); may have no entries."""
    scheme = current_app.config["SCHEME_NAME"]
    # The hall of fame's area filter matches only awards whose nominee allowed their area.
    awards = queries.hall_of_fame(queries.Filters(area_id=area.id), per_page=FEED_SIZE).items
    return _atom(url_for("feeds.area", area_id=area.id, _external=True),
                 _("Winners in %(area)s: %(scheme)s", area=area.name, scheme=scheme),
                 url_for("public.area", area_id=area.id, _external=True), awards)


def _atom(feed_url, title, page_url, awards):
    entries = [Entry(id=entry_id(award), title=entry_title(award), updated=award.updated_at,
                     published=award.cycle.results_published_at, url=award_url(award),
                     summary=entry_summary(award), term=award.category.slug,
                     label=award.category.name,
                     thumbnail=(url_for("public.photo", key=award.key, size="thumb",
                                        _external=True) if award.photo is not None else None))
               for award in awards]  # the query's order: newest first
    return atom_feed(feed_url=feed_url, title=title, page_url=page_url,
                     updated=_last_change(awards), author=current_app.config["SCHEME_NAME"],
                     author_uri=url_for("public.home", _external=True), entries=entries)


def _last_change(awards):
    if awards:
        return max(award.updated_at for award in awards)
    cycles = queries.published_cycles()
    return max((c.results_published_at for c in cycles), default=NO_UPDATES)


# --- Sitemap and robots.txt -----------------------------------------------------------------

@dataclass
class SitemapPage:
    """One <url> of the sitemap: its absolute address and when it last changed, if known."""

    loc: str
    lastmod: datetime | None = None

    @property
    def lastmod_text(self):
        """The W3C datetime the sitemap protocol asks for, or ''."""
        return self.lastmod.astimezone(UTC).isoformat(timespec="seconds") if self.lastmod else ""


def sitemap_pages():
    """Every public page worth indexing, with when it last changed where that is known."""
    # Home, hall of fame, each published cycle, each area and category with awards, each
    # award: all from one read of the public rows, so exactly what is visible. A scheme has
    # a few hundred awards; one sitemap may hold 50,000 addresses.
    awards = queries.all_awards()
    newest = max((a.updated_at for a in awards), default=None)
    by_cycle, by_area, by_category = {}, {}, {}
    for award in awards:
        _note(by_cycle, award.cycle_id, award.updated_at)
        _note(by_category, award.category.slug, award.updated_at)
        if award.area_id is not None:
            _note(by_area, award.area_id, award.updated_at)
    pages = [SitemapPage(url_for("public.home", _external=True)),
             SitemapPage(url_for("public.hall_of_fame", _external=True), newest)]
    pages += [SitemapPage(url_for("public.cycle_results", slug=cycle.slug, _external=True),
                          max(filter(None, (cycle.results_published_at, by_cycle.get(cycle.id)))))
              for cycle in queries.published_cycles()]
    pages += [SitemapPage(url_for("public.area", area_id=area_id, _external=True), changed)
              for area_id, changed in sorted(by_area.items())]
    pages += [SitemapPage(url_for("public.category", slug=slug, _external=True), changed)
              for slug, changed in sorted(by_category.items())]
    pages += [SitemapPage(award_url(award), award.updated_at) for award in awards]
    return pages


def _note(latest, key, when):
    if key not in latest or when > latest[key]:
        latest[key] = when


def robots_txt():
    """robots.txt: the public pages open, the private ones closed, and where the sitemap is."""
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES]
    lines += ["", f"Sitemap: {url_for('feeds.sitemap', _external=True)}", ""]
    return "\n".join(lines)


# --- Embed ----------------------------------------------------------------------------------

def frame_ancestors(origins):
    """The embed page's frame-ancestors: this site and the valid `origins`, or 'none'."""
    valid = _valid_origins(tuple(origins or ()))
    return " ".join(("'self'", *valid)) if valid else "'none'"


@functools.cache  # the setting does not change while the app runs: warn once, not per request
def _valid_origins(origins):
    valid = []
    for origin in origins:
        if _ORIGIN.fullmatch(origin):
            valid.append(origin.rstrip("/"))
        else:
            log.warning("EMBED_ORIGINS: ignoring %r, which is not an origin such as "
                        "https://news.example", origin)
    return tuple(valid)
