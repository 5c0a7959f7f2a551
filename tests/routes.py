"""Concrete paths for every url_map rule, and real objects to put in their parameters."""
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

from PIL import Image
from werkzeug.routing import AnyConverter, IntegerConverter

from awards import factories
from awards.accounts.services import RESET, VERIFY, create_verified_user
from awards.core.links import make_link_token
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.core.tokens import issue_token
from awards.extensions import db
from awards.newsletter.enums import SubscriberStatus
from awards.newsletter.services import issues as newsletter_issues
from awards.newsletter.services.subscriptions import confirm_token
from awards.nominations.enums import (
    AgeBand,
    HowLong,
    NominationStatus,
    NomineeKind,
    RecognitionKind,
)
from awards.nominations.models import today
from awards.nominations.services import journey, photos, supporters
from awards.nominations.services.recognition import record_recognition
from awards.nominations.services.setup import save_area, save_category, save_cycle
from awards.panels.services.membership import invite_member, save_panel
from awards.panels.services.rubric import criteria_of
from awards.public.models import PublicAward
from awards.public.services.thanks import leave_thanks
from tests.conftest import DEFAULT_PASSWORD
from tests.public.showcase import GOOD_NEIGHBOUR, Entry, published_cycle

STATIC_FILE = "css/main.css"
DUMMY = "dummy-value"
LINK_PURPOSES = ("nominator", "nominee", "supporter", "supporter-invite")


def path_for(rule, values=None):
    """The rule's path with every parameter filled through the rule's own converter.

    `values` maps parameter names to values; an entry keyed by an endpoint name (a dict)
    overrides them for that endpoint only. Unnamed parameters get: an `any(...)` item (the
    first in sorted order), 1 for an integer, css/main.css for `filename`, else a dummy.
    """
    values = values or {}
    given = {**values, **values.get(rule.endpoint, {})}
    filled = {}
    for name in sorted(rule.arguments):
        converter = rule._converters[name]
        if name in given:
            filled[name] = given[name]
        elif isinstance(converter, AnyConverter):
            filled[name] = sorted(converter.items)[0]
        elif isinstance(converter, IntegerConverter):
            filled[name] = 1
        elif name == "filename":
            filled[name] = STATIC_FILE
        else:
            filled[name] = DUMMY
    _domain, path = rule.build(filled, append_unknown=False)
    return path


def paths_for(rule, values=None):
    """`path_for` once for every combination of the rule's `any(...)` items (each step of
    the journey, each photo size), unless `values` names the item."""
    given = {**(values or {}), **(values or {}).get(rule.endpoint, {})}
    combinations = [{}]
    for name in sorted(rule.arguments):
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter) and name not in given:
            combinations = [{**c, name: item} for c in combinations
                            for item in sorted(converter.items)]
    return [path_for(rule, {**given, **combination}) for combination in combinations]


def rules_for(application, method=None):
    """The application's rules (accepting `method`, if given), sorted by rule text."""
    return sorted((r for r in application.url_map.iter_rules()
                   if method is None or method in r.methods), key=lambda r: r.rule)


