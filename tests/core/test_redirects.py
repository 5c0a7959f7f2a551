"""Open-redirect defence: `next` only ever sends people to a path on this site."""
import re
from urllib.parse import urlsplit

import pytest

from awards.accounts.models import User
from awards.accounts.passwords import hash_password
from awards.core.db import utcnow
from awards.core.security import safe_next_url
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD

# Values of `next` as the application receives them (already decoded from the query string).
# Literal percent-escapes are second-level encodings: a proxy or a later decode must not turn
# them into another host either.
BYPASS_PAYLOADS = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http:evil.example",
    "http://evil.example",
    "HTTPS://evil.example",
    "hTtP://evil.example/account/profile",
    "ftp://evil.example",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%5C%5Cevil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "\t//evil.example",
    "/\x0b/evil.example",
    "\x00//evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,x",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "///evil.example",
    "////evil.example",
    " //evil.example",
    "//evil.example%2F..",
    "//evil.example:443/account",
    "//@evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\\\\evil.example",
    "https://127.0.0.1@evil.example",
    "https://evil.example/\\@127.0.0.1",
    "http:/\\/evil.example",
    "\uff0f\uff0fevil.example",  # fullwidth solidus
    "\u2215\u2215evil.example",  # division slash
    "\uff3c\uff3cevil.example",  # fullwidth reverse solidus
    "//evil\u3002example",  # ideographic full stop
    "/%0d%0aLocation:%20https://evil.example",
    "/%0D%0ASet-Cookie:%20session=stolen",
    "/\r\nLocation: https://evil.example",
    "/\nLocation: https://evil.example",
    "evil.example",
]

LOCAL_PATHS = ["/account/profile", "/about?x=1#y", "/account/password", "/"]

# A payload that can also be written into a URL as is (no spaces, '#', '&' or '+' to escape).
_RAW_SAFE = re.compile(r"[!-~]+")


def test_bypass_corpus_is_large_and_distinct():
    assert len(set(BYPASS_PAYLOADS)) == len(BYPASS_PAYLOADS) >= 30


@pytest.mark.parametrize("payload", BYPASS_PAYLOADS)
def test_safe_next_url_rejects_bypass(payload):
    assert safe_next_url(payload, default="/fallback") == "/fallback"


@pytest.mark.parametrize("path", LOCAL_PATHS)
def test_safe_next_url_keeps_local_path(path):
    assert safe_next_url(path, default="/fallback") == path


@pytest.mark.parametrize("value", [None, "", 42, b"/account/profile"])
def test_safe_next_url_rejects_non_string(value):
    assert safe_next_url(value, default="/fallback") == "/fallback"


@pytest.fixture(scope="module")
def password_hash():
    # Hashing is slow (argon2id); one hash serves every test in this module.
    return hash_password(DEFAULT_PASSWORD)


@pytest.fixture
def user(password_hash):
    person = User(name="Robin", email="robin@example.com", password_hash=password_hash,
                  email_verified_at=utcnow())
    db.session.add(person)
    db.session.commit()
    return person


def assert_local(location):
    """A Location a browser resolves against this site, never another host."""
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "\\" not in location and not any(ord(ch) < 32 for ch in location), location


def sign_in_with_next(client, user, next_value):
    return client.post("/account/sign-in", query_string={"next": next_value},
                       data={"email": user.email, "password": DEFAULT_PASSWORD})


@pytest.mark.parametrize("payload", BYPASS_PAYLOADS)
def test_sign_in_next_bypass_redirects_home(client, user, payload):
    response = sign_in_with_next(client, user, payload)
    if "\x00" in payload:  # a NUL anywhere in a request is refused before any view runs
        assert response.status_code == 400 and "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert_local(response.headers["Location"])

    # Signed in, the sign-in page redirects at once: the same rule applies there.
    again = client.get("/account/sign-in", query_string={"next": payload})
    assert again.status_code == 302
    assert again.headers["Location"] == "/"

    # The payload typed into the link itself, decoded once by the server.
    if _RAW_SAFE.fullmatch(payload) and not set(payload) & set("#&+"):
        raw = client.get(f"/account/sign-in?next={payload}")
        assert raw.status_code == 302
        assert raw.headers["Location"] == "/"


@pytest.mark.parametrize("path", LOCAL_PATHS)
def test_sign_in_next_local_path_is_kept(client, user, path):
    response = sign_in_with_next(client, user, path)
    assert response.status_code == 302
    assert response.headers["Location"] == path
    assert_local(response.headers["Location"])


def test_sign_in_without_next_redirects_home(client, user):
    response = client.post("/account/sign-in",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_wrong_password_with_next_does_not_redirect(client, user):
    response = client.post("/account/sign-in", query_string={"next": "//evil.example"},
                           data={"email": user.email, "password": "not the password at all"})
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert "The email address or password is not right" in response.get_data(as_text=True)
