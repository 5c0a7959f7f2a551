"""Demo data for `make run`: the Riverside scheme of awards/admin/demo_story.py, one account
per role, a cycle taking nominations with nominations in every state, a cycle in judging with
its panel part-way through, and a past cycle whose results are published. Every record is made
through awards.factories, and so through the services: the audit log and the development
mailbox show a living example too; only the calendar is moved by hand (through save_cycle),
as time would move it."""
import re
from datetime import timedelta

import pyotp

from awards import factories
from awards.accounts import two_factor
from awards.accounts.enums import Role
from awards.accounts.queries import user_by_email
from awards.admin.demo_newsletter import load_newsletter_demo
from awards.admin.demo_story import (  # noqa: F401  (CHAIR, DEMO_ACCOUNTS, ...: cli, tests)
    AREAS,
    CATEGORIES,
    CHAIR,
    CYCLE_SLUG,
    DEMO_ACCOUNTS,
    JUDGING,
    JUDGING_COMMENTS,
    JUDGING_CONFLICTS,
    JUDGING_CYCLE,
    JUDGING_PANEL,
    JUDGING_REVIEWS,
    JUDGING_SLUG,
    NADIA,
    OPEN,
    OPEN_ANSWERS,
    OPEN_CYCLE,
    PAT,
    PUBLISHED,
    PUBLISHED_CYCLE,
    PUBLISHED_FEEDBACK,
    PUBLISHED_GIVEN,
    PUBLISHED_LEANINGS,
    PUBLISHED_PANEL,
    PUBLISHED_REVIEWED,
    PUBLISHED_SLUG,
    PUBLISHED_SUPPORT,
    TOM,
    TWO_FACTOR_ADMIN,
    TWO_FACTOR_SECRET,
    Story,
)
from awards.admin.services.insight import review_support
from awards.core.slugs import strip_accents
from awards.extensions import db
from awards.factories import S
from awards.nominations import queries as nomination_queries
from awards.nominations.enums import NameDisplay, NomineeKind, ReceivedVia
from awards.nominations.models import today
from awards.nominations.services.recognition import record_recognition
from awards.public.services import listing

ADMIN_EMAIL = next(email for _name, email, _password, roles in DEMO_ACCOUNTS
                   if Role.ADMIN in roles)
COLOURS = [(38, 93, 110), (120, 72, 40), (70, 100, 60), (96, 62, 120), (150, 60, 70),
           (60, 80, 140)]


def load_demo_data():
    """Create whatever demo records are missing (safe to run again); return what was created."""
    created = []
    for name, email, password, roles in DEMO_ACCOUNTS:
        if user_by_email(email) is None:
            factories.user(name, email, password, roles=roles)
            created.append(email)
    name, email, password, roles = TWO_FACTOR_ADMIN
    if user_by_email(email) is None:
        secure = factories.user(name, email, password, roles=roles)
        two_factor.enrol(secure, TWO_FACTOR_SECRET, pyotp.TOTP(TWO_FACTOR_SECRET).now())
        created.append(email)
    for slug, load in [(CYCLE_SLUG, _load_cycle), (PUBLISHED_SLUG, _load_published_cycle),
                       (JUDGING_SLUG, _load_judging_cycle)]:
        if nomination_queries.cycle_by_slug(slug) is None:
            load()
            created.append(slug)
    listing.rebuild_all()  # also lists a past cycle published before the public pages existed
    if load_newsletter_demo(ADMIN_EMAIL):
        created.append("newsletter")
    return created


def _areas():
    """The demo areas by name, created if missing."""
    existing = {area.name: area for area in nomination_queries.all_areas()}
    return {name: existing.get(name) or factories.area(name) for name in AREAS}


def _email(name):
    """A demo e-mail address made from a name ("Nadia Okafor" -> nadia.okafor@...)."""
    plain = strip_accents(name)
    words = re.sub(r"[^a-z0-9]+", ".", plain.lower().replace("'", "")).strip(".")
    return f"{words}@riverside.example"


def _dates(days, day):
    return dict(zip(factories.scheme.DATE_KEYS, (day + timedelta(days=d) for d in days),
                    strict=True))


