"""Rule 1, as a matrix: for each way a nominee can be kept (wholly or partly) out of public
view, crawl every public GET route (pages, search and filters, feeds, sitemap, robots.txt,
embed, certificates, share images, photos, thank-you pages) and every local link they give,
and find no trace of what is hidden: not in HTML, Atom, XML, JSON-LD, OpenGraph tags,
headers, or PDF and image bytes. What the nominee did allow is checked to be there, so each
case can fail.

Routes come from `app.url_map` (tests/public/crawl.py), filled with every key, slug, area and
reference in the database, so routes added later are crawled too.
"""
import itertools
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import current_app
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from awards.accounts.enums import Role
from awards.core.db import utcnow
from awards.core.slugs import slugify
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NameDisplay, Phase
from awards.nominations.models import Area, AwardCycle, Category, Nomination
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent, withdraw_consent
from awards.nominations.services.photos import attach_photo
from awards.panels.enums import Outcome
from awards.panels.services import deliberation, membership
from awards.panels.services.publication import publish_cycle
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from tests.nominations.conftest import move_to
from tests.public.conftest import EVERYTHING
from tests.public.crawl import (
    Crawler,
    counting_statements,
    endpoint_of,
    is_registered,
    leaks,
    pdf_text,
    public_urls,
    without_nonces,
)
from tests.routes import png_bytes

# The nominee under test, and the words that must stay hidden when they are not allowed.
FIRST, SURNAME = "Zanzibella", "Quuxwhistle"
CITATION_WORD, AREA_WORD, THANKS_WORD = "Blorptastic", "Frobnitzham", "Gratitudequill"
# The newsletter's subscribe form (templates/newsletter/_subscribe.html), with its areas.
SUBSCRIBE_FORM = re.compile(
    rb'<section class="subscribe" aria-labelledby="newsletter-title">.*?</section>', re.S)
SUBJECT = f"{FIRST} {SURNAME}"
# Never public, for anyone: the nomination's own words, who nominated and who supported, the
# nominee's e-mail, the uploader's alt text for the photo, the panel's private notes.
PRIVATE = {"what_they_do": "Storyvexmark", "who_benefits": "Benefitvexmark",
           "difference_made": "Differencevexmark", "nominator": "Nominatorvexmark",
           "email": "zqprivmail", "statement": "Supportvexmark",
           "supporter": "Supporternamevexmark", "alt": "Glimmerquaff",
           "rationale": "Rationalevexmark", "feedback": "Feedbackvexmark"}
CONTROL = "Xyzzyplugh"  # a search word no one has: the page a hidden word must give
RESULT_COUNT = re.compile(r'class="result-count" role="status">(\d+) awards?')
CARD_NAMES = re.compile(r'class="award-card__title"><a href="[^"]+">([^<]+)</a>')
JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.DOTALL)


@dataclass(frozen=True)
class Nominee:
    """Someone nominated, and everything that happens to them before the crawl."""

    name: str
    area: str
    citation: str
    outcome: str = "winner"
    choices: dict = field(default_factory=lambda: dict(EVERYTHING))
    photo: bool = True
    declines: bool = False
    withdraws_before_publication: bool = False


# Allowed everything, in a cycle of their own (so that pages are never empty), and alongside
# the nominee under test.
OTTO = Nominee("Otto Brightwell", "Otterbrook",
               "Mends every bike on Cobblewhimsy Lane for free.")
VERA = Nominee("Vera Openshaw", "Veraton", "Runs the Sprocketfair for carers.",
               outcome="highly_commended", photo=False)
ZANZIBELLA = Nominee(SUBJECT, f"{AREA_WORD} Ward",
                     f"Keeps the {CITATION_WORD} repair café open every Saturday.")


@dataclass(frozen=True)
class Case:
    """How the nominee under test is kept out of view, and what of theirs must not appear."""

    nominee: Nominee
    hidden: frozenset  # of "first", "surname", "citation", "area", "photo"
    public: bool  # whether they have a public award at all
    publish: bool = True


