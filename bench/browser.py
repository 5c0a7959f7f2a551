"""A small browser for the bench's real HTTP: cookies (Secure ones too: the bench talks
plain HTTP to gunicorn on loopback, production marks the session cookie Secure), the
forms' CSRF tokens, staff sign-in with the second factor (a TOTP code from pyotp), and a
nomination walked through the journey to its final submit.

The transport is a function, so the same code drives gunicorn over a socket (`http`) or a
Flask test client in the smoke test (`flask_client_transport`)."""
import html
import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pyotp

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
START_TOKEN = re.compile(r'<input[^>]*name="start_token"[^>]*value="([^"]*)"')


class BenchError(RuntimeError):
    """The app did not answer as a browser expects (a page, a redirect, a form)."""


def http_transport(base):
    """Requests over a new connection each (gunicorn's sync workers close it anyway)."""
    parts = urlsplit(base)

    def send(method, path, headers, body):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return (response.status, response.getheaders(),
                    response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    return send


def flask_client_transport(client):
    """Requests through a Flask test client made with use_cookies=False (the Browser keeps
    the cookies, as over HTTP)."""
    def send(method, path, headers, body):
        response = client.open(path, method=method, headers=headers, data=body)
        return (response.status_code, list(response.headers.items()),
                response.get_data(as_text=True))

    return send


class Browser:
    """One visitor: their cookies, and the CSRF token of the last form they were shown."""

    def __init__(self, send):
        self.send = send
        self.cookies = {}
        self.csrf = None

    @property
    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, data=None):
        headers = {"Host": "127.0.0.1"}
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, text = self.send(method, path, headers, body)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        token = CSRF.search(text)
        if token:
            self.csrf = html.unescape(token.group(1))
        location = next((v for k, v in response_headers if k.lower() == "location"), None)
        return status, (urlsplit(location).path if location else None), text

    def get(self, path, expect=200):
        status, location, text = self.request("GET", path)
        if status != expect:
            raise BenchError(f"GET {path}: {status} (expected {expect}), to {location}")
        return text

    def post(self, path, data, to=None):
        """POST a form with this visitor's CSRF token; expect a redirect (to `to`, a path or
        a regex); returns the redirect's path."""
        status, location, text = self.request("POST", path, {**data,
                                                             "csrf_token": self.csrf or ""})
        if status not in (302, 303) or (to and not re.fullmatch(to, location or "")):
            raise BenchError(f"POST {path}: {status} to {location} (expected a redirect to "
                             f"{to}): {_problem(text)}")
        return location


def _problem(text):
    """The error summary of a page, or its title, for a message."""
    found = re.search(r'class="error-summary.*?</div>', text, re.DOTALL) or re.search(
        r"<title>(.*?)</title>", text, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip()[:300] \
        if found else text[:300]


def sign_in(browser, email, password, totp_secret, landing):
    """Sign in through the real form (CSRF token from the page), then the second step with
    the authenticator app's current code, then open `landing` (a staff page): returns its
    text. A code is accepted once: two sign-ins of one account within 30 seconds use the
    next step's code (the app allows one step of drift)."""
    browser.get("/account/sign-in")
    to = browser.post("/account/sign-in", {"email": email, "password": password},
                      to=r"/account/two-factor/code|/")
    if to == "/account/two-factor/code":
        browser.get(to)
        totp = pyotp.TOTP(totp_secret)
        code = totp.now()
        status, location, text = browser.request(
            "POST", to, {"code": code, "csrf_token": browser.csrf or ""})
        if status != 302:  # this code was used already (a second sign-in in the window)
            code = totp.at(time.time() + 30)
            status, location, text = browser.request(
                "POST", to, {"code": code, "csrf_token": browser.csrf or ""})
        if status != 302:
            raise BenchError(f"two-factor step for {email}: {status}: {_problem(text)}")
    return browser.get(landing)


def walk_to_check(browser, slug, category, area_id, number):
    """Start a nomination in the cycle `slug` for the category `category` (a slug) and
    answer every step, as a visitor without an account; ends on the check-your-answers page
    (GET). Returns the reference."""
    start = f"/nominate/{slug}?category={category}"
    page = browser.get(start)
    token = START_TOKEN.search(page)
    to = browser.post(start, {"start_token": html.unescape(token.group(1)) if token else "",
                              "website": ""}, to=r"/nomination/[^/]+/nominee")
    reference = to.split("/")[2]
    steps = [
        ("nominee", {"nominee_kind": "person", "nominee_name": f"Bench Nominee {number}",
                     "area_id": area_id, "age_band": "18_plus"}),
        ("what-they-do", {"what_they_do": "Runs the Saturday repair cafe for the street."}),
        ("difference", {"who_benefits": "Neighbours of every age.",
                        "difference_made": "Fewer things thrown away, more people talking."}),
        ("how-long", {"how_long": "5_10"}),
        ("photo", {"alt_text": ""}),
        ("about-you", {"nominator_name": f"Bench Nominator {number}",
                       "nominator_email": f"bench-nominator-{number}@example.org",
                       "nominator_relationship": "Neighbour", "nominator_may_be_named": "yes"}),
    ]
    for number_of_step, (step, data) in enumerate(steps):
        following = steps[number_of_step + 1][0] if number_of_step + 1 < len(steps) else "check"
        browser.post(f"/nomination/{reference}/{step}", data,
                     to=f"/nomination/{reference}/{following}")
    browser.get(f"/nomination/{reference}/check")
    return reference


def final_submit(browser, reference):
    """Send the nomination from its check page: True when the app answered with the
    confirmation page's redirect; raises BenchError on any other answer."""
    browser.post(f"/nomination/{reference}/check", {"website": ""},
                 to=f"/nomination/{reference}/sent")
    return True