def png_bytes(size=(40, 30)):
    """A small real PNG image."""
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def route_objects(nominator=None, prefix="route"):
    """Real objects behind every parameterised route, made in the current app context.

    An open cycle with one category and two areas; `draft` (every answer, a photo),
    `awaiting` (sent, e-mail not confirmed), `sent` (submitted, consent pending, one invited
    supporter who sent a statement, one who joined from the shared link but has not
    confirmed); an unverified account with a verify and a reset token; a panel over the
    category chaired by `judge`, and the first `criterion` of the category's rubric; a newsletter
    `reader` (active) and an address `waiting` for confirmation. `nominator` (a
    verified user), when given, is the account that nominated `draft` and `sent`.
    `.values` fills every route's parameters (see `path_for`).
    """
    start = today()
    cycle = save_cycle(None, {
        "name": f"{prefix.title()} Awards", "slug": f"{prefix}-awards", "description": "",
        "nominations_open": start - timedelta(days=10),
        "nominations_close": start + timedelta(days=20),
        "judging_ends": start + timedelta(days=40), "announcement": start + timedelta(days=60)})
    category = save_category(cycle, None, {
        "name": "Good Neighbour", "slug": "", "description": "", "eligibility": "",
        "allows_self_nomination": False, "allows_groups": False, "min_supporters": 1,
        "min_age": None, "max_age": None, "position": 1})
    area = save_area(None, f"{prefix.title()} Ward")
    spare_area = save_area(None, f"{prefix.title()} Spare Ward")

    def nomination(name, user=None, email=None):
        made = journey.start_nomination(cycle, category=category, nominator=user)
        journey.save_step(made, {
            "nominee_name": name, "nominee_kind": NomineeKind.PERSON,
            "age_band": AgeBand.ADULT, "nominee_email": f"{name.split()[0].lower()}@example.com",
            "area_id": area.id, "what_they_do": "Runs the Tuesday lunch club.",
            "who_benefits": "Older neighbours who live alone.",
            "difference_made": "They are less lonely.", "how_long": HowLong.YEARS_1_5,
            "nominator_name": user.name if user else "Sam Smith",
            "nominator_email": email or (user.email if user else "sam@example.com"),
            "nominator_relationship": "Neighbour", "nominator_may_be_named": False})
        return made

    draft = nomination("Dana Draft", nominator)
    photos.attach_photo(draft, png_bytes(), "Dana at the lunch club")
    awaiting = nomination("Alex Awaiting", email="alex.nominator@example.com")
    journey.submit_nomination(awaiting)
    sent = nomination("Maria Lopez", nominator)
    photos.attach_photo(sent, png_bytes(), "Maria at the lunch club")
    journey.submit_nomination(sent, actor=nominator)
    if sent.status is NominationStatus.AWAITING_CONFIRMATION:
        journey.confirm_nominator_email(sent)
    invited = supporters.invite_supporter(sent, "ivy.supporter@example.com")
    supporters.add_statement(invited, name="Ivy", relationship="Neighbour",
                             statement="Maria is always there.")
    joined = supporters.join_as_supporter(
        sent, email="jo.supporter@example.com", name="Jo", relationship="Friend",
        statement="Maria helps everyone.")
    given = record_recognition(sent, kind=RecognitionKind.CERTIFICATE)
    judge = create_verified_user("Pat Panel", f"pat.{prefix}@example.com", DEFAULT_PASSWORD)
    panel = save_panel(cycle, None, {"name": f"{prefix.title()} panel", "categories": [category],
                                     "blind": False, "reviews_per_nomination": None,
                                     "eligibility_round": False}, actor=None)
    panel_member = invite_member(panel, judge.name, judge.email, chair=True, actor=None)
    criterion = criteria_of(category)[0]
    owner = create_verified_user("Kim Unverified", f"kim.{prefix}@example.com",
                                 DEFAULT_PASSWORD)
    owner.email_verified_at = None
    account_links = {"verify": issue_token(owner, VERIFY, 48),
                     "reset": issue_token(owner, RESET, 1)}
    # A newsletter subscriber (their preferences and unsubscribe links) and an address
    # waiting for confirmation (its confirmation link).
    reader = factories.subscriber(f"reader.{prefix}@example.com", areas=[area])
    waiting = factories.subscriber(f"waiting.{prefix}@example.com", SubscriberStatus.PENDING)
    db.session.commit()
    assert sent.status is NominationStatus.SUBMITTED and sent.consent is not None
    assert awaiting.status is NominationStatus.AWAITING_CONFIRMATION
    assert joined.confirmed_at is None

    tokens = {
        "nominator": make_link_token("nominator", sent.id),
        "nominator-awaiting": make_link_token("nominator", awaiting.id),
        "nominator-draft": make_link_token("nominator", draft.id),
        "nominee": make_link_token("nominee", sent.id),
        "supporter": make_link_token("supporter", invited.id),
        "supporter-joined": make_link_token("supporter", joined.id),
        "supporter-invite": make_link_token("supporter-invite", sent.id),
        "subscriber": reader.token,
        "newsletter-confirm": confirm_token(waiting),
    }
    published = _published_winner(prefix, area, admin=owner)
    failed_mail = _failed_mail(prefix)
    newsletter = _newsletter_issues(prefix, published.award)
    on_draft = {"reference": draft.reference}
    values = {
        "reference": sent.reference, "slug": cycle.slug, "cycle_id": cycle.id,
        "category_id": category.id, "area_id": area.id, "panel_id": panel.id,
        "criterion_id": criterion.id, "member_id": panel_member.id,
        "consent_id": sent.consent.id, "given_id": given.id,
        "panel_admin.member": {"action": "unchair"},
        "setup.archive": {"kind": "areas", "item_id": spare_area.id, "action": "archive"},
        "nominations.step": on_draft, "nominations.check": on_draft,
        "nominations.photo": on_draft, "nominations.remove_photo": on_draft,
        "nominations.open_link": {"token": tokens["nominator"]},
        "nominations.confirm_link": {"token": tokens["nominator-awaiting"]},
        "consent.consent": {"token": tokens["nominee"]},
        "consent.withdraw": {"token": tokens["nominee"]},
        "consent.photo": {"token": tokens["nominee"]},
        "supporters.statement": {"token": tokens["supporter"]},
        "supporters.confirm": {"token": tokens["supporter-joined"]},
        "supporters.join": {"token": tokens["supporter-invite"]},
        "accounts.verify_email": {"token": account_links["verify"]},
        "core.language": {"code": "cy"},
        "accounts.reset_password": {"token": account_links["reset"]},
        "key": published.award.key,
        "public.award": {"slug": published.award.slug},
        "public.cycle_results": {"slug": published.cycle.slug},
        "public.category": {"slug": published.award.category.slug},
        "thanks.sent": {"reference": published.thanks.reference},
        "thanks.moderate": {"thanks_id": published.thanks.id},
        "admin_mail.retry": {"message_id": failed_mail.id},
        "newsletter.confirm": {"token": tokens["newsletter-confirm"]},
        "newsletter.preferences": {"token": tokens["subscriber"]},
        "newsletter.unsubscribe": {"token": tokens["subscriber"]},
        "issue_id": newsletter.draft.id,
        "newsletter_archive.issue": {"reference": newsletter.sent.reference},
        "user_id": owner.id,
    }
    return SimpleNamespace(
        cycle=cycle, category=category, area=area, spare_area=spare_area, draft=draft,
        awaiting=awaiting, sent=sent, invited=invited, joined=joined, owner=owner,
        tokens=tokens, account_links=account_links, values=values, panel=panel, judge=judge,
        criterion=criterion, published=published, failed_mail=failed_mail, reader=reader,
        waiting=waiting, newsletter=newsletter)