EVERYTHING_HIDDEN = frozenset({"first", "surname", "citation", "area", "photo"})
CASES = {
    "unpublished": Case(ZANZIBELLA, EVERYTHING_HIDDEN, public=False, publish=False),
    "withdrew_before_publication": Case(
        replace(ZANZIBELLA, withdraws_before_publication=True), EVERYTHING_HIDDEN, False),
    "not_selected": Case(replace(ZANZIBELLA, outcome="not_selected"), EVERYTHING_HIDDEN,
                         False),
    "declined": Case(replace(ZANZIBELLA, declines=True), EVERYTHING_HIDDEN, False),
    "first_name_and_initial": Case(replace(ZANZIBELLA, choices={
        **EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL}), frozenset({"surname"}),
        True),
    "anonymous": Case(replace(ZANZIBELLA, choices={
        **EVERYTHING, "name_display": NameDisplay.ANONYMOUS}),
        frozenset({"first", "surname"}), True),
    "photo_refused": Case(replace(ZANZIBELLA, choices={**EVERYTHING, "publish_photo": False}),
                          frozenset({"photo"}), True),
    "area_refused": Case(replace(ZANZIBELLA, choices={**EVERYTHING, "publish_area": False}),
                         frozenset({"area"}), True),
    "story_refused": Case(replace(ZANZIBELLA, choices={**EVERYTHING, "publish_story": False}),
                          frozenset({"citation"}), True),
}


# --- building the world through the services ------------------------------------------------

@dataclass
class Staged:
    cycle: AwardCycle
    nominations: dict  # name -> Nomination
    plan: object = None  # the publication plan, when published


@pytest.fixture
def stage(make_cycle, make_area, make_nomination, make_user):
    """Factory: `stage(*nominees, publish=True)` nominates each Nominee in a new cycle (with
    a photo, a supporter's statement and private markers in every private field), judges
    them, records each one's consent choices and publishes, all through the services."""
    counter = itertools.count(1)

    def build(*nominees, publish=True):
        number = next(counter)
        cycle = make_cycle(Phase.NOMINATING)
        made = []
        for index, nominee in enumerate(nominees):
            tag = f"{number}-{index}"
            nomination = make_nomination(
                cycle, area=make_area(nominee.area), nominee_name=nominee.name,
                nominee_email=f"{PRIVATE['email']}-{tag}@example.com",
                nominator_name=f"{PRIVATE['nominator']} Smith",
                nominator_email=f"nominator-{tag}@example.com",
                what_they_do=f"{PRIVATE['what_they_do']} at the lunch club.",
                who_benefits=f"{PRIVATE['who_benefits']} neighbours.",
                difference_made=f"{PRIVATE['difference_made']} every week.")
            if nominee.photo:  # only a draft takes a photo
                attach_photo(nomination, png_bytes((320, 240)),
                             f"{nominee.name} with the {PRIVATE['alt']}")
            journey.submit_nomination(nomination)
            journey.confirm_nominator_email(nomination)
            moderation.mark_eligible(nomination, actor=None)
            save_consent(nomination, status=ConsentStatus.DECLINED if nominee.declines
                         else ConsentStatus.ACCEPTED)
            supporter = supporters.invite_supporter(nomination, f"supporter-{tag}@example.com")
            supporters.add_statement(supporter, name=f"{PRIVATE['supporter']} Jones",
                                     relationship="Neighbour",
                                     statement=f"{PRIVATE['statement']}: always there.")
            db.session.commit()
            made.append(nomination)
        move_to(cycle, Phase.JUDGING)
        admin = make_user(roles=[Role.ADMIN])
        moderation.start_judging(cycle, actor=admin)
        panel = membership.save_panel(cycle, None, {
            "name": "Main panel", "categories": list(cycle.categories), "blind": False,
            "reviews_per_nomination": None, "eligibility_round": False}, actor=admin)
        chair = make_user(name="Chair Person")
        membership.invite_member(panel, chair.name, chair.email, chair=True, actor=admin)
        db.session.commit()
        for nominee, nomination in zip(nominees, made):
            if nominee.declines:
                continue  # never judged: no consent, no judging
            deliberation.record_decision(
                panel, nomination, outcome=nominee.outcome, citation=nominee.citation,
                rationale=f"{PRIVATE['rationale']} strong support.",
                feedback=f"{PRIVATE['feedback']} thank you.", actor=chair)
            save_consent(nomination, status=ConsentStatus.ACCEPTED, **nominee.choices)
            db.session.commit()
        move_to(cycle, Phase.ANNOUNCED)
        for nominee, nomination in zip(nominees, made):
            if nominee.withdraws_before_publication:
                withdraw_consent(nomination)
                db.session.commit()
        staged = Staged(cycle, {n.name: m for n, m in zip(nominees, made)})
        if publish:
            staged.plan = publish_cycle(cycle, actor=admin)
            db.session.commit()
        return staged

    return build


