"""Demo data for `make run`: the Riverside scheme, one account per role, a cycle taking
nominations with nominations in every state, a cycle in judging with its panel part-way
through, and a past cycle whose results are published. Every record is made through the
services, so the audit log and the development mailbox show a living example too; only the
calendar is moved by hand (through save_cycle), as time would move it."""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from io import BytesIO

from PIL import Image, ImageDraw

from awards.accounts.enums import Role
from awards.accounts.queries import user_by_email
from awards.accounts.services import create_verified_user
from awards.extensions import db
from awards.nominations import queries as nomination_queries
from awards.nominations.enums import AgeBand, HowLong, NameDisplay, NomineeKind, ReceivedVia
from awards.nominations.models import today
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.photos import attach_photo
from awards.nominations.services.setup import save_area, save_category, save_cycle
from awards.panels.enums import ConflictKind, Outcome
from awards.panels.models import Declaration
from awards.panels.services import declarations, deliberation, membership, publication, reviews
from awards.panels.services.reviews import ABSTAIN
from awards.panels.services.rubric import criteria_of
from awards.public.services import listing

# Demo passwords are public by design: `flask demo load` refuses to run in production.
DEMO_ACCOUNTS = [
    ("Ada Admin", "admin@riverside.example", "demo-admin-pass", [Role.ADMIN]),
    ("Pat Panel", "panel@riverside.example", "demo-panel-pass", [Role.PANEL_MEMBER]),
    ("Chris Chair", "chair@riverside.example", "demo-chair-pass", [Role.PANEL_MEMBER]),
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
JUDGING_SLUG = "riverside-neighbour-awards-demo"
PUBLISHED_SLUG = "big-citizen-awards-past-demo"
JUDGING_PANEL = "Riverside panel"
PUBLISHED_PANEL = "Awards panel"
# The panels: the two demo logins, and two members whose invitations are in /dev/mail.
CHAIR = ("Chris Chair", "chair@riverside.example")
PAT = ("Pat Panel", "panel@riverside.example")
NADIA = ("Nadia Okafor", "nadia.okafor@riverside.example")
TOM = ("Tom Whitfield", "tom.whitfield@riverside.example")


def load_demo_data():
    """Create whatever demo records are missing (safe to run again); return what was created."""
    created = []
    for name, email, password, roles in DEMO_ACCOUNTS:
        if user_by_email(email) is None:
            create_verified_user(name, email, password, roles=roles)
            created.append(email)
    for slug, load in [(CYCLE_SLUG, _load_cycle), (PUBLISHED_SLUG, _load_published_cycle),
                       (JUDGING_SLUG, _load_judging_cycle)]:
        if nomination_queries.cycle_by_slug(slug) is None:
            load()
            created.append(slug)
    listing.rebuild_all()  # also lists a past cycle published before the public pages existed
    return created


def _areas():
    """The demo areas by name, created if missing."""
    existing = {area.name: area for area in nomination_queries.all_areas()}
    return {name: existing.get(name) or save_area(None, name) for name in AREAS}


def _load_cycle():
    day = today()
    areas = _areas()
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


# --- Ready nominations for the judging and published cycles ---------------------------------

@dataclass
class Story:
    """A demo nomination that goes all the way to judging: the nominee's story, who nominated
    them (None: Rita Resident, signed in), the supporters' statements and the nominee's consent.
    """

    name: str
    category: str
    area: str
    what: str
    who: str
    difference: str
    how_long: HowLong = HowLong.YEARS_5_10
    age: AgeBand = AgeBand.ADULT
    nominator: tuple | None = None  # (name, relationship); their e-mail is made from the name
    named: bool = True  # the nominator agreed to be named to the nominee
    statements: list = field(default_factory=list)  # (name, relationship, statement)
    consent: dict = field(default_factory=dict)  # save_consent choices beyond the defaults
    photo: str | None = None  # the alt text of a generated photo, if they sent one
    guardian: str | None = None  # under-18s: the parent or guardian asked for consent


def _email(name):
    """A demo e-mail address made from a name ("Nadia Okafor" -> nadia.okafor@...)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", ".", plain.lower().replace("'", "")).strip(".")
    return f"{words}@riverside.example"


def _photo(story):
    """A generated stand-in photo (PNG): a figure, or three for a group, on a colour picked
    from the name."""
    hue = sum(map(ord, story.name)) % 6
    colour = [(38, 93, 110), (120, 72, 40), (70, 100, 60), (96, 62, 120), (150, 60, 70),
              (60, 80, 140)][hue]
    light = tuple(min(255, c + 90) for c in colour)
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    figures = 3 if story.category == "Community Group" else 1
    for number in range(figures):
        x = 400 + (number - (figures - 1) / 2) * 220
        draw.ellipse((x - 80, 140, x + 80, 300), fill=light)  # head
        draw.ellipse((x - 150, 330, x + 150, 700), fill=light)  # shoulders
    stream = BytesIO()
    image.save(stream, "PNG")
    stream.seek(0)
    return stream


def _nominate(cycle, categories, areas, story, *, admin, resident):
    """Nominate, add the supporters' statements, mark eligible and record consent: a
    nomination that will be ready for judging."""
    category = categories[story.category]
    group = category.allows_groups
    nomination = journey.start_nomination(cycle, category=category,
                                          nominator=None if story.nominator else resident)
    nominator_name, relationship = story.nominator or (resident.name, "Neighbour")
    journey.save_step(nomination, {
        "nominee_name": story.name, "area_id": areas[story.area].id, "age_band": story.age,
        "nominee_kind": NomineeKind.GROUP if group else NomineeKind.PERSON,
        "nominee_email": _email(story.guardian or story.name),
        "what_they_do": story.what, "who_benefits": story.who,
        "difference_made": story.difference, "how_long": story.how_long,
        "nominator_name": nominator_name,
        "nominator_email": _email(nominator_name) if story.nominator else resident.email,
        "nominator_relationship": relationship, "nominator_may_be_named": story.named,
    })
    if story.photo:
        attach_photo(nomination, _photo(story), story.photo)
    if story.nominator:
        journey.submit_nomination(nomination)
        journey.confirm_nominator_email(nomination)  # they followed the e-mailed link
    else:
        journey.submit_nomination(nomination, actor=resident)
    for name, their_relationship, statement in story.statements:
        supporter = supporters.invite_supporter(nomination, _email(name))
        supporters.add_statement(supporter, name=name, relationship=their_relationship,
                                 statement=statement)
    moderation.mark_eligible(nomination, actor=admin)
    choices = {"name_display": NameDisplay.FULL, "publish_story": True, "publish_area": True,
               "publish_photo": bool(story.photo), "recognition": ["hear_impact"],
               **story.consent}
    save_consent(nomination, status="accepted", guardian_name=story.guardian, **choices)
    return nomination


def _new_cycle(name, slug, description, dates, categories):
    """A cycle taking nominations (so that they can be sent) with some of CATEGORIES."""
    cycle = save_cycle(None, {"name": name, "slug": slug, "description": description, **dates})
    made = {}
    for position, data in enumerate(c for c in CATEGORIES if c["name"] in categories):
        made[data["name"]] = save_category(cycle, None, {**data, "position": position})
    return cycle, made


def _move(cycle, dates):
    """Move the cycle's calendar on (what the passing of time would do)."""
    save_cycle(cycle, {"name": cycle.name, "slug": cycle.slug,
                       "description": cycle.description, **dates})


def _panel(cycle, name, categories, people, admin):
    """A panel judging `categories`, everyone reviewing everything; the first person chairs.
    Returns its members by e-mail address."""
    panel = membership.save_panel(cycle, None, {
        "name": name, "categories": list(categories), "blind": False,
        "reviews_per_nomination": None, "eligibility_round": False}, actor=admin)
    members = {}
    for number, (person_name, email) in enumerate(people):
        members[email] = membership.invite_member(panel, person_name, email, chair=number == 0,
                                                  actor=admin)
    return panel, members


def _review(member, nomination, values, comment="", *, submit=True):
    """Declare no conflict (if not yet) and save a review. Each value is a score, ABSTAIN or
    None (not answered yet), or a (value, comment) pair."""
    if db.session.scalar(db.select(Declaration.id).filter_by(
            member_id=member.id, nomination_id=nomination.id)) is None:
        declarations.declare(member, nomination, conflicted=False)
    answers = {}
    for criterion, value in zip(criteria_of(nomination.category), values, strict=True):
        answers[criterion.id] = value if isinstance(value, tuple) else (value, "")
    return reviews.save_review(member, nomination, answers=answers, overall_comment=comment,
                               submit=submit)


# --- The past cycle, published ----------------------------------------------------------------

PUBLISHED = [
    # (story, base scores on the five default criteria, outcome, citation, private rationale)
    (Story("Margaret Ellis", "Good Neighbour", "Old Town", how_long=HowLong.OVER_10,
           what="Runs the Friday Friends lunch club at Old Town community centre: a hot "
                "two-course meal, a raffle and a lift home for anyone who needs one.",
           who="About thirty older neighbours, many of whom live on their own.",
           difference="“Before Friday Friends I could go a whole week without a proper "
                      "conversation. Margaret remembers everyone's birthday and rings you if "
                      "you don't turn up.”",
           statements=[("Ken Baxter", "Lunch club regular", "Margaret got me out of the "
                        "house after my wife died. I have not missed a Friday in four years.")],
           consent={"in_newsletter": True, "recognition": ["public_page", "press_or_ceremony"]},
           photo="Margaret Ellis serving lunch at the Friday Friends lunch club"),
     (5, 5, 4, 5, 4), Outcome.WINNER,
     "For twelve years Margaret Ellis has made Friday lunchtime at Old Town community centre "
     "the best part of the week for thirty older neighbours. Friday Friends is a hot meal, a "
     "raffle and a lift home, and, as one regular told us, the reason he gets up and dressed. "
     "Margaret remembers every birthday and rings anyone who does not turn up. The panel was "
     "moved by how many people said the club had ended their loneliness.",
     "The top score in the category from every member, and the most moving statements."),
    (Story("Desmond Clarke", "Good Neighbour", "Riverside Ward",
           what="Drives the food bank van every Saturday morning, collecting donations from "
                "three supermarkets, then takes parcels to people who cannot get to the food "
                "bank.",
           who="Families on low incomes, and people who are ill or housebound.",
           difference="“When I was too ill to get to the food bank, Des brought the parcel to "
                      "my door and stayed for a cup of tea. He never made me feel I was asking "
                      "for charity.”",
           nominator=("Hannah Price", "Food bank coordinator"),
           statements=[("Tariq Aziz", "Fellow volunteer", "Des has not missed a Saturday in "
                        "six years, even in the snow.")],
           consent={"name_display": NameDisplay.FIRST_INITIAL, "publish_photo": False,
                    "publish_area": False},
           photo="Desmond loading crates into the food bank van"),
     (5, 4, 4, 4, 3), Outcome.HIGHLY_COMMENDED,
     "Every Saturday for six years Desmond has driven the food bank van: collecting from three "
     "supermarkets before most of us are awake, then bringing parcels to the doors of people "
     "who cannot get there themselves. The people he visits say he brings dignity as well as "
     "food, and always has time for a cup of tea.",
     "Very close to the winner; commended for his reliability over many years."),
    (Story("Sheila Patel", "Good Neighbour", "Castle Hill", how_long=HowLong.YEARS_1_5,
           what="Organises a litter pick along the river path on the first Sunday of every "
                "month, with bags and grabbers for anyone who turns up.",
           who="Everyone who walks, runs or fishes by the river, and its wildlife.",
           difference="“The path was covered in cans and bottles. Now it is clean, and the "
                      "litter pick has become a friendly way to meet people.”",
           nominator=("Owen Jenkins", "I join the litter picks"), named=False,
           statements=[("Lucy Fenwick", "Dog walker", "I see Sheila out there in all "
                        "weathers.")],
           consent={"name_display": NameDisplay.ANONYMOUS}),
     (3, 3, 3, 3, 3), Outcome.NOT_SELECTED, "",
     "Valued work, but less difference to people's lives than the others in the category."),
    (Story("Frank Osei", "Good Neighbour", "Millbrook Village", how_long=HowLong.YEARS_1_5,
           what="Volunteers as a driver for the village car scheme, taking neighbours to "
                "hospital and doctor's appointments.",
           who="Older people in Millbrook who do not drive: the hospital is two buses away.",
           difference="“Frank waits with you however late the clinic runs. I would have missed "
                      "my eye appointments without him.”",
           statements=[("Jean Marsh", "Passenger", "He always rings the evening before to "
                        "check I am ready.")]),
     (4, 3, 2, 3, 2), Outcome.NOT_SELECTED, "",
     "A valued service; the panel hopes to see him nominated again with more supporters."),
    (Story("Jordan Mitchell", "Young Big Citizen", "Millbrook Village",
           how_long=HowLong.YEARS_1_5,
           what="Coaches the Millbrook Rovers under-11s two evenings a week and on Saturdays, "
                "and set up a free kit swap so that no child misses out because of the cost.",
           who="Forty children aged 7 to 11, and their families.",
           difference="“My son was being bullied and had stopped going out. Jordan gave him a "
                      "place in the team and a reason to be proud. He is a different boy.”",
           nominator=("Claire Dunn", "Parent of a player"),
           statements=[("Mo Rahman", "Club secretary", "At 21, Jordan is the most reliable "
                        "coach we have ever had.")],
           consent={"name_display": NameDisplay.ANONYMOUS,
                    "recognition": ["private_thanks", "grant"],
                    "support_needed": "New goals for the under-11s pitch."}),
     (4, 5, 4, 5, 5), Outcome.WINNER,
     "This young coach gives two evenings and every Saturday to the under-11s of Millbrook "
     "Rovers, and started a free kit swap so that no child is left out because of what boots "
     "cost. Parents told us about children who were lonely or bullied finding a team and a "
     "reason to be proud. At just 21, they have become someone a whole village of families "
     "trusts.",
     "Asked not to be named: the citation names nobody."),
    (Story("Chloe Nguyen", "Young Big Citizen", "Old Town", how_long=HowLong.UNDER_1,
           what="Listens to children read at St Anne's primary school every Wednesday "
                "afternoon and runs a holiday reading club at the library.",
           who="Children who are behind with their reading.",
           difference="“Chloe made reading fun for my daughter. Now she reads to her little "
                      "brother at bedtime.”",
           nominator=("Amy Roberts", "Teacher at St Anne's"),
           statements=[("Paul Grant", "Librarian", "The holiday club was full every week.")],
           consent={"name_display": NameDisplay.FIRST_INITIAL},
           photo="Chloe reading with two children at the library"),
     (3, 4, 2, 3, 3), Outcome.NOT_SELECTED, "",
     "Promising and new; encourage a nomination next year."),
    (Story("Castle Hill Repair Café", "Community Group", "Castle Hill",
           what="Volunteers meet in Castle Hill library on the last Saturday of every month to "
                "mend whatever people bring: toasters, lamps, bikes, trousers and toys, for "
                "free.",
           who="Anyone with something broken (over 400 things mended last year), and the "
               "volunteers, many of them retired engineers and tailors.",
           difference="“They fixed my late husband's radio, which I thought was gone for good. "
                      "I cried. And they showed me how they did it.”",
           nominator=("Daniel Webb", "Library manager"),
           statements=[("Rose Kelly", "Visitor", "My lamp, my bike and my daughter's "
                        "favourite coat, all saved."),
                       ("Geoff Lane", "Volunteer fixer", "I retired lonely; now I have a "
                        "workshop full of friends.")],
           consent={"recognition": ["public_page", "grant"]},
           photo="Repair Café volunteers mending a lamp at Castle Hill library"),
     (4, 4, 5, 4, 5), Outcome.WINNER,
     "Once a month, Castle Hill library fills with the sound of soldering irons and sewing "
     "machines as the Repair Café's volunteers mend whatever their neighbours bring: more than "
     "400 toasters, lamps, bikes and favourite coats last year, all for free. They teach as "
     "they fix, keep things out of landfill, and have made an afternoon of repairs into one of "
     "the friendliest gatherings in town.",
     "Outstanding reach and lasting change; unanimous."),
    (Story("Millbrook Walking Netball", "Community Group", "Millbrook Village",
           how_long=HowLong.YEARS_1_5,
           what="A weekly walking netball session for women who thought their sporting days "
                "were over, followed by tea in the pavilion.",
           who="About twenty women aged 50 to 85, several of them recovering from illness.",
           difference="“After my hip operation I thought I would never play again. Now Thursday "
                      "mornings are the highlight of my week, and I have friends for life.”",
           nominator=("Val Hughes", "Player"),
           statements=[("Sue Carter", "Player", "It got me moving again after my "
                        "treatment."),
                       ("Dr Anita Shah", "Local GP", "I recommend it to my patients.")],
           consent={"publish_story": False}),
     (4, 4, 3, 3, 4), Outcome.HIGHLY_COMMENDED,
     "Every Thursday Millbrook Walking Netball brings twenty women back to a sport many "
     "thought they had left behind, several of them recovering from illness, and every game "
     "ends with tea and friendship in the pavilion.",
     "A real health benefit; commended."),
    (Story("Riverside Men's Shed", "Community Group", "Riverside Ward",
           how_long=HowLong.YEARS_1_5,
           what="A workshop where retired men (and a few women) meet three mornings a week to "
                "make bird boxes, benches and planters for local schools and parks.",
           who="Retired and isolated people, and the schools and parks that get what they "
               "make.",
           difference="“Since my wife died, the Shed is where I talk. We make things, but "
                      "really we look after each other.”",
           statements=[("Ray Booth", "Member", "It saved me from four walls."),
                       ("Mrs Okoro", "Head teacher", "Our new planters are wonderful.")]),
     (3, 3, 3, 3, 3), Outcome.NOT_SELECTED, "",
     "Good work; the panel preferred the reach of the Repair Café."),
]
PUBLISHED_FEEDBACK = ("Thank you for your nomination. The panel read every word and admired "
                      "what {name} does; this year others were chosen in the category.")
# How each member of the past panel marked compared with the base scores.
PUBLISHED_LEANINGS = [(0, 0, 0, 0, 0), (-1, 0, -1, 0, 0), (0, 0, 0, 1, -1)]


def _load_published_cycle():
    """The previous cycle: nominated, judged and decided, then published on its announcement
    date, about six months ago."""
    day = today()
    past = {"nominations_open": day - timedelta(days=270),
            "nominations_close": day - timedelta(days=230),
            "judging_ends": day - timedelta(days=200),
            "announcement": day - timedelta(days=182)}
    admin = user_by_email("admin@riverside.example")
    resident = user_by_email("resident@riverside.example")
    cycle, categories = _new_cycle(
        f"Big Citizen Awards {past['announcement'].year}", PUBLISHED_SLUG,
        "Our last awards: the winners' stories are on the public pages.",
        {"nominations_open": day - timedelta(days=30), "nominations_close": day,
         "judging_ends": day + timedelta(days=1), "announcement": day + timedelta(days=1)},
        ["Good Neighbour", "Young Big Citizen", "Community Group"])
    areas = _areas()
    made = [_nominate(cycle, categories, areas, entry[0], admin=admin, resident=resident)
            for entry in PUBLISHED]
    _move(cycle, {"nominations_open": day - timedelta(days=30),
                  "nominations_close": day - timedelta(days=1),
                  "judging_ends": day + timedelta(days=1), "announcement": day + timedelta(days=1)})
    moderation.start_judging(cycle, actor=admin)
    panel, members = _panel(cycle, PUBLISHED_PANEL, categories.values(),
                            [CHAIR, PAT, NADIA], admin)
    chair = members[CHAIR[1]]
    for nomination, (story, base, outcome, citation, rationale) in zip(made, PUBLISHED,
                                                                       strict=True):
        for member, leaning in zip(members.values(), PUBLISHED_LEANINGS, strict=True):
            values = [max(0, min(5, b + lean)) for b, lean in zip(base, leaning, strict=True)]
            _review(member, nomination, values, rationale if member is chair else "")
        if outcome.is_public:
            deliberation.set_shortlisted(panel, nomination, True, actor=chair.user)
        deliberation.record_decision(
            panel, nomination, outcome=outcome, citation=citation, rationale=rationale,
            feedback="" if outcome.is_public else PUBLISHED_FEEDBACK.format(
                name=story.name.split()[0]), actor=chair.user)
    deliberation.add_comment(panel, made[0], "Margaret or Desmond? Both are remarkable; I "
                             "lean to Margaret for the loneliness she has ended.",
                             author=chair.user)
    deliberation.add_comment(panel, made[0], "Agreed, and let's commend Desmond.",
                             author=members[NADIA[1]].user)
    _move(cycle, past)
    publication.publish_cycle(cycle, actor=admin)
    # Published on announcement day, as it would have been then (publish_cycle stamps now).
    cycle.results_published_at = datetime.combine(past["announcement"], time(18), tzinfo=UTC)
    db.session.flush()


# --- The cycle in judging, its panel part-way through -----------------------------------------

JUDGING = [
    Story("Joyce Pemberton", "Good Neighbour", "Old Town",
          what="Opens a warm space with soup and bread at St Mark's church hall every weekday "
               "afternoon through the winter.",
          who="Neighbours who cannot afford to heat their homes all day.",
          difference="“I was choosing between heating and eating. At Joyce's I get both, and "
                     "people to talk to.”",
          statements=[("Peter Lyle", "Vicar of St Mark's", "Joyce gives the hall its "
                       "heart.")]),
    Story("Bill Hargreaves", "Good Neighbour", "Castle Hill", how_long=HowLong.OVER_10,
          what="Mends old bikes in his garage and gives them away: sixty so far, to children "
               "and to families who have newly arrived in the town.",
          who="Children without a bike, and newcomers who need to get to work or college.",
          difference="“With Bill's bike I can get to college on time. He taught me to fix a "
                     "puncture too.”",
          nominator=("Sanjay Mehta", "Neighbour"),
          statements=[("Eva Novak", "Refugee support worker", "Every family we work with "
                       "knows Bill's garage.")]),
    Story("Priya Shah", "Good Neighbour", "Riverside Ward", how_long=HowLong.UNDER_1,
          what="Collects food the market would throw away every evening and runs the "
               "community fridge outside the Riverside hub.",
          who="Anyone short of food this week: no forms, no questions.",
          difference="“The fridge has fed my family at the end of the month more than once.”",
          nominator=("Leon Baptiste", "Market trader"),
          statements=[("Helen Yates", "Hub manager", "Priya has saved tonnes of food from the "
                       "bin.")]),
    Story("Eileen Doherty", "Good Neighbour", "Millbrook Village", how_long=HowLong.OVER_10,
          what="Checks on the older people in her block of flats every day, collects their "
               "prescriptions and shopping, and set up a phone tree during the snow.",
          who="Twelve older neighbours, several of them housebound.",
          difference="“When I fell, it was Eileen who found me. She knew something was wrong "
                     "because my curtains were still closed.”",
          statements=[("Mark Doyle", "Son of a neighbour", "I live two hundred miles away; "
                       "Eileen is why I sleep at night.")]),
    Story("Kwame Mensah", "Good Neighbour", "Riverside Ward", how_long=HowLong.YEARS_1_5,
          what="Runs a free English conversation club at the library on Saturday mornings "
               "for people new to the country.",
          who="Adults learning English, from twelve countries so far.",
          difference="“Kwame's club gave me the confidence to speak at my job interview. I got "
                     "the job.”",
          nominator=("Fatima Noor", "Club member"), named=False,
          statements=[("Irene Walsh", "Librarian", "The room is full every week.")]),
    Story("Leah Brooks", "Young Big Citizen", "Millbrook Village", how_long=HowLong.YEARS_1_5,
          what="Started Millbrook's first girls' football team at 17 and still coaches it "
               "every Saturday.",
          who="Twenty-five girls aged 8 to 12.",
          difference="“My daughter never thought football was for her. Now she is captain.”",
          nominator=("Gail Brooks", "Parent of a player"),
          statements=[("Sam Turner", "Club chair", "Leah has doubled the number of girls "
                       "playing in the village.")]),
    Story("Ryan O'Connor", "Young Big Citizen", "Castle Hill", how_long=HowLong.UNDER_1,
          age=AgeBand.AGE_16_17, guardian="Siobhan O'Connor",
          what="Runs a Saturday tech help desk at Castle Hill library, helping older people "
               "use phones, tablets and video calls.",
          who="Older residents who feel left behind by technology.",
          difference="“Ryan showed me how to video call my grandchildren in Australia. I see "
                     "them every Sunday now.”",
          nominator=("Barbara Quinn", "I go to the help desk"),
          statements=[("Irene Walsh", "Librarian", "Patient, kind and always on time.")],
          consent={"name_display": NameDisplay.FIRST_INITIAL, "publish_area": False}),
    Story("Amira Haddad", "Young Big Citizen", "Old Town", how_long=HowLong.YEARS_1_5,
          what="Organised a rota of students who visit the residents of Elm House care home "
               "every week, for music, games and a chat.",
          who="Forty residents of Elm House, and the students who visit them.",
          difference="“Mum lights up when the students come. She sings along, which she had "
                     "stopped doing.”",
          statements=[("Grace Ellison", "Elm House activities lead", "Amira has brought the "
                       "young and the old of Old Town together.")],
          photo="Amira playing cards with a resident of Elm House"),
]
# What each member of the Riverside panel has done so far (by e-mail address).
_CHAIR, _PAT, _NADIA, _TOM = CHAIR[1], PAT[1], NADIA[1], TOM[1]
JUDGING_REVIEWS = [
    # (member's e-mail, nominee, scores, overall comment, submitted)
    (_CHAIR, "Joyce Pemberton", (4, 5, 3, 4, 3), "A lifeline through the cold months.", True),
    (_TOM, "Joyce Pemberton", (4, 4, 3, 4, 3), "Warm, practical, and much needed.", True),
    (_PAT, "Joyce Pemberton", (5, 4, 3, 4, (2, "It stops when the winter does.")),
     "People choosing between heating and eating: a real need.", True),
    (_CHAIR, "Bill Hargreaves", (4, 4, 3, 5, 4), "Sixty bikes is remarkable.", True),
    (_NADIA, "Bill Hargreaves", (4, 5, 4, 5, 4), "Transport changes lives for newcomers.",
     True),
    (_TOM, "Bill Hargreaves", (3, 2, 2, 2, 2), "Lovely, but it reads more like a hobby.",
     True),
    (_CHAIR, "Priya Shah", (5, 4, 4, 4, 4), "", True),
    (_NADIA, "Priya Shah", (5, 5, 4, 4, (ABSTAIN, "Too early to say: the fridge opened this "
                                             "year.")), "Feeds families with no fuss.", True),
    (_TOM, "Priya Shah", (4, 4, 4, 3, 3), "", True),
    (_CHAIR, "Eileen Doherty", (4, 5, 2, 5, 3), "Small reach, huge difference.", True),
    (_NADIA, "Eileen Doherty", (4, 4, 2, 4, 3), "", True),
    (_TOM, "Eileen Doherty", (3, 4, 2, 4, 3), "", True),
    (_NADIA, "Kwame Mensah", (4, 4, 3, 4, 4), "The job interview story says it all.", True),
    (_CHAIR, "Leah Brooks", (3, 4, 3, 4, 4), "", True),
    (_NADIA, "Leah Brooks", (4, 4, 3, 5, 4), "Started it at seventeen!", True),
    (_TOM, "Leah Brooks", (3, 4, 3, 4, 4), "", True),
    (_PAT, "Leah Brooks", (4, 4, None, None, None),
     "Half-way: I want to reread the statements before I finish.", False),
    (_NADIA, "Ryan O'Connor", (4, 4, 3, 4, 3), "", True),
]
JUDGING_COMMENTS = [
    (_TOM, "Bill Hargreaves", "I scored Bill lower than most of you, I think: it is lovely "
     "work, but is it more hobby than need? Happy to be persuaded."),
    (_CHAIR, "Bill Hargreaves", "Worth rereading the refugee support worker's statement: a "
     "bike is how those families get to work and college. Let's talk it through on Thursday."),
    (_NADIA, "Priya Shah", "I abstained on lasting change: the fridge is only a few months "
     "old. Has anyone heard whether the hub will keep it going?"),
]


def _load_judging_cycle():
    """This season's cycle: nominations closed a few days ago and the Riverside panel is
    part-way through judging, which ends in two weeks."""
    day = today()
    dates = {"nominations_open": day - timedelta(days=45), "nominations_close": day,
             "judging_ends": day + timedelta(days=14), "announcement": day + timedelta(days=28)}
    admin = user_by_email("admin@riverside.example")
    resident = user_by_email("resident@riverside.example")
    cycle, categories = _new_cycle(
        f"Riverside Neighbour Awards {dates['announcement'].year}", JUDGING_SLUG,
        "Good neighbours and young people making a difference across Riverside.", dates,
        ["Good Neighbour", "Young Big Citizen"])
    areas = _areas()
    made = {story.name: _nominate(cycle, categories, areas, story, admin=admin,
                                  resident=resident) for story in JUDGING}
    _move(cycle, {**dates, "nominations_close": day - timedelta(days=3)})
    moderation.start_judging(cycle, actor=admin)
    panel, members = _panel(cycle, JUDGING_PANEL, categories.values(),
                            [CHAIR, PAT, NADIA, TOM], admin)
    declarations.declare(members[_NADIA], made["Joyce Pemberton"], conflicted=True,
                         kind=ConflictKind.FRIEND, reason="We sing in the same choir.")
    for email, name, values, comment, submit in JUDGING_REVIEWS:
        _review(members[email], made[name], values, comment, submit=submit)
    for email, name, body in JUDGING_COMMENTS:
        deliberation.add_comment(panel, made[name], body, author=members[email].user)
    db.session.flush()
