"""The demo's story, as data: the Riverside scheme's people, areas and categories, its three
cycles, every nomination (who, what, which state it is in), the panels' reviews, comments,
decisions and citations. awards/admin/demo.py makes it real through awards.factories."""
from dataclasses import dataclass, field

from awards.accounts.enums import Role
from awards.nominations.enums import AgeBand, HowLong, NameDisplay, RecognitionKind
from awards.panels.enums import ConflictKind, Outcome
from awards.panels.services.reviews import ABSTAIN

# Demo passwords are public by design: `flask demo load` refuses to run in production.
DEMO_ACCOUNTS = [
    ("Ada Admin", "admin@riverside.example", "demo-admin-pass", [Role.ADMIN]),
    ("Pat Panel", "panel@riverside.example", "demo-panel-pass", [Role.PANEL_MEMBER]),
    ("Chris Chair", "chair@riverside.example", "demo-chair-pass", [Role.PANEL_MEMBER]),
    ("Hal Helper", "helper@riverside.example", "demo-helper-pass", [Role.HELPER]),
    ("Rita Resident", "resident@riverside.example", "demo-resident-pass", []),
]
# A second admin who signs in with two-factor sign-in: the password, then a code from an
# authenticator app holding this secret (public like the passwords: demo data only).
TWO_FACTOR_ADMIN = ("Sol Secure", "secure.admin@riverside.example", "demo-secure-pass",
                    [Role.ADMIN])
TWO_FACTOR_SECRET = "RIVERSIDEDEMOTWOFACTORKEY2345672"
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

# The three cycles: days from today to (open, close, judging ends, announcement) when the demo
# is loaded; {year}: the announcement's year, {next_year}: the year after today's.
OPEN_CYCLE = dict(slug=CYCLE_SLUG, name="Big Citizen Awards {next_year}", days=(-14, 42, 70, 90),
                  description="Recognising the residents of Riverside who give their time to "
                              "others.", categories=[c["name"] for c in CATEGORIES])
PUBLISHED_CYCLE = dict(slug=PUBLISHED_SLUG, name="Big Citizen Awards {year}",
                       days=(-270, -230, -200, -182),
                       description="Our last awards: the winners' stories are on the public "
                                   "pages.",
                       categories=["Good Neighbour", "Young Big Citizen", "Community Group"])
JUDGING_CYCLE = dict(slug=JUDGING_SLUG, name="Riverside Neighbour Awards {year}",
                     days=(-45, 0, 14, 28),
                     description="Good neighbours and young people making a difference "
                                 "across Riverside.",
                     categories=["Good Neighbour", "Young Big Citizen"])

# --- The cycle taking nominations: one in every state -----------------------------------------
# Sent by Rita Resident, signed in, unless `by` is "anonymous" (not signed in, e-mail not yet
# confirmed) or "helper" (Hal Helper, by phone). `answers` replace the usual ones.
OPEN = [
    dict(name="Dev Draft", category="Good Neighbour", area="Old Town", status="draft"),
    dict(name="Wanda Waiting", category="Good Neighbour", area="Castle Hill",
         status="awaiting_confirmation", by="anonymous", answers=dict(
             what_they_do="Litter picks every Sunday morning.",
             who_benefits="Everyone who walks by the river.",
             difference_made="The towpath is clean and people use it again.",
             how_long=HowLong.YEARS_1_5, nominator_name="Anon Neighbour",
             nominator_email="anon@riverside.example", nominator_relationship="I walk there",
             nominator_may_be_named=False)),
    dict(name="Sam Submitted", category="Good Neighbour", area="Riverside Ward",
         status="submitted"),
    dict(name="Maria Lopez", category="Lifetime of Service", area="Millbrook Village",
         status="eligible", answers=dict(
             what_they_do="Has run the village youth football club for twenty years.",
             who_benefits="Hundreds of local children, and their parents.",
             difference_made="“Maria gave my son somewhere to belong when nothing else "
                             "worked.”"),
         statements=[("coach@riverside.example", "Coach", "Club parent",
                      "She never misses a Saturday."),
                     ("parent@riverside.example", "Parent", "Club parent",
                      "My daughter found her confidence.")],
         consent=dict(name_display="full", publish_story=True, publish_photo=True,
                      publish_area=True, in_newsletter=True,
                      recognition=["hear_impact", "grant"],
                      support_needed="Somewhere to store kit.")),
    dict(name="Millbrook Knit and Natter", category="Community Group",
         area="Millbrook Village", status="eligible", answers=dict(
             what_they_do="A weekly knitting group that also checks in on isolated members.")),
    dict(name="Ian Ineligible", category="Good Neighbour", area="Old Town",
         status="ineligible",
         reason="The nominee lives and volunteers outside the scheme's area."),
    dict(name="Maria Lopez", category="Lifetime of Service", area="Millbrook Village",
         status="duplicate", kept="Maria Lopez"),
    dict(name="Buy Cheap Watches", category="Good Neighbour", area="Old Town", status="spam"),
    dict(name="Will Withdrawn", category="Good Neighbour", area="Castle Hill",
         status="withdrawn"),
    dict(name="Pearl Phone", category="Good Neighbour", area="Riverside Ward",
         status="submitted", by="helper", answers=dict(
             what_they_do="Drives neighbours to hospital appointments.",
             who_benefits="People who cannot drive.",
             difference_made="Nobody misses a check-up any more.", how_long=HowLong.OVER_10,
             nominator_name="Jo Caller", nominator_relationship="Her neighbour (by phone)")),
]
# The usual answers of the nominations above.
OPEN_ANSWERS = dict(
    what_they_do="Runs the Tuesday lunch club at the church hall.",
    who_benefits="Older neighbours who live on their own.",
    difference_made="“I used to go days without talking to anyone. Now Tuesday is the best "
                    "day of my week.”",
    how_long=HowLong.YEARS_5_10, nominator_relationship="Neighbour",
    nominator_may_be_named=True)

