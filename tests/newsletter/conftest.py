"""Published winners for the newsletter, each with planted markers in what they refused."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from awards import factories as f
from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import NameDisplay
from awards.nominations.models import today
from awards.public.models import PublicAward
from tests.public.showcase import GOOD_NEIGHBOUR, Entry, published_cycle

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
