"""What the newsletter's tests share: posting the subscribe form, reading the e-mailed link,
a page's answer without its per-request parts, and a delivery row of an issue."""
import re

import pytest

from awards import factories as f
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery
from tests.conftest import link_in, path_of

CONSENT = re.compile(r'<p id="newsletter-consent">(.*?)</p>', re.S)


@pytest.fixture
def subscribe(client):
    """Post the subscribe form as a visitor would (from the home page unless told)."""

    def post(email, *, areas=(), source="/", target=client, **extra):
        return target.post("/newsletter", data={"email": email, "areas": [str(a.id) for a in areas],
                                                "source": source, **extra})

    return post


def confirmation_path(message):
    """The path of the confirmation link in a queued e-mail."""
    return path_of(link_in(message, "/newsletter/confirm/"))


def answer(response):
    """Status, redirect and page, with the CSP nonce and form tokens blanked."""
    body = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', response.get_data(as_text=True))
    return response.status_code, response.headers.get("Location"), body


@pytest.fixture
def north_south():
    """Two current areas and an archived one."""
    north, south, old = f.area("North"), f.area("South"), f.area("Old Ward")
    old.archived_at = db.func.now()
    db.session.commit()
    return north, south, old


def delivery(issue, subscriber, status=DeliveryStatus.PENDING):
    """One recipient's copy of `issue` (as a send would make it). Flushes."""
    row = Delivery(issue_id=issue.id, subscriber_id=subscriber.id, address=subscriber.email,
                   token=subscriber.token, status=status)
    db.session.add(row)
    db.session.flush()
    return row