def _new_cycle(story, dates):
    """A cycle of the story (taking nominations, on `dates`) with its categories."""
    day = today()
    announced = _dates(story["days"], day)["announcement"]
    return factories.cycle(
        name=story["name"].format(year=announced.year, next_year=day.year + 1),
        slug=story["slug"], description=story["description"], dates=dates,
        categories=[c for c in CATEGORIES if c["name"] in story["categories"]])


def _load_cycle():
    cycle = _new_cycle(OPEN_CYCLE, _dates(OPEN_CYCLE["days"], today()))
    categories = {category.name: category for category in cycle.categories}
    areas = _areas()
    admin, resident, helper = (user_by_email(f"{who}@riverside.example")
                               for who in ("admin", "resident", "helper"))
    made = {}
    for entry in OPEN:
        by = entry.get("by")
        answers = {"nominee_name": entry["name"], "nominee_email": None, **OPEN_ANSWERS,
                   "nominator_email": "", **entry.get("answers", {})}
        person = {"nominator": None, "actor": None}
        if by is None:  # Rita Resident, signed in
            person = {"nominator": resident, "actor": resident}
            answers = {"nominee_kind": NomineeKind.PERSON, **answers,
                       "nominee_email": f"{entry['name'].split()[0].lower()}@riverside.example",
                       "nominator_name": resident.name, "nominator_email": resident.email,
                       **entry.get("answers", {})}
            if categories[entry["category"]].allows_groups:
                answers["nominee_kind"] = NomineeKind.GROUP
        elif by == "helper":
            person = {"entered_by": helper, "actor": helper, "via": ReceivedVia.PHONE}
        made.setdefault(entry["name"], factories.nomination(
            cycle, S(entry["status"]), category=categories[entry["category"]],
            area=areas[entry["area"]], admin=admin, reason=entry.get("reason", ""),
            kept=made.get(entry.get("kept")), statements=entry.get("statements", 0),
            consent=entry.get("consent"), **person, **answers))
    db.session.flush()


def _nominate(cycle, categories, areas, story, *, admin, resident):
    """Nominate, add the supporters' statements, mark eligible and record consent: a
    nomination that will be ready for judging."""
    category = categories[story.category]
    nominator_name, relationship = story.nominator or (resident.name, "Neighbour")
    photo = None
    if story.photo:  # a stand-in: a figure, or three for a group, on a colour from the name
        photo = factories.photo(COLOURS[sum(map(ord, story.name)) % 6], format="PNG",
                                figures=3 if category.allows_groups else 1)
    return factories.nomination(
        cycle, S.ELIGIBLE, category=category, area=areas[story.area], admin=admin,
        nominator=None if story.nominator else resident,
        actor=None if story.nominator else resident, photo=photo, photo_alt=story.photo or "",
        nominee_name=story.name, age_band=story.age,
        nominee_kind=NomineeKind.GROUP if category.allows_groups else NomineeKind.PERSON,
        nominee_email=_email(story.guardian or story.name), what_they_do=story.what,
        who_benefits=story.who, difference_made=story.difference, how_long=story.how_long,
        nominator_name=nominator_name,
        nominator_email=_email(nominator_name) if story.nominator else resident.email,
        nominator_relationship=relationship, nominator_may_be_named=story.named,
        statements=[(_email(name), name, their_relationship, statement)
                    for name, their_relationship, statement in story.statements],
        consent={"name_display": NameDisplay.FULL, "publish_story": True,
                 "publish_area": True, "publish_photo": bool(story.photo),
                 "recognition": ["hear_impact"], **story.consent,
                 **({"support_needed": PUBLISHED_SUPPORT[story.name]}
                    if story.name in PUBLISHED_SUPPORT else {}),
                 "guardian_name": story.guardian})


