"""Demo data for `make run`: the Riverside scheme, one account per role, and a cycle taking
nominations with nominations in every state. Every record is made through the services, so
the audit log and the development mailbox show a living example too."""
from datetime import timedelta

from awards.accounts.enums import Role
from awards.accounts.queries import user_by_email
from awards.accounts.services import create_verified_user
from awards.extensions import db
from awards.nominations import queries as nomination_queries
from awards.nominations.enums import AgeBand, HowLong, NomineeKind, ReceivedVia
from awards.nominations.models import today
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.setup import save_area, save_category, save_cycle

# Demo passwords are public by design: `flask demo load` refuses to run in production.
DEMO_ACCOUNTS = [
    ("Ada Admin", "admin@riverside.example", "demo-admin-pass", [Role.ADMIN]),
    ("Pat Panel", "panel@riverside.example", "demo-panel-pass", [Role.PANEL_MEMBER]),
    ("Hal Helper", "helper@riverside.example", "demo-helper-pass", [Role.HELPER]),
    ("Rita Resident", "resident@riverside.example", "demo-resident-pass", []),
]
AREAS = ["Castle Hill", "Millbrook Village", "Old Town", "Riverside Ward"]
CATEGORIES = [
    dict(name="Good Neighbour", description="Someone who looks out for the people around them.",
         eligibility="Anyone living or helping in the area.", min_supporters=1),
    dict(name="Young Big Citizen", description="A young person making a difference.",
         eligibility="Aged 25 or under.", max_age=25, allows_self_nomination=True,
         min_supporters=1),
    dict(name="Community Group", description="A group or club that brings people together.",
         eligibility="Voluntary groups of any size.", allows_groups=True, min_supporters=2),
    dict(name="Lifetime of Service", description="Ten years or more of giving time to others.",
         eligibility="At least ten years of volunteering.", min_supporters=2),
]
CYCLE_SLUG = "big-citizen-awards-demo"


def load_demo_data():
    """Create whatever demo records are missing (safe to run again); return what was created."""
    created = []
    for name, email, password, roles in DEMO_ACCOUNTS:
        if user_by_email(email) is None:
            create_verified_user(name, email, password, roles=roles)
            created.append(email)
    if nomination_queries.cycle_by_slug(CYCLE_SLUG) is None:
        _load_cycle()
        created.append(CYCLE_SLUG)
    return created


def _load_cycle():
    day = today()
    areas = {}
    for name in AREAS:
        existing = next((a for a in nomination_queries.all_areas() if a.name == name), None)
        areas[name] = existing or save_area(None, name)
    cycle = save_cycle(None, {
        "name": f"Big Citizen Awards {day.year + 1}", "slug": CYCLE_SLUG,
        "description": "Recognising the residents of Riverside who give their time to others.",
        "nominations_open": day - timedelta(days=14),
        "nominations_close": day + timedelta(days=42),
        "judging_ends": day + timedelta(days=70),
        "announcement": day + timedelta(days=90),
    })
    categories = {}
    for position, data in enumerate(CATEGORIES):
        categories[data["name"]] = save_category(cycle, None, {**data, "position": position})
    admin = user_by_email("admin@riverside.example")
    resident = user_by_email("resident@riverside.example")
    helper = user_by_email("helper@riverside.example")
    good, lifetime = categories["Good Neighbour"], categories["Lifetime of Service"]
    group = categories["Community Group"]

    def nominate(name, category, area, *, by=resident, submit=True, **story):
        nomination = journey.start_nomination(cycle, category=category, nominator=by)
        journey.save_step(nomination, {
            "nominee_name": name, "area_id": areas[area].id, "age_band": AgeBand.ADULT,
            "nominee_kind": NomineeKind.GROUP if category is group else NomineeKind.PERSON,
            "nominee_email": f"{name.split()[0].lower()}@riverside.example",
            "what_they_do": story.get("what", "Runs the Tuesday lunch club at the church hall."),
            "who_benefits": story.get("who", "Older neighbours who live on their own."),
            "difference_made": story.get("difference", "“I used to go days without talking to "
                                         "anyone. Now Tuesday is the best day of my week.”"),
            "how_long": HowLong.YEARS_5_10,
            "nominator_name": by.name if by else "Jo Caller",
            "nominator_email": by.email if by else "",
            "nominator_relationship": "Neighbour", "nominator_may_be_named": True,
        })
        if submit:
            journey.submit_nomination(nomination, actor=by)
        return nomination

    nominate("Dev Draft", good, "Old Town", submit=False)
    waiting = journey.start_nomination(cycle, category=good)
    journey.save_step(waiting, {
        "nominee_name": "Wanda Waiting", "area_id": areas["Castle Hill"].id,
        "age_band": AgeBand.ADULT, "what_they_do": "Litter picks every Sunday morning.",
        "who_benefits": "Everyone who walks by the river.",
        "difference_made": "The towpath is clean and people use it again.",
        "how_long": HowLong.YEARS_1_5, "nominator_name": "Anon Neighbour",
        "nominator_email": "anon@riverside.example", "nominator_relationship": "I walk there",
        "nominator_may_be_named": False})
    journey.submit_nomination(waiting)  # awaits the nominator's e-mail confirmation
    nominate("Sam Submitted", good, "Riverside Ward")
    maria = nominate("Maria Lopez", lifetime, "Millbrook Village",
                     what="Has run the village youth football club for twenty years.",
                     who="Hundreds of local children, and their parents.",
                     difference="“Maria gave my son somewhere to belong when nothing else "
                                "worked.”")
    moderation.mark_eligible(maria, actor=admin)
    save_consent(maria, status="accepted", name_display="full", publish_story=True,
                 publish_photo=True, publish_area=True, in_newsletter=True,
                 recognition=["hear_impact", "grant"], support_needed="Somewhere to store kit.")
    for email, words in [("coach@riverside.example", "She never misses a Saturday."),
                         ("parent@riverside.example", "My daughter found her confidence.")]:
        supporter = supporters.invite_supporter(maria, email)
        supporters.add_statement(supporter, name=email.split("@")[0].title(),
                                 relationship="Club parent", statement=words)
    club = nominate("Millbrook Knit and Natter", group, "Millbrook Village",
                    what="A weekly knitting group that also checks in on isolated members.")
    moderation.mark_eligible(club, actor=admin)
    moderation.mark_ineligible(nominate("Ian Ineligible", good, "Old Town"),
                               "The nominee lives and volunteers outside the scheme's area.",
                               actor=admin)
    moderation.mark_duplicate(nominate("Maria Lopez", lifetime, "Millbrook Village"), maria,
                              actor=admin)
    moderation.mark_spam(nominate("Buy Cheap Watches", good, "Old Town"), actor=admin)
    journey.withdraw_nomination(nominate("Will Withdrawn", good, "Castle Hill"), actor=resident)
    phoned = journey.start_nomination(cycle, category=good, entered_by=helper,
                                      via=ReceivedVia.PHONE)
    journey.save_step(phoned, {
        "nominee_name": "Pearl Phone", "area_id": areas["Riverside Ward"].id,
        "age_band": AgeBand.ADULT, "what_they_do": "Drives neighbours to hospital appointments.",
        "who_benefits": "People who cannot drive.", "difference_made": "Nobody misses a "
        "check-up any more.", "how_long": HowLong.OVER_10, "nominator_name": "Jo Caller",
        "nominator_relationship": "Her neighbour (by phone)", "nominator_may_be_named": True})
    journey.submit_nomination(phoned, actor=helper)
    db.session.flush()