def award_of(nomination):
    """The nomination's public row, or None."""
    db.session.expire_all()
    return db.session.scalar(select(PublicAward).filter_by(nomination_id=nomination.id))


def staged_nomination(nominee):
    """The nomination of a Nominee, by name."""
    return db.session.scalar(select(Nomination).filter_by(nominee_name=nominee.name))


def approved_thanks(nomination, message):
    """An approved thank-you message on the nominee's page (its reference)."""
    thanks = ThankYou(reference=f"T{nomination.id:07d}", nomination_id=nomination.id,
                      author_name="A neighbour", message=message,
                      status=ThanksStatus.APPROVED, moderated_at=utcnow())
    db.session.add(thanks)
    db.session.commit()
    return thanks.reference


# --- what to crawl ---------------------------------------------------------------------------

def hof(**query):
    """A hall of fame address, spelled as `public_urls` spells it."""
    return f"/hall-of-fame?{urlencode(query)}" if query else "/hall-of-fame"


def search_words():
    """Every word a visitor might search for: each marker and each visible word."""
    return [FIRST, SURNAME, CITATION_WORD, AREA_WORD, THANKS_WORD, *PRIVATE.values(),
            "Brightwell", "Cobblewhimsy", "Openshaw", "Sprocketfair"]


def crawl_seeds(app, subject, former_keys=()):
    """Every public GET route filled with every value in the database (and the guesses a
    visitor could make for the nominee under test), with searches and every filter."""
    db.session.expire_all()
    awards = db.session.scalars(select(PublicAward)).all()
    areas = db.session.scalars(select(Area.id)).all()
    cycles = db.session.scalars(select(AwardCycle)).all()
    category_slugs = sorted(set(db.session.scalars(select(Category.slug))))
    references = (db.session.scalars(select(ThankYou.reference)).all()
                  + db.session.scalars(select(Nomination.reference)).all())
    values = {
        # Keys of every public award, and what someone could try for the hidden one.
        "key": [a.key for a in awards] + [subject.reference, str(subject.id), *former_keys],
        "slug": sorted({*(c.slug for c in cycles), *category_slugs, *(a.slug for a in awards),
                        slugify(SUBJECT), slugify(f"{FIRST} {SURNAME[0]}"), "big-citizen"}),
        "area_id": [*areas, max(areas) + 1000],
        "reference": references,
    }
    years = sorted({c.announcement.year for c in cycles})
    filters = ([{"q": word} for word in search_words()] + [{"q": SUBJECT}]
               + [{"year": year} for year in years] + [{"area": area} for area in areas]
               + [{"category": slug} for slug in category_slugs]
               + [{"q": SURNAME, "area": area} for area in areas]
               + [{"year": years[0], "area": area, "category": category_slugs[0]}
                  for area in areas] + [{"page": 2}])
    queries = {"public.hall_of_fame": filters, "public.area": [{"page": 2}],
               "public.category": [{"page": 2}], "public.cycle_results": [{"page": 2}]}
    return ["/", *public_urls(app, values, queries)]


