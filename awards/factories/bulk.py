"""Bulk rows for volume (the benchmark, query-count tests): plain INSERTs of many rows at a
time (`db.session.execute(insert(Model), rows)`), no services, no audit and no e-mail. The
full-text index's triggers fire for these INSERTs too. Only for an empty database (the
record, then the judging workload) or alongside rows the services made (public_awards)."""
import random
import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, update

from awards.core.slugs import slugify, strip_accents
from awards.extensions import db
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    Recognition,
)
from awards.nominations.models import (
    Area,
    AwardCycle,
    Category,
    Consent,
    Nomination,
    Photo,
    shown_name,
)
from awards.panels.enums import Outcome, Stage
from awards.panels.models import (
    Assignment,
    Criterion,
    Decision,
    Declaration,
    Panel,
    PanelMember,
    Review,
    Score,
    panel_category,
)
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from awards.public.services.listing import listing_fields

AREAS = ["Abbey Fields", "Ashgrove", "Bankside", "Beechwood", "Bridge End", "Castle Hill",
         "Church Lanes", "Eastmoor", "Ferry Point", "Foxhollow", "Greenacres", "Harbourside",
         "Kingsmead", "Lark Rise", "Millbrook", "Northgate", "Old Town", "Orchard Vale",
         "Queensway", "Riverside", "St Anne's", "Southfields", "Westcliff", "Willow Park"]
CATEGORIES = [  # slug, name, min_age, max_age
    ("young-citizen", "Young Citizen", 16, None),
    ("good-neighbour", "Good Neighbour", None, None),
    ("volunteer-of-the-year", "Volunteer of the Year", None, None),
    ("community-group", "Community Group", None, None),
    ("green-champion", "Green Champion", None, None),
    ("lifetime-achievement", "Lifetime Achievement", None, None),
]
FIRST = ["Aisha", "Ben", "Chloe", "Dev", "Ewa", "Femi", "Grace", "Hamza", "Isla", "Jon",
         "Kemi", "Liam", "Maya", "Niall", "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
         "Una", "Vik", "Wen", "Yusuf", "Zara", "Maria", "Tom", "Leah", "Omar", "Ruth"]
LAST = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quigley", "Roberts",
        "Singh", "Taylor", "Walsh", "Young", "Zielinski", "Murphy", "Kowalski", "Baker"]
DEEDS = [  # "garden" is in one in eight (the benchmark's search word)
    "runs the Tuesday lunch club at the community centre, cooking for forty neighbours",
    "started the community garden on the old car park and keeps it growing every season",
    "drives older neighbours to hospital appointments and waits with them",
    "coaches the under-twelves football team and never misses a Saturday",
    "organises the litter picks along the river and the canal towpath",
    "set up the repair cafe where broken toasters and bicycles get a second life",
    "reads with children at the library homework club three evenings a week",
    "knits blankets for the neonatal unit and has taught half the street to knit",
]
IMPACTS = [
    "Nobody eats alone on a Tuesday any more.",
    "The whole street knows each other's names now.",
    "Dozens of families say it changed their year.",
    "The panel heard from more supporters than for any other nominee.",
    "Quiet, patient and always there when it matters.",
    "Several supporters said they would not have coped without this help.",
]


def at(day, hour=12):
    """Noon (or `hour`) UTC on `day`."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _scheme(years, day):
    """Rows: the areas, a published cycle for each year and the open cycle, six categories
    each, and a final-round panel over each published cycle's categories."""
    db.session.execute(insert(Area), [{"id": i + 1, "name": name}
                                      for i, name in enumerate(AREAS)])
    cycles = []
    for number, year in enumerate(years, start=1):
        announcement = date(year, 6, 1)
        cycles.append({
            "id": number, "name": f"Big Citizen Awards {year}", "slug": str(year),
            "description": f"The {year} awards.", "nominations_open": date(year - 1, 10, 1),
            "nominations_close": date(year - 1, 12, 31), "judging_ends": date(year, 3, 31),
            "announcement": announcement, "results_published_at": at(announcement)})
    cycles.append({
        "id": len(years) + 1, "name": f"Big Citizen Awards {day.year + 1}",
        "slug": str(day.year + 1), "description": "Nominations are open.",
        "nominations_open": day - timedelta(days=30),
        "nominations_close": day + timedelta(days=60),
        "judging_ends": day + timedelta(days=120),
        "announcement": day + timedelta(days=150), "results_published_at": None})
    db.session.execute(insert(AwardCycle), cycles)
    rows, categories = [], {}  # cycle id -> [category ids]
    for cycle in cycles:
        categories[cycle["id"]] = []
        for position, (slug, name, min_age, max_age) in enumerate(CATEGORIES):
            categories[cycle["id"]].append(len(rows) + 1)
            rows.append({"id": len(rows) + 1, "cycle_id": cycle["id"], "slug": slug,
                         "name": name, "description": f"{name}: someone who helps.",
                         "eligibility": "Lives or volunteers in the borough.",
                         "min_age": min_age, "max_age": max_age, "position": position,
                         "allows_groups": slug == "community-group", "min_supporters": 1})
    db.session.execute(insert(Category), rows)
    published = [c for c in cycles if c["results_published_at"]]
    db.session.execute(insert(Panel), [
        {"id": c["id"], "cycle_id": c["id"], "name": f"{c['name']} panel",
         "stage": Stage.FINAL} for c in published])
    db.session.execute(insert(panel_category), [
        {"panel_id": c["id"], "category_id": k} for c in published
        for k in categories[c["id"]]])
    return cycles, categories


