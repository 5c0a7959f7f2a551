"""The public pages: what they show, filters, search, pages, redirects, caching."""
import re
from datetime import timedelta

import pytest
from flask import request_started

from awards.extensions import cache, db
from awards.nominations.enums import NameDisplay, Phase
from awards.nominations.services.consent import withdraw_consent
from awards.public import queries
from awards.public.cache import PUBLIC
from awards.public.models import PublicAward
from awards.public.services.thanks import leave_thanks, moderate_thanks
from tests.nominations.conftest import move_to, page
from tests.public.conftest import EVERYTHING
from tests.public.crawl import counting_statements


def award_path(award):
    return f"/winners/{award.key}/{award.slug}"


def names_on(response):
    """The names on the award cards of a page, in order."""
    return re.findall(r'class="award-card__title"><a href="[^"]+">([^<]+)</a>',
                      response.get_data(as_text=True))


def test_home_shows_the_open_cycle_with_its_dates_and_a_nominate_button(client, make_cycle):
    cycle = make_cycle(Phase.NOMINATING, name="Big Citizen Awards 2027")

    body = page(client.get("/"))

    assert "Big Citizen Awards 2027" in body and "Nominations open" in body
    assert cycle.nominations_close.strftime("%-d %B %Y") in body
    assert f'href="/nominate/{cycle.slug}' in body or "Nominate someone" in body
    assert "Latest winners" not in body  # nothing published yet


def test_home_lists_the_latest_winners(client, published):
    published(("winner", "highly_commended", "not_selected"))

    response = client.get("/")

    assert names_on(response) == ["Nominee Person1", "Nominee Person2"]
    assert "Latest winners" in page(response)


def test_results_page_groups_awards_by_category(client, published):
    p = published(("highly_commended", "winner"))

    body = page(client.get(f"/results/{p.cycle.slug}"))

    assert body.index("Good Neighbour") < body.index("Nominee Person2") < body.index(
        "Nominee Person1")  # the winner before the highly commended


def test_results_of_an_unpublished_cycle_are_not_found(client, published):
    p = published(("winner",), publish=False)

    assert client.get(f"/results/{p.cycle.slug}").status_code == 404


def test_winner_page_shows_what_was_allowed(client, published):
    p = published(("winner",), names=["Margaret Ellis"],
                  citations=["Margaret has run the lunch club for 20 years."])
    award = p.awards[0]

    body = page(client.get(award_path(award)))

    assert "<h1>Margaret Ellis</h1>" in body
    assert "Margaret has run the lunch club for 20 years." in body
    assert p.nominations[0].area.name in body
    assert f'<link rel="canonical" href="http://localhost{award_path(award)}">' in body
    assert '<meta property="og:title" content="Margaret Ellis: Winner, Good Neighbour">' in body
    assert '"@type": "WebPage"' in body or '"@type":"WebPage"' in body
    assert f"/winners/{award.key}/thank-you" in body
    assert f"/winners/{award.key}/certificate" in body


def test_winner_page_redirects_to_the_name_as_shown(client, published):
    p = published(("winner",))
    award = p.awards[0]

    for wrong in (f"/winners/{award.key}", f"/winners/{award.key}/someone-else"):
        response = client.get(wrong)
        assert response.status_code == 302
        assert response.headers["Location"] == award_path(award)
        assert response.headers["Cache-Control"] == "no-cache"


def test_winner_page_is_gone_once_consent_is_withdrawn(client, published):
    p = published(("winner",))
    path = award_path(p.awards[0])
    assert client.get(path).status_code == 200  # now cached

    withdraw_consent(p.nominations[0])
    db.session.commit()

    assert client.get(path).status_code == 404
    assert names_on(client.get("/hall-of-fame")) == []


def test_hall_of_fame_filters_by_year_area_and_category(client, published, make_category):
    first = published(("winner", "winner"), names=["Ann Old", "Bob Old"])
    second = published(("winner",), names=["Cat New"])
    move_to(second.cycle, Phase.ANNOUNCED)
    area = first.nominations[1].area

    assert sorted(names_on(client.get("/hall-of-fame"))) == ["Ann Old", "Bob Old", "Cat New"]
    assert names_on(client.get(f"/hall-of-fame?area={area.id}")) == ["Bob Old"]
    assert sorted(names_on(client.get("/hall-of-fame?category=good-neighbour"))) == [
        "Ann Old", "Bob Old", "Cat New"]
    year = first.cycle.announcement.year
    assert len(names_on(client.get(f"/hall-of-fame?year={year}"))) == 3
    assert names_on(client.get(f"/hall-of-fame?year={year - 5}")) == sorted(
        names_on(client.get("/hall-of-fame")))  # a year not offered is dropped, not an error