def hidden_markers(case, subject, award):
    """The strings that must not appear anywhere, for this case."""
    markers = list(PRIVATE.values())
    words = {"first": [FIRST], "surname": [SURNAME], "citation": [CITATION_WORD],
             "area": [AREA_WORD]}
    for part in case.hidden - {"photo"}:
        markers += words[part]
    if "photo" in case.hidden:
        photo = subject.photo
        markers += [Path(photo.display_name).stem, Path(photo.thumb_name).stem]
        if award is not None:  # the award is public, its photo is not: no address for it
            markers.append(f"{award.key}/photo-")
    return markers


def searched_words(url):
    """The words of the search in a hall of fame address (lower case)."""
    query = parse_qs(urlsplit(url).query).get("q", [""])[0]
    return {word.lower() for word in re.findall(r"\w+", query)}


def _blanked(text, words):
    for word in words:
        text = re.sub(re.escape(word), "¤", text, flags=re.IGNORECASE)
    return without_nonces(text)


def rule_args(app, url):
    """(endpoint, arguments) of a local URL."""
    try:
        return app.url_map.bind("localhost").match(urlsplit(url).path, method="GET")
    except HTTPException:  # a redirect or an unknown address: no arguments
        return endpoint_of(app, url), {}


def assert_nothing_leaks(app, crawler, crawled, markers, *, hidden_area_id, gone_keys):
    """No marker in any response; searches for a hidden word give exactly the page a word
    no one has gives; the hidden area's own page and feed (when the area is hidden) list no
    one; every address with a key in `gone_keys` is 404; and no server error anywhere."""
    problems = []
    for url, got in crawled.items():
        endpoint, args = rule_args(app, url)
        if got.status >= 500:
            problems.append(f"{got.status} from {url}")
        searched = searched_words(url)
        own_area_page = AREA_WORD in markers and args.get("area_id") == hidden_area_id
        for marker in markers:
            if marker.lower() in searched:
                continue  # the search box shows what was typed: compared with CONTROL below
            if marker == AREA_WORD and own_area_page:
                continue  # an area's own page and feed are named after it (areas are public)
            # The newsletter's subscribe form lists every current area as a choice (as the
            # nomination form does): that says nothing of who is in one. Only there.
            page = (replace(got, body=SUBSCRIBE_FORM.sub(b"", got.body))
                    if marker == AREA_WORD else got)
            for place in leaks(page, marker):
                problems.append(f"{marker!r} in the {place} of {url} ({got.status})")
        hidden_searched = [m for m in markers if m.lower() in searched]
        if hidden_searched:
            query = parse_qs(urlsplit(url).query)
            query["q"] = [_blanked(query["q"][0], hidden_searched).replace("¤", CONTROL)]
            control = crawler.fetch(f"{urlsplit(url).path}?{urlencode(query, doseq=True)}")
            if _blanked(got.text, hidden_searched) != _blanked(control.text, [CONTROL]):
                problems.append(f"searching {url} finds something that {CONTROL} does not")
        if own_area_page and got.status == 200:
            if endpoint == "public.area" and count_of(got) != 0:
                problems.append(f"{url} lists {count_of(got)} awards, not 0")
            if endpoint == "feeds.area" and "<entry" in got.text:
                problems.append(f"{url} has entries")
        if args.get("key") in gone_keys and got.status != 404:
            problems.append(f"{url} answered {got.status}, not 404")
    assert not problems, "\n".join(problems)


# --- reading pages ---------------------------------------------------------------------------

def count_of(fetched):
    """The "N awards" count of a list page."""
    match = RESULT_COUNT.search(fetched.text)
    assert match, f"no result count on {fetched.url}"
    return int(match.group(1))