def public_record(*, nominations=20_000, years=(2022, 2023, 2024, 2025),
                  per_published_cycle=4_500, awards_per_cycle=500, featured_thanks=30,
                  seed=2026):
    """Fill an empty database with a scheme's public record, in a few INSERTs: a published
    cycle for each of `years` (with `per_published_cycle` nominations, all decided by a
    panel; the first `awards_per_cycle` of them winners or highly commended with accepted
    consent, every way of showing a name, half with a photo row, and their PublicAward
    rows) and the open cycle with the rest of the `nominations`, submitted. Some awards get
    approved thank-you messages; the first fully shown one of the last year gets
    `featured_thanks` and is returned (its PublicAward row as a dict). Commits.
    The same `seed` gives the same names and stories."""
    rng = random.Random(seed)
    cycles, categories = _scheme(years, datetime.now(UTC).date())
    rows = {model: [] for model in (Nomination, Consent, Decision, Photo, PublicAward,
                                    ThankYou)}
    keys, featured, nomination_id = set(), None, 0
    open_id = len(years) + 1
    plan = [(c["id"], per_published_cycle) for c in cycles[:-1]]
    plan.append((open_id, nominations - per_published_cycle * len(plan)))
    for cycle_id, count in plan:
        published = cycle_id != open_id
        announcement = cycles[cycle_id - 1]["announcement"]
        submitted = at(cycles[cycle_id - 1]["nominations_open"] + timedelta(days=20))
        for index in range(count):
            nomination_id += 1
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            deed = rng.choice(DEEDS)
            category = rng.choice(categories[cycle_id])
            area_id = rng.randint(1, len(AREAS))
            rows[Nomination].append({
                "id": nomination_id, "reference": f"B{cycle_id}{nomination_id:07d}",
                "cycle_id": cycle_id, "category_id": category,
                "status": NominationStatus.OUTCOME if published else NominationStatus.SUBMITTED,
                "nominee_name": name, "area_id": area_id, "age_band": AgeBand.ADULT,
                "nominee_email": f"nominee{nomination_id}@example.org",
                "what_they_do": f"{name.split()[0]} {deed}.",
                "who_benefits": "Neighbours of every age, and their families.",
                "difference_made": rng.choice(IMPACTS), "how_long": HowLong.YEARS_5_10,
                "nominator_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "nominator_email": f"nominator{nomination_id}@example.org",
                "nominator_relationship": "Neighbour",
                "nominator_confirmed_at": submitted, "submitted_at": submitted})
            if not published:
                continue
            public = index < awards_per_cycle
            outcome = (Outcome.WINNER if index % 3 else Outcome.HIGHLY_COMMENDED) if public \
                else Outcome.NOT_SELECTED
            citation = f"{name.split()[0]} {deed}. {rng.choice(IMPACTS)}" if public else ""
            rows[Decision].append({
                "nomination_id": nomination_id, "panel_id": cycle_id,
                "passed_eligibility": True, "shortlisted": public, "outcome": outcome,
                "citation": citation, "rationale": "Strong support.",
                "decided_at": at(announcement - timedelta(days=30))})
            if not public:
                continue
            display = (NameDisplay.ANONYMOUS if index % 50 == 7
                       else NameDisplay.FULL if index % 4 == 0 else NameDisplay.FIRST_INITIAL)
            with_photo, with_story, with_area = index % 2 == 0, index % 10 != 3, index % 8 != 5
            rows[Consent].append({
                "nomination_id": nomination_id, "status": ConsentStatus.ACCEPTED,
                "name_display": display, "publish_photo": with_photo,
                "publish_story": with_story, "publish_area": with_area,
                "recognition": [Recognition.PUBLIC_PAGE.value, Recognition.PRIVATE_THANKS.value],
                "answered_at": at(announcement - timedelta(days=20))})
            photo_id = None
            if with_photo:
                photo_id = len(rows[Photo]) + 1
                rows[Photo].append({
                    "id": photo_id, "nomination_id": nomination_id,
                    "display_name": f"{secrets.token_hex(16)}.jpg",
                    "thumb_name": f"{secrets.token_hex(16)}.jpg", "width": 1200, "height": 900})
            key = secrets.token_hex(6)
            while key in keys:
                key = secrets.token_hex(6)
            keys.add(key)
            shown = shown_name(name, display)
            award_id = len(rows[PublicAward]) + 1
            rows[PublicAward].append({
                "id": award_id, "nomination_id": nomination_id, "key": key,
                "slug": slugify(strip_accents(shown)) if shown else "big-citizen",
                "cycle_id": cycle_id, "category_id": category,
                "area_id": area_id if with_area else None, "photo_id": photo_id,
                "outcome": outcome, "display_name": shown or "A Big Citizen",
                "is_anonymous": not shown,
                "citation": citation if with_story else "", "forwards_thanks": True,
                "announced_on": announcement,
                "category_position": categories[cycle_id].index(category),
                "category_slug": CATEGORIES[categories[cycle_id].index(category)][0]})
            messages = 0
            if featured is None and with_photo and with_story and with_area and shown \
                    and cycle_id == len(years):
                featured, messages = rows[PublicAward][-1], featured_thanks
            elif index % 5 == 0:
                messages = 3
            for m in range(messages):
                rows[ThankYou].append({
                    "reference": f"T{award_id:06d}{m:03d}", "nomination_id": nomination_id,
                    "author_name": rng.choice(FIRST),
                    "message": f"Thank you for everything you do ({m + 1}).",
                    "status": ThanksStatus.APPROVED,
                    "created_at": at(announcement + timedelta(days=m + 1)),
                    "moderated_at": at(announcement + timedelta(days=m + 2))})
    for model, made in rows.items():
        db.session.execute(insert(model), made)
    db.session.commit()
    return featured