def _ready_cycle(story, dates, stories):
    """A cycle of the story, taking nominations on `dates`, with its `stories` nominated and
    ready for judging. Returns the cycle, their nominations (in order) and the admin."""
    admin = user_by_email("admin@riverside.example")
    resident = user_by_email("resident@riverside.example")
    cycle = _new_cycle(story, dates)
    categories = {category.name: category for category in cycle.categories}
    areas = _areas()
    made = [_nominate(cycle, categories, areas, s, admin=admin, resident=resident)
            for s in stories]
    return cycle, made, admin


def _panel(cycle, name, people, admin):
    """The panel (`people`, the first chairs) and its members by e-mail address."""
    panel = factories.panel(cycle, name, admin=admin, members=people)
    return panel, {member.user.email: member for member in panel.members}


def _load_published_cycle():
    """The previous cycle: nominated, judged and decided, then published on its announcement
    date, about six months ago."""
    day = today()
    taking = _dates((-30, 0, 1, 1), day)
    cycle, made, admin = _ready_cycle(PUBLISHED_CYCLE, taking, [e[0] for e in PUBLISHED])
    factories.start_judging(cycle, admin, audit=True,
                            dates={**taking, "nominations_close": day - timedelta(days=1)})
    panel, members = _panel(cycle, PUBLISHED_PANEL, [CHAIR, PAT, NADIA], admin)
    chair = members[CHAIR[1]]
    for nomination, (story, base, outcome, citation, rationale) in zip(made, PUBLISHED,
                                                                       strict=True):
        for member, leaning in zip(members.values(), PUBLISHED_LEANINGS, strict=True):
            values = [max(0, min(5, b + lean)) for b, lean in zip(base, leaning, strict=True)]
            factories.review(member, nomination, values,
                             comment=rationale if member is chair else "")
        factories.decide(panel, nomination, outcome, chair.user, citation,
                         rationale=rationale, shortlist=outcome.is_public,
                         feedback="" if outcome.is_public else PUBLISHED_FEEDBACK.format(
                             name=story.name.split()[0]))
    factories.comment(panel, made[0], "Margaret or Desmond? Both are remarkable; I lean to "
                      "Margaret for the loneliness she has ended.", chair.user)
    factories.comment(panel, made[0], "Agreed, and let's commend Desmond.",
                      members[NADIA[1]].user)
    past = _dates(PUBLISHED_CYCLE["days"], day)
    # Published on announcement day, as it would have been then (publish_cycle stamps now).
    factories.publish(cycle, admin, dates=past, audit=True, published_on=past["announcement"])
    _recognise(dict(zip((e[0].name for e in PUBLISHED), made, strict=True)),
               past["announcement"], admin)
    db.session.flush()


def _recognise(made, announced, admin):
    """What the past cycle's nominees were given, and an admin's review of some of their
    words about support (the insight report at /admin/insight)."""
    for name, kind, days, note in PUBLISHED_GIVEN:
        record_recognition(made[name], kind=kind, note=note, actor=admin,
                           given_on=None if days is None else announced + timedelta(days=days))
    for name, words in PUBLISHED_REVIEWED.items():
        review_support(made[name].consent, shown_text=words, actor=admin)


def _load_judging_cycle():
    """This season's cycle: nominations closed a few days ago and the Riverside panel is
    part-way through judging, which ends in two weeks."""
    day = today()
    dates = _dates(JUDGING_CYCLE["days"], day)
    cycle, made, admin = _ready_cycle(JUDGING_CYCLE, dates, JUDGING)
    made = {story.name: nomination for story, nomination in zip(JUDGING, made, strict=True)}
    factories.start_judging(cycle, admin, audit=True,
                            dates={**dates, "nominations_close": day - timedelta(days=3)})
    panel, members = _panel(cycle, JUDGING_PANEL, [CHAIR, PAT, NADIA, TOM], admin)
    for email, name, kind, reason in JUDGING_CONFLICTS:
        factories.declare(members[email], made[name], conflicted=True, kind=kind,
                          reason=reason)
    for email, name, values, comment, submit in JUDGING_REVIEWS:
        factories.review(members[email], made[name], values, comment=comment, submit=submit)
    for email, name, body in JUDGING_COMMENTS:
        factories.comment(panel, made[name], body, members[email].user)
    db.session.flush()