# --- Ready nominations for the judging and published cycles ---------------------------------

@dataclass
class Story:
    """A nomination that goes to judging: the nominee's story, who nominated them (None: Rita
    Resident, signed in), the supporters' statements and the nominee's consent."""

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
# --- What the past cycle's nominees told us, and what they got (the insight report) -----------
# What support would help them do more, in their words (Jordan Mitchell's is in his story).
PUBLISHED_SUPPORT = {
    "Margaret Ellis": "A second oven at the community centre so we can cook for more people.",
    "Desmond Clarke": "Someone to take over the Tuesday round when I am away.",
    "Frank Osei": "Help with the paperwork for funding bids; I never know where to start.",
    "Castle Hill Repair Café": "Insurance for our volunteers: it costs us £300 a year.",
    "Riverside Men's Shed": "A bigger workshop. We meet in Alf Turner's garage on Mill Lane "
                            "and have run out of room.",
}
# The words an admin kept for the report after reviewing them for identifying details ("":
# left out); the others wait in the review queue at /admin/insight/support.
PUBLISHED_REVIEWED = {
    "Margaret Ellis": "A second oven so we can cook for more people.",
    "Frank Osei": "Help with the paperwork for funding bids.",
    "Riverside Men's Shed": "A bigger workshop: we have run out of room.",
    "Jordan Mitchell": "",
}
# What each was given: (nominee, what, days after the announcement or None, note).
PUBLISHED_GIVEN = [
    ("Margaret Ellis", RecognitionKind.CEREMONY, 0, "Presented by the mayor."),
    ("Margaret Ellis", RecognitionKind.PUBLIC_PAGE, 0, ""),
    ("Margaret Ellis", RecognitionKind.IMPACT_STORY, 10, "Letters from the lunch club."),
    ("Desmond Clarke", RecognitionKind.IMPACT_STORY, 10, ""),
    ("Desmond Clarke", RecognitionKind.CERTIFICATE, 0, "Highly commended."),
    ("Sheila Patel", RecognitionKind.IMPACT_STORY, 12, ""),
    ("Sheila Patel", RecognitionKind.PRIVATE_THANKS, 3, "A card from the panel."),
    ("Frank Osei", RecognitionKind.IMPACT_STORY, 12, ""),
    ("Frank Osei", RecognitionKind.INTRODUCTION, 30, "To the council's funding officer."),
    ("Jordan Mitchell", RecognitionKind.PRIVATE_THANKS, 2, ""),
    ("Jordan Mitchell", RecognitionKind.EQUIPMENT, 40, "Two goals for the under-11s."),
    ("Chloe Nguyen", RecognitionKind.IMPACT_STORY, 14, ""),
    ("Castle Hill Repair Café", RecognitionKind.GRANT, 45, "£300 towards insurance."),
    ("Millbrook Walking Netball", RecognitionKind.IMPACT_STORY, 14, ""),
    ("Riverside Men's Shed", RecognitionKind.IMPACT_STORY, 20, ""),
    ("Riverside Men's Shed", RecognitionKind.CERTIFICATE, None, ""),
]

PUBLISHED_FEEDBACK = ("Thank you for your nomination. The panel read every word and admired "
                      "what {name} does; this year others were chosen in the category.")
# How each member of the past panel marked compared with the base scores.
PUBLISHED_LEANINGS = [(0, 0, 0, 0, 0), (-1, 0, -1, 0, 0), (0, 0, 0, 1, -1)]

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
JUDGING_CONFLICTS = [  # (member's e-mail, nominee, kind, reason)
    (_NADIA, "Joyce Pemberton", ConflictKind.FRIEND, "We sing in the same choir."),
]