def test_the_listing_follows_a_new_announcement_date_and_category_order(
        client, published, make_category):
    """Public rows keep copies of the sort fields; editing the cycle or category moves them."""
    first = published(("winner",), names=["Ann Old"])
    second = published(("winner",), names=["Cat New"])
    first.cycle.announcement = second.cycle.announcement - timedelta(days=30)
    db.session.commit()
    assert names_on(client.get("/hall-of-fame")) == ["Cat New", "Ann Old"]

    first.cycle.announcement = second.cycle.announcement + timedelta(days=30)
    db.session.commit()

    assert names_on(client.get("/hall-of-fame")) == ["Ann Old", "Cat New"]
    award = db.session.get(PublicAward, first.awards[0].id)
    assert award.announced_on == first.cycle.announcement
    category = first.nominations[0].category
    category.slug = "kind-neighbour"
    db.session.commit()
    assert names_on(client.get("/hall-of-fame?category=kind-neighbour")) == ["Ann Old"]


def test_filter_lists_are_read_once_until_the_public_pages_change(client, published,
                                                                  make_user, sign_in):
    """A visitor with a session gets a fresh page, but the years, areas and categories on
    offer come from the cache until something public changes."""
    p = published(("winner",))
    area = p.nominations[0].area
    sign_in(make_user())
    client.get("/hall-of-fame")

    with counting_statements() as statements:
        body = page(client.get("/hall-of-fame"))

    assert f'<option value="{area.id}">{area.name}</option>' in body
    assert not [s for s in statements if "FROM area" in s or "FROM award_cycle" in s], statements
    withdraw_consent(p.nominations[0])
    db.session.commit()
    assert f'<option value="{area.id}">' not in page(client.get("/hall-of-fame"))


def test_hall_of_fame_search_finds_names_as_shown_and_citations(client, published):
    published(("winner", "winner"), names=["Margaret Ellis", "Desmond Carter"],
              citations=["Runs the lunch club.", "Repairs bicycles for free."],
              choices=[EVERYTHING, {**EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL}])

    assert names_on(client.get("/hall-of-fame?q=lunch")) == ["Margaret Ellis"]
    assert names_on(client.get("/hall-of-fame?q=bicyc")) == ["Desmond C."]
    assert names_on(client.get("/hall-of-fame?q=desmond")) == ["Desmond C."]
    assert names_on(client.get("/hall-of-fame?q=carter")) == []  # the hidden surname
    body = page(client.get("/hall-of-fame?q=carter"))
    assert "0 awards" in body and "No awards match" in body
    assert names_on(client.get('/hall-of-fame?q="lunch" OR -club*')) == []  # words only


@pytest.mark.parametrize("query", ["*", "NEAR(", "'", '"', "\\", "%", "a" * 500, "ü"])
def test_hall_of_fame_search_never_fails(client, published, query):
    published(("winner",))

    assert client.get("/hall-of-fame", query_string={"q": query}).status_code == 200


def test_hall_of_fame_pages_through_results_with_counts(client, published, monkeypatch):
    published(tuple(["winner"] * 5))
    monkeypatch.setattr(queries, "PER_PAGE", 2)

    first = client.get("/hall-of-fame")
    third = client.get("/hall-of-fame?page=3")
    beyond = client.get("/hall-of-fame?page=99")
    nonsense = client.get("/hall-of-fame?page=abc")

    assert len(names_on(first)) == 2 and "5 awards · page 1 of 3" in page(first)
    assert len(names_on(third)) == 1 and "page 3 of 3" in page(third)
    assert 'rel="next" href="/hall-of-fame?page=2"' in page(first)
    assert names_on(beyond) == [] and beyond.status_code == 200
    assert len(names_on(nonsense)) == 2


def test_area_and_category_pages(client, published):
    p = published(("winner", "highly_commended"))
    area = p.nominations[0].area

    assert names_on(client.get(f"/areas/{area.id}")) == ["Nominee Person1"]
    assert sorted(names_on(client.get("/categories/good-neighbour"))) == [
        "Nominee Person1", "Nominee Person2"]
    assert client.get("/areas/999999").status_code == 404
    assert client.get("/categories/no-such-award").status_code == 404


def test_photo_is_served_only_while_allowed(client, published):
    p = published(("winner",))

    assert client.get(f"/winners/{p.awards[0].key}/photo-thumb.jpg").status_code == 404


def test_public_pages_are_cached_and_conditional(client, published):
    p = published(("winner",))
    first = client.get("/hall-of-fame")
    etag = first.headers["ETag"]

    again = client.get("/hall-of-fame", headers={"If-None-Match": etag})

    assert first.headers["Cache-Control"] == "public, no-cache"
    assert again.status_code == 304
    withdraw_consent(p.nominations[0])
    db.session.commit()
    changed = client.get("/hall-of-fame", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_cached_pages_run_no_sql(client, published):
    published(("winner",))
    client.get("/hall-of-fame?q=nominee")

    with counting_statements() as statements:
        response = client.get("/hall-of-fame?q=nominee")

    assert response.status_code == 200 and "Nominee Person1" in page(response)
    assert statements == []


def test_cached_pages_are_answered_before_flask(app, client, published):
    """A hit is served by the page cache's middleware: no routing, no request hooks, no
    session, no rate limiter, no user lookup; with the headers the page first went out with."""
    published(("winner",))
    first = client.get("/hall-of-fame")
    requests = []

    def count(sender, **extra):
        requests.append(sender)

    request_started.connect(count, app)
    try:
        again = client.get("/hall-of-fame")
        head = client.head("/hall-of-fame")
        unchanged = client.get("/hall-of-fame", headers={"If-None-Match": first.headers["ETag"]})
    finally:
        request_started.disconnect(count, app)

    assert requests == []
    assert again.get_data() == first.get_data() and head.get_data() == b""
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Cache-Control", "ETag",
                 "Vary", "Content-Type"):
        assert again.headers[name] == first.headers[name], name
    assert again.headers["Content-Length"] == str(len(first.get_data()))
    assert "Set-Cookie" not in again.headers


