"""Public pages are rendered once per change and shared by every visitor; each visitor's own
parts (the header's account links, their messages, the subscribe form with their token) are
filled in for them alone (awards/core/personal.py, awards/public/cache.py `shared_page`)."""
import pytest
from flask import flash

from awards.core.personal import MARKER, fill, personal, shared_render
from awards.extensions import db
from awards.nominations.services.consent import withdraw_consent
from tests.public.conftest import EVERYTHING
from tests.public.crawl import counting_statements


def page(response):
    return response.get_data(as_text=True)


def test_a_visitor_with_a_session_is_served_the_shared_page_without_a_query(
        client, published, make_user, sign_in):
    published(("winner",))
    sign_in(make_user())
    client.get("/")  # shows "You are signed in."
    first = page(client.get("/hall-of-fame"))

    with counting_statements() as statements:
        again = page(client.get("/hall-of-fame"))

    # The signed-in user is read from the database (their session); the page itself is not.
    assert [s for s in statements if "public_award" in s] == [], statements
    assert again == first and "Nominee Person1" in again


@pytest.mark.parametrize("path", ["/", "/hall-of-fame", "winner"])
def test_a_page_shared_with_others_carries_only_each_visitors_own_parts(
        app, published, make_user, sign_in, path):
    p = published(("winner",))
    path = f"/winners/{p.awards[0].key}/{p.awards[0].slug}" if path == "winner" else path
    admin, resident, anonymous = app.test_client(), app.test_client(), app.test_client()
    sign_in(p.admin, target=admin)
    sign_in(make_user(name="Rhian Resident"), target=resident)

    as_admin = page(admin.get(path))  # rendered first: the page others are given
    as_resident = page(resident.get(path))
    as_anonymous = page(anonymous.get(path))

    assert ">Admin</a>" in as_admin and "Sign out" in as_admin
    assert ">Admin</a>" not in as_resident and "Sign out" in as_resident
    assert "Sign out" not in as_anonymous and ">Sign in</a>" in as_anonymous
    for body in (as_admin, as_resident, as_anonymous):
        assert "<!--personal:" not in body


def test_a_message_for_one_visitor_is_shown_to_them_only(app, published, make_user, sign_in):
    published(("winner",))
    signed_in, other = app.test_client(), app.test_client()
    sign_in(make_user(), target=signed_in)
    sign_in(make_user(), target=other)
    other.get("/hall-of-fame")  # the shared page is kept
    with signed_in.session_transaction() as session:
        session["_flashes"] = [("success", "Your nomination was sent.")]

    assert "Your nomination was sent." in page(signed_in.get("/hall-of-fame"))
    assert "Your nomination was sent." not in page(other.get("/hall-of-fame"))
    assert "Your nomination was sent." not in page(signed_in.get("/hall-of-fame"))  # shown once


def test_a_withdrawal_reaches_visitors_with_a_session_at_once(client, published, make_user,
                                                             sign_in):
    p = published(("winner",), names=["Zanzibella Quist"])
    sign_in(make_user())
    pages = ("/", "/hall-of-fame", "/hall-of-fame?q=Zanzibella")
    for path in pages:
        assert "Zanzibella" in page(client.get(path))

    withdraw_consent(p.nominations[0])
    db.session.commit()

    for path in pages:
        assert "Zanzibella Quist" not in page(client.get(path)), path


def test_each_language_has_its_own_shared_page(app, published, make_user, sign_in):
    published(("winner",))
    english, welsh = app.test_client(), app.test_client()
    sign_in(make_user(), target=english)
    user = make_user()
    user.locale = "cy"
    db.session.commit()
    sign_in(user, target=welsh)

    assert 'lang="en"' in page(english.get("/hall-of-fame"))
    assert 'lang="cy"' in page(welsh.get("/hall-of-fame"))  # the account's language


def test_text_that_looks_like_a_marker_is_never_filled(app, published, make_user, sign_in):
    marker = MARKER.format("account_links")
    p = published(("winner",), citations=[f"{marker} ran the lunch club."],
                  choices=[EVERYTHING])
    client = app.test_client()
    sign_in(make_user(), target=client)
    path = f"/winners/{p.awards[0].key}/{p.awards[0].slug}"

    for body in (page(client.get(path)), page(client.get(path))):
        assert "&lt;!--personal:account_links--&gt; ran the lunch club." in body
        assert body.count("Sign out") == 1


def test_a_shared_render_leaves_markers_and_sees_nobody_signed_in(app, make_user):
    user = make_user()
    with app.test_request_context("/"):
        from flask_login import current_user, login_user
        login_user(user)
        flash("Only mine")
        with shared_render():
            assert not current_user.is_authenticated
            assert personal("flashes") == MARKER.format("flashes")
        assert current_user.is_authenticated  # the request's user again
        assert "Only mine" in fill(MARKER.format("flashes"))


def test_pages_are_still_served_when_the_cache_cannot_be_reached(app, published, make_user,
                                                                 sign_in, monkeypatch):
    published(("winner",), names=["Nia Unreachable"])
    client = app.test_client()
    sign_in(make_user(), target=client)
    store = app.extensions["cache"][next(iter(app.extensions["cache"]))]

    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is down")

    for method in ("get", "set", "add"):
        monkeypatch.setattr(store, method, unreachable)
    app.extensions["shared_pages"].entries.clear()

    for path in ("/", "/hall-of-fame"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Nia Unreachable" in page(response) and "Sign out" in page(response)
