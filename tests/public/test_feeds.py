"""Sharing and feeds: Atom feeds, the sitemap, robots.txt and the embeddable latest winners."""
import re
import secrets
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser
import pytest

from awards.extensions import db
from awards.nominations.enums import NameDisplay
from awards.nominations.models import Photo
from awards.nominations.services.consent import withdraw_consent
from awards.public import feeds
from awards.public.services.listing import refresh_award
from tests.nominations.conftest import page
from tests.public.conftest import EVERYTHING

BASE = "http://localhost"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HIDDEN = {"name_display": NameDisplay.FIRST_INITIAL, "publish_story": False,
          "publish_photo": False, "publish_area": False}
ANONYMOUS = {**HIDDEN, "name_display": NameDisplay.ANONYMOUS}


def atom(response):
    """The parsed feed, once the response is checked to be well-formed Atom."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def canonical(award):
    return f"{BASE}/winners/{award.key}/{award.slug}"


def as_struct(moment):
    return moment.astimezone(UTC).timetuple()[:6]


def give_photo(nomination):
    """Attach a photo record to a published nomination (the files are not needed here)."""
    token = secrets.token_hex(8)
    nomination.photo = Photo(display_name=f"{token}-d.jpg", thumb_name=f"{token}-t.jpg",
                             width=800, height=600)
    db.session.flush()
    refresh_award(nomination)
    db.session.commit()


def withdraw(nomination):
    withdraw_consent(nomination)
    db.session.commit()


def csp_directives(response):
    parts = (part.split() for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in parts}


# --- Atom feeds -----------------------------------------------------------------------------

def test_winners_feed_is_valid_atom_with_ids_links_and_author(client, published, app):
    p = published(("winner", "highly_commended", "not_selected"))
    winner, commended = p.awards[:2]

    parsed = atom(client.get("/feeds/winners.atom"))

    feed = parsed.feed
    assert feed.id == f"{BASE}/feeds/winners.atom"
    assert feed.title == f"Winners of the {app.config['SCHEME_NAME']}"
    assert as_struct(max(winner.updated_at, commended.updated_at)) == feed.updated_parsed[:6]
    links = {link.rel: link.href for link in feed.links}
    assert links == {"self": f"{BASE}/feeds/winners.atom", "alternate": f"{BASE}/hall-of-fame"}
    assert feed.author_detail.name == app.config["SCHEME_NAME"]
    assert [e.id for e in parsed.entries] == [f"{BASE}/winners/{winner.key}",
                                              f"{BASE}/winners/{commended.key}"]
    first = parsed.entries[0]
    assert first.title == "Nominee Person1: Winner, Good Neighbour"
    assert parsed.entries[1].title == "Nominee Person2: Highly commended, Good Neighbour"
    assert [(link.rel, link.type, link.href) for link in first.links] == [
        ("alternate", "text/html", canonical(winner))]
    assert first.updated_parsed[:6] == as_struct(winner.updated_at)
    assert first.published_parsed[:6] == as_struct(p.cycle.results_published_at)
    assert first.summary == "Nominee Person1 keeps the lunch club going every week."
    assert first.tags[0].term == winner.category.slug
    assert "media_thumbnail" not in first  # no photo on the row


def test_a_citation_pasted_with_control_characters_still_gives_valid_xml(client, published):
    """Word writes a line break inside a paragraph as a vertical tab; XML 1.0 allows no such
    character, so a feed reader would reject the whole feed."""
    published(("winner",), citations=["Runs the café\x0bevery week,\x0cand\x01 more."])

    feed = atom(client.get("/feeds/winners.atom"))

    assert feed.entries[0].summary == "Runs the café every week, and more."


def test_winners_feed_lists_exactly_the_visible_awards(client, published):
    p = published(("winner", "winner", "not_selected", "highly_commended"),
                  names=["Ada Visible", "Bea Withdrawn", "Cal Notselected", "Dee Visible"])
    hidden = published(("winner",), names=["Eve Unpublished"], publish=False)
    before = atom(client.get("/feeds/winners.atom"))
    assert len(before.entries) == 3

    withdraw(p.nominations[1])
    response = client.get("/feeds/winners.atom")

    parsed = atom(response)
    assert [e.id for e in parsed.entries] == [f"{BASE}/winners/{p.awards[0].key}",
                                              f"{BASE}/winners/{p.awards[3].key}"]
    body = response.get_data(as_text=True)
    for name in ("Bea", "Withdrawn", "Notselected", "Unpublished"):
        assert name not in body
    assert hidden.awards == [None]


def test_feed_shows_the_name_as_shown_and_nothing_the_nominee_hid(client, published):
    p = published(("winner", "highly_commended", "winner"),
                  names=["Marigold Featherstone", "Oswin Quarrington", "Tamsin Blackwood"],
                  citations=["Marigold mends bikes.", "Oswin reads to the class.",
                             "Tamsin clears the canal."],
                  choices=[HIDDEN, ANONYMOUS, EVERYTHING])
    give_photo(p.nominations[0])  # there is a photo, but the nominee keeps it private

    response = client.get("/feeds/winners.atom")

    entries = {e.id.rsplit("/", 1)[1]: e for e in atom(response).entries}
    initial, anonymous, full = (entries[a.key] for a in p.awards)
    assert initial.title == "Marigold F.: Winner, Good Neighbour"
    assert initial.summary == f"Winner in the Good Neighbour category of the {p.cycle.name}."
    assert initial.link == canonical(p.awards[0]) and p.awards[0].slug == "marigold-f"
    assert anonymous.title == "A Big Citizen: Highly commended, Good Neighbour"
    assert anonymous.summary == (
        f"Highly commended in the Good Neighbour category of the {p.cycle.name}.")
    assert full.summary == "Tamsin clears the canal."
    body = response.get_data(as_text=True)
    for secret in ("Featherstone", "Oswin", "Quarrington", "Marigold mends bikes.",
                   "Oswin reads to the class.", p.nominations[0].area.name,
                   p.nominations[1].area.name, "photo-", "media:thumbnail"):
        assert secret not in body


def test_feed_has_the_photo_only_when_allowed(client, published):
    p = published(("winner", "winner"), choices=[EVERYTHING, {**EVERYTHING,
                                                              "publish_photo": False}])
    for nomination in p.nominations:
        give_photo(nomination)

    entries = atom(client.get("/feeds/winners.atom")).entries

    shown, kept = entries
    assert shown.media_thumbnail == [
        {"url": f"{BASE}/winners/{p.awards[0].key}/photo-thumb.jpg"}]
    assert "media_thumbnail" not in kept


def test_feed_keeps_only_the_newest_entries(client, published, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    p = published(("winner", "winner", "highly_commended"))

    entries = atom(client.get("/feeds/winners.atom")).entries

    assert [e.id for e in entries] == [f"{BASE}/winners/{a.key}" for a in p.awards[:2]]


def test_winners_feed_without_awards_is_valid_and_empty(client):
    parsed = atom(client.get("/feeds/winners.atom"))

    assert parsed.entries == []
    assert parsed.feed.updated_parsed[:6] == as_struct(feeds.NO_UPDATES)


def test_cached_feed_keeps_its_content_type(client, published):
    published(("winner",))

    first, second = client.get("/feeds/winners.atom"), client.get("/feeds/winners.atom")

    assert first.data == second.data
    assert second.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert client.get("/feeds/winners.atom",
                      headers={"If-None-Match": second.headers["ETag"]}).status_code == 304


def test_area_feed_lists_only_awards_shown_with_that_area(client, published, app):
    p = published(("winner", "highly_commended"),
                  choices=[EVERYTHING, {**EVERYTHING, "publish_area": False}])
    shown_area, hidden_area = (n.area for n in p.nominations)

    parsed = atom(client.get(f"/feeds/areas/{shown_area.id}.atom"))

    assert parsed.feed.id == f"{BASE}/feeds/areas/{shown_area.id}.atom"
    assert parsed.feed.title == f"Winners in {shown_area.name}: {app.config['SCHEME_NAME']}"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": f"{BASE}/feeds/areas/{shown_area.id}.atom",
        "alternate": f"{BASE}/areas/{shown_area.id}"}
    assert [e.id for e in parsed.entries] == [f"{BASE}/winners/{p.awards[0].key}"]

    empty = client.get(f"/feeds/areas/{hidden_area.id}.atom")
    assert atom(empty).entries == []
    assert atom(empty).feed.updated_parsed[:6] == as_struct(p.cycle.results_published_at)
    assert "Nominee Person2" not in empty.get_data(as_text=True)


def test_area_feed_of_an_unknown_area_is_not_found(client):
    assert client.get("/feeds/areas/999999.atom").status_code == 404


# --- Sitemap --------------------------------------------------------------------------------

def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod",
                                                                       namespaces=SITEMAP_NS)
            for url in root.findall("s:url", SITEMAP_NS)}


def test_sitemap_lists_exactly_the_visible_pages(client, published):
    p = published(("winner", "highly_commended", "not_selected", "winner"),
                  choices=[EVERYTHING, {**EVERYTHING, "publish_area": False}, None, None])
    published(("winner",), publish=False)
    withdraw(p.nominations[3])
    visible = p.awards[:2]

    urls = sitemap(client)

    assert set(urls) == {
        f"{BASE}/", f"{BASE}/hall-of-fame", f"{BASE}/results/{p.cycle.slug}",
        f"{BASE}/areas/{p.nominations[0].area.id}",
        f"{BASE}/categories/{visible[0].category.slug}",
        *(canonical(award) for award in visible)}
    assert urls[canonical(visible[0])] == visible[0].updated_at.isoformat(timespec="seconds")
    assert datetime.fromisoformat(urls[f"{BASE}/hall-of-fame"]) == max(
        a.updated_at for a in visible).replace(microsecond=0)
    assert urls[f"{BASE}/"] is None  # the home page changes with the calendar too


def test_sitemap_without_awards_lists_the_fixed_pages(client):
    assert set(sitemap(client)) == {f"{BASE}/", f"{BASE}/hall-of-fame"}


# --- robots.txt -----------------------------------------------------------------------------

def disallowed(path):
    return any(path.startswith(prefix) for prefix in feeds.PRIVATE_PREFIXES)


def test_robots_txt_closes_private_pages_and_gives_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert {"Disallow: /admin", "Disallow: /panel", "Disallow: /nomination/",
            "Disallow: /account/", "Disallow: /consent/", "Disallow: /support/",
            "Disallow: /dev/"} <= set(lines)
    assert lines[-1] == f"Sitemap: {BASE}/sitemap.xml"


PRIVATE_BLUEPRINTS = {"accounts", "nominations", "consent", "supporters", "setup", "moderation",
                      "assist", "panels", "chair", "panel_admin", "dev"}
OPEN_NOMINATION_PAGES = {"nominations.choose_cycle", "nominations.start"}


def test_robots_txt_matches_the_real_routes(app):
    for rule in app.url_map.iter_rules():
        private = (rule.endpoint.partition(".")[0] in PRIVATE_BLUEPRINTS
                   and rule.endpoint not in OPEN_NOMINATION_PAGES
                   or rule.rule == "/admin"  # the admin dashboard
                   or rule.rule.startswith("/admin/"))  # staff pages of public features
        assert disallowed(rule.rule) is private, (rule.rule, rule.endpoint)
    assert disallowed("/dev/mail")  # registered only in development


# --- The embed page -------------------------------------------------------------------------

def test_embed_lists_the_latest_six_with_links_to_their_pages(client, published):
    p = published(("winner",) * 4 + ("highly_commended",) * 3,
                  choices=[EVERYTHING, *[{**EVERYTHING, "publish_photo": False}] * 6])
    give_photo(p.nominations[0])
    give_photo(p.nominations[1])  # kept private by the nominee

    body = page(client.get("/embed/latest-winners"))

    links = re.findall(r'<a class="embed__name" href="([^"]+)" target="_blank" '
                       r'rel="noopener">([^<]+)<', body)
    assert links == [(canonical(award), f"Nominee Person{number}")
                     for number, award in enumerate(p.awards[:6], start=1)]
    assert "Nominee Person7" not in body
    assert re.findall(r'<img [^>]*src="([^"]+)"', body) == [
        f"{BASE}/winners/{p.awards[0].key}/photo-thumb.jpg"]
    assert body.count(">Winner</strong> Good Neighbour") == 4
    assert body.count(">Highly commended</strong> Good Neighbour") == 2
    assert all('target="_blank" rel="noopener"' in tag for tag in re.findall(r"<a [^>]*>", body))
    assert "<script" not in body and "<style" not in body and "style=" not in body
    assert "/static/css/embed.css" in body and "main.css" not in body
    assert "site-nav" not in body and "Sign in" not in body


def test_embed_shows_the_name_as_shown(client, published):
    published(("winner", "winner"), names=["Marigold Featherstone", "Oswin Quarrington"],
              choices=[HIDDEN, ANONYMOUS])

    body = page(client.get("/embed/latest-winners"))

    assert ">A Big Citizen<" in body and ">Marigold F.<" in body
    assert "Featherstone" not in body and "Oswin" not in body


def test_embed_without_origins_may_not_be_framed(client):
    response = client.get("/embed/latest-winners")

    assert response.status_code == 200
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]
    assert "X-Frame-Options" not in response.headers


def test_embed_keeps_the_rest_of_the_site_policy(client):
    embed, home = csp_directives(client.get("/embed/latest-winners")), csp_directives(
        client.get("/"))

    for policy in (embed, home):
        policy.pop("frame-ancestors")
    assert embed == home


@pytest.mark.no_app_context
def test_embed_may_be_framed_by_the_configured_origins(build_app):
    app = build_app(EMBED_ORIGINS=["https://news.example", "https://*.parish.example:8443",
                                   "https://typo.example/", "'unsafe-inline'",
                                   "https://evil.example;script-src", "javascript:alert(1)"])
    client = app.test_client()

    for _ in range(2):  # the second answer comes from the page cache
        response = client.get("/embed/latest-winners")
        assert response.status_code == 200
        assert csp_directives(response)["frame-ancestors"] == [
            "'self'", "https://news.example", "https://*.parish.example:8443",
            "https://typo.example"]
        assert "X-Frame-Options" not in response.headers
        assert csp_directives(response)["script-src"][0] == "'self'"

    home = client.get("/")
    assert home.headers["X-Frame-Options"] == "DENY"
    assert csp_directives(home)["frame-ancestors"] == ["'none'"]


def test_other_pages_still_deny_framing(client, published):
    p = published(("winner",))

    for path in ("/", "/hall-of-fame", canonical(p.awards[0]), "/feeds/winners.atom",
                 "/sitemap.xml"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert csp_directives(response)["frame-ancestors"] == ["'none'"], path
