"""What the newsletter's tests share: posting the subscribe form, reading the e-mailed link,
a page's answer without its per-request parts, a delivery row of an issue; and published
winners for the newsletter, each with planted markers in what they refused."""
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from awards import factories as f
from awards.accounts.enums import Role
from awards.core.jobs import JobQueue
from awards.extensions import db
from awards.newsletter.delivery.tasks import deliver_issue
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery
from awards.nominations.enums import NameDisplay
from awards.nominations.models import today
from awards.public.models import PublicAward
from tests.conftest import link_in, path_of
from tests.public.showcase import GOOD_NEIGHBOUR, Entry, published_cycle

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


# What each winner refused, planted where it would show if it leaked.
SURNAME = "Zzsurnamemark"
STORY = "ZZSTORYMARK"
AREA = "Zzareamark Ward"
REFUSER = "Zznewslettermark"  # a winner who said no to the newsletter (but yes to the site)
MARKERS = (SURNAME, STORY, AREA, REFUSER)


@pytest.fixture
def winners(make_user):
    """Three published winners: `open` allowed everything and the newsletter; `private`
    allowed the newsletter but only their first name and initial (no photo, story or area);
    `refuser` allowed everything on the site but not the newsletter."""
    admin = make_user(name="Ada Admin", email="ada.admin@example.com", roles=[Role.ADMIN])
    areas = {"Riverside": f.area("Riverside"), AREA: f.area(AREA)}
    entries = [
        Entry("Cal Open", GOOD_NEIGHBOUR, "Riverside", "winner",
              "Cal mends bicycles for free every Saturday.", photo="teal",
              consent={"in_newsletter": True}),
        Entry(f"Pia {SURNAME}", GOOD_NEIGHBOUR, AREA, "winner",
              f"{STORY}: Pia runs the lunch club.", photo="olive",
              consent={"name_display": NameDisplay.FIRST_INITIAL, "publish_photo": False,
                       "publish_story": False, "publish_area": False, "in_newsletter": True}),
        Entry(f"Rae {REFUSER}", GOOD_NEIGHBOUR, "Riverside", "winner",
              f"Rae {REFUSER} sweeps the square.", photo="steelblue",
              consent={"in_newsletter": False}),
    ]
    cycle, (open_, private, refuser) = published_cycle(
        "Newsletter Awards", "newsletter-awards", today() - timedelta(days=5), entries, areas,
        admin, "chair.newsletter@example.com", 500)

    def award(nomination):
        return db.session.scalar(db.select(PublicAward).filter_by(nomination_id=nomination.id))

    made = SimpleNamespace(admin=admin, cycle=cycle, areas=areas, open=open_, private=private,
                           refuser=refuser, open_award=award(open_),
                           private_award=award(private), refuser_award=award(refuser))
    assert made.open_award and made.private_award and made.refuser_award
    return made


@pytest.fixture
def admin_client(app, winners, sign_in):
    client = app.test_client()
    assert sign_in(winners.admin, target=client).status_code == 302
    return client


def assert_no_markers(*texts, allow_refuser=False):
    for text in texts:
        for marker in MARKERS:
            assert marker not in text, marker


@pytest.fixture
def no_workers(monkeypatch):
    """No delivery worker: in tests a committed send is otherwise delivered inline at once;
    with this, a test sees the send as it is between a commit and the workers (and may play
    the workers itself)."""
    enqueue = JobQueue.enqueue
    monkeypatch.setattr(JobQueue, "enqueue", lambda queue, function, *args, **kwargs: (
        None if function is deliver_issue else enqueue(queue, function, *args, **kwargs)))
