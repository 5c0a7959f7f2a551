"""A small public record to look at: two published cycles a year apart, two areas, two
categories, winners shown every way a nominee may choose (full name with photo, first name and
initial, anonymous without a story, a group with photo) and one not selected.

Made through the services, as `published` in conftest.py is, but with photos (attached to the
draft before it is sent, as the journey does) and more than one category. It takes no
fixtures, so the browser tests can run it inside their live app's context as well.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

from PIL import Image

from awards.accounts.enums import Role
from awards.accounts.services import create_verified_user
from awards.extensions import db
from awards.nominations.enums import AgeBand, ConsentStatus, HowLong, NameDisplay, NomineeKind
from awards.nominations.models import today
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.photos import attach_photo
from awards.nominations.services.setup import save_area, save_category, save_cycle
from awards.panels.enums import Outcome
from awards.panels.services import deliberation, membership
from awards.panels.services.publication import publish_cycle
from awards.public.models import PublicAward
from tests.conftest import DEFAULT_PASSWORD

GOOD_NEIGHBOUR, COMMUNITY_GROUP = "Good Neighbour", "Community Group"
RIVERSIDE, CASTLE_HILL = "Riverside Ward", "Castle Hill"
# A word found in one citation only (the repair café's).
SEARCH_WORD = "kettles"


@dataclass
class Entry:
    name: str
    category: str
    area: str
    outcome: str
    citation: str
    consent: dict = field(default_factory=dict)  # save_consent choices beyond the defaults
    photo: str = ""  # the colour of a generated photo, if they sent one


CURRENT = [
    Entry("Margaret Ellis", GOOD_NEIGHBOUR, RIVERSIDE, "winner",
          "Margaret runs the Friday lunch club, so that nobody on Mill Street eats alone.",
          photo="steelblue"),
    Entry("Desmond Carter", GOOD_NEIGHBOUR, CASTLE_HILL, "highly_commended",
          "Desmond drives the food bank van through every kind of weather.",
          consent={"name_display": NameDisplay.FIRST_INITIAL}),
    Entry("Priya Shah", GOOD_NEIGHBOUR, RIVERSIDE, "winner",
          "Priya reads to the children at the library every Saturday.",
          consent={"name_display": NameDisplay.ANONYMOUS, "publish_story": False,
                   "publish_area": False}),
    Entry("Castle Hill Repair Café", COMMUNITY_GROUP, CASTLE_HILL, "winner",
          f"The repair café mends lamps, {SEARCH_WORD} and bicycles for anyone who asks.",
          photo="olive"),
    Entry("Tom Okafor", COMMUNITY_GROUP, RIVERSIDE, "not_selected", ""),
]
PAST = [
    Entry("Joyce Pemberton", GOOD_NEIGHBOUR, RIVERSIDE, "winner",
          "Joyce opened a warm space with soup and bread every winter afternoon."),
]


def photo(colour):
    """A plain JPEG, as a phone would send."""
    stream = BytesIO()
    Image.new("RGB", (800, 600), colour).save(stream, "JPEG")
    stream.seek(0)
    return stream


def _dates(announcement):
    return {"nominations_open": announcement - timedelta(days=80),
            "nominations_close": announcement - timedelta(days=50),
            "judging_ends": announcement - timedelta(days=30),
            "announcement": announcement}


def _move(cycle, dates):
    for key, value in dates.items():
        setattr(cycle, key, value)
    db.session.flush()


def _nominate(cycle, category, area, entry, number, admin):
    """A nomination sent with its photo, confirmed, eligible, supported and consented."""
    group = category.allows_groups
    nomination = journey.start_nomination(cycle, category=category)
    journey.save_step(nomination, {
        "nominee_name": entry.name, "area_id": area.id, "age_band": AgeBand.ADULT,
        "nominee_kind": NomineeKind.GROUP if group else NomineeKind.PERSON,
        "nominee_email": f"showcase.nominee{number}@example.com",
        "what_they_do": "Gives their time every week.", "who_benefits": "Their neighbours.",
        "difference_made": "People are less alone.", "how_long": HowLong.YEARS_5_10,
        "nominator_name": "Sam Smith", "nominator_email": f"showcase.sam{number}@example.com",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": False})
    if entry.photo:
        attach_photo(nomination, photo(entry.photo), f"{entry.name} at work")
    journey.submit_nomination(nomination)
    journey.confirm_nominator_email(nomination)
    supporter = supporters.invite_supporter(nomination, f"showcase.friend{number}@example.com")
    supporters.add_statement(supporter, name="A friend", relationship="Friend",
                             statement="Always there for people.")
    moderation.mark_eligible(nomination, actor=admin)
    choices = {"name_display": NameDisplay.FULL, "publish_story": True, "publish_area": True,
               "publish_photo": True, "recognition": ["hear_impact"], **entry.consent}
    save_consent(nomination, status=ConsentStatus.ACCEPTED, **choices)
    return nomination


def published_cycle(name, slug, announcement, entries, areas, admin, chair_email, start):
    """A cycle taking nominations, judged by a one-person panel, decided and published."""
    day = today()
    cycle = save_cycle(None, {"name": name, "slug": slug, "description": "",
                              "nominations_open": day - timedelta(days=10),
                              "nominations_close": day + timedelta(days=20),
                              "judging_ends": day + timedelta(days=40),
                              "announcement": day + timedelta(days=60)})
    categories = {}
    for position, category_name in enumerate(dict.fromkeys(e.category for e in entries)):
        categories[category_name] = save_category(cycle, None, {
            "name": category_name, "slug": "", "description": "", "eligibility": "",
            "allows_self_nomination": False, "allows_groups": category_name == COMMUNITY_GROUP,
            "min_supporters": 1, "min_age": None, "max_age": None, "position": position})
    nominations = [_nominate(cycle, categories[e.category], areas[e.area], e, start + n, admin)
                   for n, e in enumerate(entries)]
    _move(cycle, {"nominations_open": day - timedelta(days=40),
                  "nominations_close": day - timedelta(days=10),
                  "judging_ends": day + timedelta(days=20),
                  "announcement": day + timedelta(days=40)})
    moderation.start_judging(cycle, actor=admin)
    panel = membership.save_panel(cycle, None, {
        "name": f"{name} panel", "categories": list(categories.values()), "blind": False,
        "reviews_per_nomination": None, "eligibility_round": False}, actor=admin)
    chair = create_verified_user("Chris Chair", chair_email, DEFAULT_PASSWORD)
    membership.invite_member(panel, chair.name, chair.email, chair=True, actor=admin)
    for nomination, entry in zip(nominations, entries, strict=True):
        deliberation.record_decision(
            panel, nomination, outcome=Outcome(entry.outcome), citation=entry.citation,
            rationale="Strong support.", feedback="", actor=chair)
    _move(cycle, _dates(announcement))
    publish_cycle(cycle, actor=admin)
    db.session.commit()
    return cycle, nominations


def build_showcase():
    """Make the record in the current app context; return what the tests look for.

    A namespace: admin (User), current and past (cycles), areas (by name), awards (PublicAward
    by nominee name; the one not selected is missing), current_year and past_year.
    """
    admin = create_verified_user("Ada Admin", "showcase.admin@example.com", DEFAULT_PASSWORD,
                                 roles=[Role.ADMIN])
    areas = {name: save_area(None, name) for name in (RIVERSIDE, CASTLE_HILL)}
    day = today()
    current, made = published_cycle(f"Showcase Awards {(day - timedelta(days=10)).year}",
                                     "showcase-awards", day - timedelta(days=10), CURRENT,
                                     areas, admin, "showcase.chair@example.com", 1)
    past, earlier = published_cycle(f"Showcase Awards {(day - timedelta(days=400)).year}",
                                     "showcase-awards-past", day - timedelta(days=400), PAST,
                                     areas, admin, "showcase.chair.past@example.com", 100)
    awards = {}
    for nomination in made + earlier:
        award = db.session.scalar(db.select(PublicAward).filter_by(nomination_id=nomination.id))
        if award is not None:
            awards[nomination.nominee_name] = award
    return SimpleNamespace(admin=admin, current=current, past=past, areas=areas, awards=awards,
                           current_year=current.announcement.year,
                           past_year=past.announcement.year)