def test_a_cache_hit_reads_only_the_generation_from_the_shared_store(app, client, published,
                                                                    monkeypatch):
    """Each process keeps its recent pages: a hit asks the shared store (files or Redis) only
    whether the public pages changed, not for the page again; a change is still seen at once."""
    p = published(("winner",))
    client.get("/hall-of-fame")
    store = app.extensions["cache"][cache]
    asked = []
    real_get = store.get
    monkeypatch.setattr(store, "get", lambda key: asked.append(key) or real_get(key))

    again = client.get("/hall-of-fame")

    assert "Nominee Person1" in page(again)
    assert asked == [PUBLIC.key]
    withdraw_consent(p.nominations[0])
    db.session.commit()
    assert "Nominee Person1" not in page(client.get("/hall-of-fame"))


def test_a_head_request_never_leaves_an_empty_page_in_the_cache(client, published):
    published(("winner",))
    client.head("/hall-of-fame")

    assert "Nominee Person1" in page(client.get("/hall-of-fame"))


def test_signed_in_visitors_get_fresh_private_pages(client, published, make_user, sign_in):
    published(("winner",))
    sign_in(make_user())

    response = client.get("/hall-of-fame")

    assert response.headers["Cache-Control"] == "no-store"
    assert "Sign out" in page(response)


def test_made_up_arguments_share_the_page_in_the_cache(client, published):
    published(("winner",))
    client.get("/hall-of-fame?q=nominee&page=1")

    with counting_statements() as statements:
        response = client.get("/hall-of-fame?utm_source=news&page=1&q=nominee&x=1")

    assert response.status_code == 200 and statements == []
    assert names_on(response) == ["Nominee Person1"]


def test_a_citation_never_gives_away_a_surname_the_nominee_keeps_private(client, published):
    published(("winner",), names=["Margaret Ellis"],
              citations=["Margaret Ellis has run the lunch club for 20 years."],
              choices=[{**EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL}])

    body = page(client.get("/hall-of-fame"))

    assert "Margaret E. has run the lunch club for 20 years." in body
    assert "Ellis" not in body
    assert names_on(client.get("/hall-of-fame?q=ellis")) == []


@pytest.mark.parametrize("path", ["/hall-of-fame?page=999999999999999999999",
                                  "/hall-of-fame?page=-3", "/areas/99999999999999999999",
                                  "/feeds/areas/99999999999999999999.atom",
                                  "/categories/good-neighbour?page=99999999999999999"])
def test_huge_numbers_are_never_a_server_error(client, published, path):
    published(("winner",))

    assert client.get(path).status_code in (200, 404)


def test_personal_pages_are_private_to_the_browser(client, published):
    published(("winner",))
    client.set_cookie("session", "anything")

    response = client.get("/hall-of-fame")

    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response.headers


def test_a_message_waiting_for_moderation_leaves_the_cache_alone(client, published):
    p = published(("winner",))
    path = award_path(p.awards[0])
    client.get(path)
    thanks = leave_thanks(p.awards[0], "Thank you!", "Jo")
    db.session.commit()

    with counting_statements() as statements:
        assert "Thank you!" not in page(client.get(path))
    assert statements == []  # still the cached page

    moderate_thanks(thanks, True, p.admin)
    db.session.commit()
    assert "Thank you!" in page(client.get(path))


def test_every_public_page_names_the_scheme_in_its_social_tags_and_feed_link(
        app, client, sign_in):
    """og:site_name and the feed link's title come from macros imported into the pages: they
    must still see the scheme's name (they were empty: "Winners of the ")."""
    from flask import url_for

    from tests.public.showcase import build_showcase
    from tests.public.test_html_validity import every_page, is_html, served_from

    show = build_showcase()
    admin = app.test_client()
    assert sign_in(show.admin, target=admin).status_code == 302
    with app.test_request_context():
        pages = every_page(app, client, admin, show)
        home = url_for("public.home")
    scheme = app.config["SCHEME_NAME"]
    site_names, feed_titles = {}, {}
    for response in pages.values():
        if is_html(response):
            body = response.get_data(as_text=True)
            site_names[served_from(response)] = re.findall(
                r'<meta property="og:site_name" content="([^"]*)">', body)
            feed_titles[served_from(response)] = re.findall(
                r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)"', body)
    with_tags = {path: names for path, names in site_names.items() if names}
    assert home in with_tags and len(with_tags) >= 10, sorted(site_names)
    assert {path: names for path, names in with_tags.items() if names != [scheme]} == {}
    assert {path: titles for path, titles in feed_titles.items()
            if titles and titles[0] != f"Winners of the {scheme}"} == {}