def names_on(fetched):
    """The names on the award cards of a page, in order."""
    return CARD_NAMES.findall(fetched.text)


def json_ld(fetched):
    """The schema.org description of a winner's page."""
    match = JSON_LD.search(fetched.text)
    assert match, f"no JSON-LD on {fetched.url}"
    return json.loads(match.group(1))


def award_path(award):
    return f"/winners/{award.key}/{award.slug}"


# --- the matrix ------------------------------------------------------------------------------

@pytest.fixture
def world(stage):
    """Factory: Otto (everything allowed) in a published cycle of his own, then Vera
    (everything allowed) and Zanzibella as the case has it in another cycle."""

    def build(case):
        background = stage(OTTO)
        staged = stage(VERA, case.nominee, publish=case.publish)
        subject = staged.nominations[SUBJECT]
        return background, staged, subject

    return build


@pytest.mark.parametrize("case_id", list(CASES))
def test_no_public_surface_shows_what_the_nominee_did_not_allow(app, world, case_id):
    case = CASES[case_id]
    _background, staged, subject = world(case)
    award = award_of(subject)
    assert (award is not None) is case.public
    crawler = Crawler(app, app.test_client(use_cookies=False))

    crawled = crawler.crawl(crawl_seeds(app, subject))

    assert_nothing_leaks(app, crawler, crawled, hidden_markers(case, subject, award),
                         hidden_area_id=subject.area_id,
                         gone_keys=set() if case.public else {subject.reference,
                                                              str(subject.id)})
    # The visible world is there: Otto, all he allowed, and his photo.
    otto = award_of(staged_nomination(OTTO))
    otto_page = crawled[award_path(otto)]
    assert otto_page.status == 200 and "Otto Brightwell" in otto_page.text
    assert "Otterbrook" in otto_page.text and "Cobblewhimsy" in otto_page.text
    photo = crawled[f"/winners/{otto.key}/photo-display.jpg"]
    assert (photo.status, photo.content_type) == (200, "image/jpeg")
    assert names_on(crawled[hof(q="Cobblewhimsy")]) == ["Otto Brightwell"]
    CHECKS[case_id](crawled, staged, subject, award)


def _not_public(crawled, staged, subject, award, *, listed=("Otto Brightwell", "Vera Openshaw")):
    hall = crawled[hof()]
    assert sorted(names_on(hall)) == sorted(listed)
    assert count_of(hall) == len(listed)
    for word in (FIRST, SURNAME, CITATION_WORD):
        assert count_of(crawled[hof(q=word)]) == 0, word


def check_unpublished(crawled, staged, subject, award):
    _not_public(crawled, staged, subject, award, listed=("Otto Brightwell",))
    assert crawled[f"/results/{staged.cycle.slug}"].status == 404


def check_withdrew_before_publication(crawled, staged, subject, award):
    # Publication still fixes the outcome, but sends the nominee nothing; only the nominator
    # hears of it.
    plan = staged.plan
    assert subject in plan.by_outcome[Outcome.WINNER]
    assert [(m.kind, m.recipient) for m in plan.messages if m.nomination is subject] == [
        ("outcome", subject.nominator_email)]
    _not_public(crawled, staged, subject, award)
    assert names_on(crawled[f"/results/{staged.cycle.slug}"]) == ["Vera Openshaw"]


def check_not_selected(crawled, staged, subject, award):
    assert subject in staged.plan.by_outcome[Outcome.NOT_SELECTED]
    _not_public(crawled, staged, subject, award)
    assert names_on(crawled[f"/results/{staged.cycle.slug}"]) == ["Vera Openshaw"]


def check_declined(crawled, staged, subject, award):
    assert subject.consent.status is ConsentStatus.DECLINED
    assert not any(subject in group for group in staged.plan.by_outcome.values())
    _not_public(crawled, staged, subject, award)


