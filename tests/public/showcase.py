"""A small public record to look at: two published cycles a year apart, two areas, two
categories, winners shown every way a nominee may choose (full name with photo, first name and
initial, anonymous without a story, a group with photo) and one not selected.

Made through the services, as `published` in conftest.py is, but with photos (attached to the
draft before it is sent, as the journey does) and more than one category. It takes no
fixtures, so the browser tests can run it inside their live app's context as well.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from awards import factories
from awards.accounts.enums import Role
from awards.extensions import db
from awards.factories import EVERYTHING, S
from awards.nominations.enums import HowLong, NameDisplay, NomineeKind
from awards.nominations.models import today
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
    return factories.photo(colour)


def _dates(announcement):
    return {"nominations_open": announcement - timedelta(days=80),
            "nominations_close": announcement - timedelta(days=50),
            "judging_ends": announcement - timedelta(days=30),
            "announcement": announcement}


def _nominate(cycle, category, area, entry, number, admin):
    """A nomination sent with its photo, confirmed, eligible, supported and consented."""
    return factories.nomination(
        cycle, S.ELIGIBLE, category=category, area=area, admin=admin,
        photo=photo(entry.photo) if entry.photo else None, photo_alt=f"{entry.name} at work",
        nominee_name=entry.name,
        nominee_kind=NomineeKind.GROUP if category.allows_groups else NomineeKind.PERSON,
        nominee_email=f"showcase.nominee{number}@example.com",
        what_they_do="Gives their time every week.", who_benefits="Their neighbours.",
        difference_made="People are less alone.", how_long=HowLong.YEARS_5_10,
        nominator_email=f"showcase.sam{number}@example.com",
        statements=[(f"showcase.friend{number}@example.com", "A friend", "Friend",
                     "Always there for people.")],
        consent={**EVERYTHING, **entry.consent})


def published_cycle(name, slug, announcement, entries, areas, admin, chair_email, start):
    """A cycle taking nominations, judged by a one-person panel, decided and published."""
    categories = list(dict.fromkeys(e.category for e in entries))
    cycle = factories.cycle(name=name, slug=slug, categories=[
        {"name": category, "allows_groups": category == COMMUNITY_GROUP}
        for category in categories])
    by_name = {category.name: category for category in cycle.categories}
    nominations = [_nominate(cycle, by_name[e.category], areas[e.area], e, start + n, admin)
                   for n, e in enumerate(entries)]
    factories.start_judging(cycle, admin)
    chair = factories.user("Chris Chair", chair_email, DEFAULT_PASSWORD)
    panel = factories.panel(cycle, f"{name} panel", admin=admin, members=[chair])
    for nomination, entry in zip(nominations, entries, strict=True):
        factories.decide(panel, nomination, entry.outcome, chair, entry.citation)
    factories.publish(cycle, admin, dates=_dates(announcement))
    db.session.commit()
    return cycle, nominations


def build_showcase():
    """Make the record in the current app context; return what the tests look for.

    A namespace: admin (User), current and past (cycles), areas (by name), awards (PublicAward
    by nominee name; the one not selected is missing), current_year and past_year.
    """
    admin = factories.user("Ada Admin", "showcase.admin@example.com", DEFAULT_PASSWORD,
                           roles=[Role.ADMIN])
    areas = {name: factories.area(name) for name in (RIVERSIDE, CASTLE_HILL)}
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