def public_awards(numbers, *, cycle_id, category_id, area_id, word="Bulkhelper",
                  thanks_nomination_id=None, thanks=()):
    """For each of `numbers` a nomination (OUTCOME, reference BULK000123, nominee "Bulk
    Person123"; a photo row for odd numbers) and its PublicAward (winner, or highly
    commended for multiples of 3) in the given cycle, category and area, its citation
    containing `word`; and an approved thank-you message to `thanks_nomination_id` for each
    of `thanks`. Flushes only."""
    numbers = list(numbers)
    db.session.execute(insert(Nomination), [
        {"reference": f"BULK{n:06d}", "cycle_id": cycle_id, "category_id": category_id,
         "status": NominationStatus.OUTCOME, "nominee_name": f"Bulk Person{n}",
         "area_id": area_id} for n in numbers])
    ids = dict(db.session.execute(select(Nomination.reference, Nomination.id).where(
        Nomination.reference.like("BULK%"))).all())
    db.session.execute(insert(Photo), [
        {"nomination_id": ids[f"BULK{n:06d}"], "display_name": f"bulk{n}-display.jpg",
         "thumb_name": f"bulk{n}-thumb.jpg", "width": 1200, "height": 900}
        for n in numbers if n % 2])
    photos = dict(db.session.execute(select(Photo.nomination_id, Photo.id)).all())
    listed = listing_fields(db.session.get(AwardCycle, cycle_id),
                            db.session.get(Category, category_id))
    db.session.execute(insert(PublicAward), [
        {"nomination_id": ids[f"BULK{n:06d}"], "key": f"bulk{n:08d}",
         "slug": f"bulk-person{n}", "cycle_id": cycle_id, "category_id": category_id,
         "area_id": area_id, "photo_id": photos.get(ids[f"BULK{n:06d}"]),
         "outcome": Outcome.WINNER if n % 3 else Outcome.HIGHLY_COMMENDED,
         "display_name": f"Bulk Person{n}", "is_anonymous": False,
         "citation": f"{word} number {n} mends things for neighbours.",
         "forwards_thanks": False, **listed} for n in numbers])
    if thanks:
        db.session.execute(insert(ThankYou), [
            {"reference": f"TBULK{n:06d}", "nomination_id": thanks_nomination_id,
             "author_name": f"Neighbour {n}", "message": f"Thank you, message {n}.",
             "status": ThanksStatus.APPROVED} for n in thanks])
    db.session.flush()