def check_first_name_and_initial(crawled, staged, subject, award):
    page = crawled[award_path(award)]
    assert award.slug == "zanzibella-q"
    assert "<h1>Zanzibella Q.</h1>" in page.text
    assert json_ld(page)["about"]["name"] == "Zanzibella Q."
    assert names_on(crawled[hof(q=FIRST)]) == ["Zanzibella Q."]
    assert count_of(crawled[hof(q=SURNAME)]) == 0
    assert count_of(crawled[hof(q=SUBJECT)]) == 0
    assert "Zanzibella Q." in names_on(crawled[hof()])
    if is_registered(current_app, "certificates.pdf"):  # PDFs are really read
        pdf = crawled[f"/winners/{award.key}/certificate.pdf"]
        assert pdf.status == 200
        assert any("Zanzibella Q." in text for text in pdf_text(pdf.body))


def check_anonymous(crawled, staged, subject, award):
    page = crawled[award_path(award)]
    assert award.slug == "big-citizen"
    assert "<h1>A Big Citizen</h1>" in page.text
    assert "name" not in json_ld(page)["about"]
    assert CITATION_WORD in page.text  # the story was allowed
    assert names_on(crawled[hof(q=CITATION_WORD)]) == ["A Big Citizen"]
    assert count_of(crawled[hof(q=FIRST)]) == 0


def check_photo_refused(crawled, staged, subject, award):
    page = crawled[award_path(award)]
    assert f"<h1>{SUBJECT}</h1>" in page.text
    assert 'class="award-photo"' not in page.text and "image" not in json_ld(page)["about"]
    for size in ("display", "thumb"):
        assert crawled[f"/winners/{award.key}/photo-{size}.jpg"].status == 404
    assert subject.photo is not None  # there is a photo: it is only not shown


def check_area_refused(crawled, staged, subject, award):
    page = crawled[award_path(award)]
    assert f"<h1>{SUBJECT}</h1>" in page.text and "<dt>Area</dt>" not in page.text
    assert "homeLocation" not in json_ld(page)["about"]
    assert award.area_id is None
    assert count_of(crawled[f"/areas/{subject.area_id}"]) == 0
    assert names_on(crawled[hof(q=SURNAME)]) == [SUBJECT]
    vera = award_of(staged.nominations["Vera Openshaw"])
    assert "<dt>Area</dt>" in crawled[award_path(vera)].text  # shown where allowed


def check_story_refused(crawled, staged, subject, award):
    page = crawled[award_path(award)]
    assert f"<h1>{SUBJECT}</h1>" in page.text and 'class="citation"' not in page.text
    assert f"Winner in the Good Neighbour category of the {staged.cycle.name}." in page.text
    assert "description" not in json_ld(page)
    assert count_of(crawled[hof(q=CITATION_WORD)]) == 0
    assert names_on(crawled[hof(q=SURNAME)]) == [SUBJECT]


CHECKS = {"unpublished": check_unpublished,
          "withdrew_before_publication": check_withdrew_before_publication,
          "not_selected": check_not_selected, "declined": check_declined,
          "first_name_and_initial": check_first_name_and_initial,
          "anonymous": check_anonymous, "photo_refused": check_photo_refused,
          "area_refused": check_area_refused, "story_refused": check_story_refused}


# --- changes after publication, with the cache warm ------------------------------------------

NARROWED = {"name_display": NameDisplay.ANONYMOUS, "publish_story": False,
            "publish_photo": False, "publish_area": False}