def _failed_mail(prefix):
    """An outbox message the mail server refused for good (the mail status page's retry)."""
    message = OutboxMessage(
        kind="accounts/verify_email", recipient=f"bounced.{prefix}@example.com",
        subject="Confirm your email address", text_body="Hello", html_body="<p>Hello</p>",
        message_id=f"<failed.{prefix}@example.com>", status=OutboxStatus.FAILED, attempts=8,
        last_error="550 No such user")
    db.session.add(message)
    db.session.commit()
    return message


def _newsletter_issues(prefix, award):
    """A draft newsletter issue featuring the published winner, and one sent, which is in
    the public archive."""
    draft = newsletter_issues.create_issue(subject=f"{prefix.title()} draft news",
                                           introduction="Hello", award_ids=[award.id])
    sent = newsletter_issues.create_issue(subject=f"{prefix.title()} sent news",
                                          introduction="Hello")
    newsletter_issues.send_issue_now(sent)
    db.session.commit()
    return SimpleNamespace(draft=draft, sent=sent)


def _published_winner(prefix, area, admin):
    """A past cycle, published, whose winner allowed everything (a photo and the newsletter
    too), and a thank-you message for them waiting for moderation."""
    entry = Entry(f"{prefix.title()} Winner", GOOD_NEIGHBOUR, area.name, "winner",
                  "Runs the Tuesday lunch club.", photo="teal",
                  consent={"in_newsletter": True})
    cycle, (nomination,) = published_cycle(
        f"{prefix.title()} Awards Past", f"{prefix}-awards-past", today() - timedelta(days=30),
        [entry], {area.name: area}, admin, f"chair.{prefix}@example.com",
        {"route": 700, "other": 800}.get(prefix, 900))
    award = db.session.scalar(db.select(PublicAward).filter_by(nomination_id=nomination.id))
    thanks = leave_thanks(award, "Thank you for everything.", "Neighbour")
    db.session.commit()
    return SimpleNamespace(cycle=cycle, nomination=nomination, award=award, thanks=thanks)