def judging_workload(open_cycle_id, *, chair_id, judge_id, count=1_000, reviewed=300,
                     day=None):
    """Staff work on top of `public_record`: a cycle in judging (nominations closed 10 days
    ago) to which the open cycle's first `count` nominations move (same category by
    position; IN_JUDGING, consent accepted), its default rubric, a scoring panel over its
    categories chaired by the user `chair_id`, with the user `judge_id` as a member; both
    are assigned every one of those nominations, and each has declared no conflict and
    submitted a review of the first `reviewed` (scores 1-5 on every criterion). The rest
    of the open cycle's nominations stay SUBMITTED: the moderation queue. Flushes only;
    returns {"cycle_id", "panel_id", "judged", "queued"}."""
    from awards.panels.services.rubric import ANCHORS, DEFAULT_RUBRIC

    day = day or datetime.now(UTC).date()
    open_cycle = db.session.get(AwardCycle, open_cycle_id)
    cycle = AwardCycle(
        name=f"Big Citizen Awards {day.year} (judging)", slug=f"{day.year}-judging",
        description="Judging.", nominations_open=day - timedelta(days=100),
        nominations_close=day - timedelta(days=10), judging_ends=day + timedelta(days=20),
        announcement=day + timedelta(days=40))
    db.session.add(cycle)
    db.session.flush()
    mapping = {}  # the open cycle's category id -> the judging cycle's
    for old in sorted(open_cycle.categories, key=lambda c: c.position):
        new = Category(cycle_id=cycle.id, slug=old.slug, name=old.name,
                       description=old.description, eligibility=old.eligibility,
                       min_age=old.min_age, max_age=old.max_age, position=old.position,
                       allows_groups=old.allows_groups, min_supporters=old.min_supporters)
        db.session.add(new)
        db.session.flush()
        mapping[old.id] = new.id
    db.session.execute(insert(Criterion), [
        {"category_id": category_id, "name": name, "question": question, "weight": weight,
         "anchors": ANCHORS[key], "position": position}
        for category_id in mapping.values()
        for position, (key, name, question, weight) in enumerate(DEFAULT_RUBRIC, start=1)])
    moved = db.session.execute(
        select(Nomination.id, Nomination.category_id)
        .where(Nomination.cycle_id == open_cycle_id).order_by(Nomination.id).limit(count)).all()
    db.session.execute(update(Nomination), [
        {"id": id_, "cycle_id": cycle.id, "category_id": mapping[category_id],
         "status": NominationStatus.IN_JUDGING} for id_, category_id in moved])
    ids = [id_ for id_, _category in moved]
    answered = at(day - timedelta(days=30))
    db.session.execute(insert(Consent), [
        {"nomination_id": id_, "status": ConsentStatus.ACCEPTED,
         "name_display": NameDisplay.FULL, "publish_story": True,
         "recognition": [Recognition.PUBLIC_PAGE.value], "answered_at": answered}
        for id_ in ids])
    panel = Panel(cycle_id=cycle.id, name="Judging panel", stage=Stage.SCORING)
    panel.categories = [db.session.get(Category, c) for c in mapping.values()]
    db.session.add(panel)
    db.session.flush()
    members = [PanelMember(panel_id=panel.id, user_id=chair_id, is_chair=True),
               PanelMember(panel_id=panel.id, user_id=judge_id)]
    db.session.add_all(members)
    db.session.flush()
    member_ids = [m.id for m in members]
    db.session.execute(insert(Assignment), [
        {"member_id": m, "nomination_id": id_} for m in member_ids for id_ in ids])
    done = ids[:reviewed]
    submitted = at(day - timedelta(days=2))
    db.session.execute(insert(Declaration), [
        {"member_id": m, "nomination_id": id_, "conflicted": False, "declared_at": submitted}
        for m in member_ids for id_ in done])
    db.session.execute(insert(Review), [
        {"member_id": m, "nomination_id": id_, "stage": Stage.SCORING,
         "overall_comment": "A strong nomination.", "submitted_at": submitted}
        for m in member_ids for id_ in done])
    reviews = db.session.execute(select(Review.id, Review.nomination_id).join(PanelMember)
                                 .where(PanelMember.panel_id == panel.id)).all()
    criteria = {}  # category id -> criterion ids
    for criterion_id, category_id in db.session.execute(
            select(Criterion.id, Criterion.category_id)
            .where(Criterion.category_id.in_(list(mapping.values())))):
        criteria.setdefault(category_id, []).append(criterion_id)
    category_of = {id_: mapping[category_id] for id_, category_id in moved}
    db.session.execute(insert(Score), [
        {"review_id": review_id, "criterion_id": criterion_id,
         "value": 1 + (review_id + criterion_id) % 5, "comment": ""}
        for review_id, nomination_id in reviews
        for criterion_id in criteria[category_of[nomination_id]]])
    db.session.flush()
    return {"cycle_id": cycle.id, "panel_id": panel.id, "judged": len(ids),
            "queued": db.session.scalar(select(func.count()).select_from(Nomination).where(
                Nomination.cycle_id == open_cycle_id,
                Nomination.status == NominationStatus.SUBMITTED))}