@pytest.mark.parametrize("change", ["withdrawn", "narrowed"])
def test_a_change_after_publication_is_public_at_once_cache_included(app, world, change):
    _background, staged, subject = world(Case(ZANZIBELLA, frozenset(), True))
    thanks = approved_thanks(subject, f"{THANKS_WORD}: thank you for the repair café.")
    award = award_of(subject)
    key, page_path = award.key, award_path(award)
    photo = subject.photo
    anonymous = app.test_client(use_cookies=False)  # the visitor the page cache serves
    crawler = Crawler(app, anonymous)
    before = crawler.crawl(crawl_seeds(app, subject))

    # Everything was public, and the pages are now cached.
    page = before[page_path]
    for word in (FIRST, SURNAME, CITATION_WORD, AREA_WORD, THANKS_WORD,
                 f"/winners/{key}/photo-thumb.jpg"):
        assert word in page.text, word
    assert names_on(before[hof(q=SURNAME)]) == [SUBJECT]
    assert SUBJECT in names_on(before["/"]) and SUBJECT in names_on(before[hof()])
    assert before[f"/winners/{key}/photo-display.jpg"].status == 200
    if is_registered(app, "feeds.winners"):
        assert SURNAME in before["/feeds/winners.atom"].text
    if is_registered(app, "feeds.sitemap"):
        assert page_path in before["/sitemap.xml"].text
    for path in (page_path, hof(), "/"):
        with counting_statements() as statements:
            assert anonymous.get(path).status_code == 200
        assert statements == [], f"{path} was not served from the page cache"
    drawn = set(Path(app.config["INSTANCE_PATH"]).rglob(f"*{key}*"))  # share images

    if change == "withdrawn":
        withdraw_consent(subject)
    else:
        save_consent(subject, status=ConsentStatus.ACCEPTED, **NARROWED)
    db.session.commit()

    # The same visitor, the same addresses (and every link found before): nothing left.
    after = crawler.crawl([*before, *crawl_seeds(app, subject, former_keys=[key])])
    markers = [*PRIVATE.values(), FIRST, SURNAME, CITATION_WORD, AREA_WORD,
               Path(photo.display_name).stem, Path(photo.thumb_name).stem, f"{key}/photo-"]
    if change == "withdrawn":
        markers.append(THANKS_WORD)
    assert_nothing_leaks(app, crawler, after, markers, hidden_area_id=subject.area_id,
                         gone_keys={key})
    # A browser's copy is not confirmed as still good.
    for url, got in before.items():
        if got.etag and got.status == 200 and any(leaks(got, m) for m in (FIRST, SURNAME)):
            again = anonymous.get(url, headers={"If-None-Match": got.etag})
            assert again.status_code != 304, url
    # No share image drawn before the change is left on disk.
    if is_registered(app, "certificates.share_image"):
        assert drawn, "no share image was drawn for the award"
    left = set(Path(app.config["INSTANCE_PATH"]).rglob(f"*{key}*"))
    assert not drawn & left, drawn & left
    if change == "withdrawn":
        assert award_of(subject) is None
        assert left == set()
        if is_registered(app, "thanks.sent"):
            assert after[f"/thank-you/{thanks}"].status == 404
    else:
        narrowed = award_of(subject)
        # A new address: the old one, shared with the full name in it, leads nowhere.
        assert narrowed.key != key
        assert (narrowed.slug, narrowed.display_name) == ("big-citizen", "A Big Citizen")
        assert after[f"/winners/{key}/{slugify(SUBJECT)}"].status == 404
        for size in ("display", "thumb"):
            assert after[f"/winners/{key}/photo-{size}.jpg"].status == 404
        now = anonymous.get(award_path(narrowed)).get_data(as_text=True)
        assert "<h1>A Big Citizen</h1>" in now
        assert THANKS_WORD in now  # still their page, with its messages


def test_a_redirect_to_the_named_address_is_not_kept_by_caches(app, world):
    _background, _staged, subject = world(Case(ZANZIBELLA, frozenset(), True))
    award = award_of(subject)
    client = app.test_client(use_cookies=False)
    kept = []
    for path in (f"/winners/{award.key}", f"/winners/{award.key}/an-older-name"):
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (
            302, f"/winners/{award.key}/zanzibella-quuxwhistle")
        rules = response.cache_control
        if not (rules.no_cache or rules.no_store or rules.private or rules.max_age == 0):
            kept.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')!r}")
    assert kept == []
