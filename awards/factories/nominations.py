"""Nominations in any status, through the services the journey and the admins use: sent,
confirmed, supported, moderated and consented, with the audit rows and e-mails they give."""
from awards.extensions import db
from awards.factories import scheme
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    ReceivedVia,
)
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.photos import attach_photo

S = NominationStatus
# Every answer of the journey; pass keyword overrides (nominee_name="...", area=...).
STORY = {
    "nominee_name": "Maria Lopez", "nominee_kind": NomineeKind.PERSON, "age_band": AgeBand.ADULT,
    "nominee_email": "maria@example.com", "what_they_do": "Runs the Tuesday lunch club.",
    "who_benefits": "Older neighbours who live alone.",
    "difference_made": "They are less lonely.", "how_long": HowLong.YEARS_1_5,
    "nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
    "nominator_relationship": "Neighbour", "nominator_may_be_named": False,
}
# Consent choices: everything a nominee can allow, and a yes with nothing but an anonymous
# mention (save_consent's own defaults are the first name and initial, nothing published).
EVERYTHING = {"name_display": NameDisplay.FULL, "publish_story": True, "publish_photo": True,
              "publish_area": True, "recognition": ["hear_impact"]}
NOTHING_BUT_YES = {"name_display": NameDisplay.ANONYMOUS}
# The order in which nomination() drives a nomination towards its status.
_SENT = {S.AWAITING_CONFIRMATION, S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE, S.DUPLICATE, S.SPAM,
         S.WITHDRAWN}
_CONFIRMED = _SENT - {S.AWAITING_CONFIRMATION, S.SPAM}


def nomination(cycle, status=S.DRAFT, *, category=None, area=None, nominator=None, actor=None,
               entered_by=None, via=ReceivedVia.ONLINE, photo=None, photo_alt="",
               statements=0, consent=None, admin=None, reason="Outside the scheme's area.",
               kept=None, **answers):
    """A nomination of `cycle` in `status`, made as the services make it.

    Answers default to STORY (override any: `nominee_name="Dev"`; `area` an Area, default a
    new one). `nominator` is the signed-in account that starts it (the answers still give
    the nominator's name and address: pass its own to match); `actor` sends it (a verified
    nominator's goes straight to SUBMITTED) and `entered_by` is a helper taking it by phone
    (`via`). `photo` (a stream, see scheme.photo) is attached before it is sent.

    From DRAFT: AWAITING_CONFIRMATION sends it (and stops there unless the sender needs no
    confirmation); SUBMITTED also follows the e-mailed link; then `statements` (a number, or
    (email, name, relationship, statement) tuples) are added, and ELIGIBLE, INELIGIBLE
    (`reason`), DUPLICATE (of `kept`), SPAM or WITHDRAWN is recorded by `admin` (or the
    nominator); SPAM is marked on one awaiting confirmation. `consent` (True, or a dict of
    save_consent choices, see EVERYTHING) is the nominee's yes, given last. IN_JUDGING and
    OUTCOME are whole-cycle steps: see judging.start_judging and judging.publish.
    """
    status = S(status)
    if status in {S.IN_JUDGING, S.OUTCOME}:
        raise ValueError(f"{status} is reached by the cycle: see judging.start_judging/publish")
    made = journey.start_nomination(cycle, category=category or cycle.categories[0],
                                    nominator=nominator, entered_by=entered_by, via=via)
    area = area or scheme.area()
    journey.save_step(made, {**STORY, "area_id": area.id, **answers})
    if photo is not None:
        attach_photo(made, photo, photo_alt)
    if status in _SENT:
        journey.submit_nomination(made, actor=actor)
    if status in _CONFIRMED:
        journey.confirm_nominator_email(made)
    add_statements(made, statements)
    if status is S.ELIGIBLE:
        moderation.mark_eligible(made, actor=admin)
    elif status is S.INELIGIBLE:
        moderation.mark_ineligible(made, reason, actor=admin)
    elif status is S.DUPLICATE:
        moderation.mark_duplicate(made, kept, actor=admin)
    elif status is S.SPAM:
        moderation.mark_spam(made, actor=admin)
    elif status is S.WITHDRAWN:
        journey.withdraw_nomination(made, actor=actor)
    if consent:
        give_consent(made, **({} if consent is True else consent))
    db.session.flush()
    return made


def add_statements(nomination, statements):
    """Invite supporters and add their statements: `statements` a number (s0@example.com,
    "Supporter 0", ...) or (email, name, relationship, statement) tuples. Returns them."""
    if isinstance(statements, int):
        statements = [(f"s{n}@example.com", f"Supporter {n}", "Friend", "Kind.")
                      for n in range(statements)]
    made = []
    for email, name, relationship, statement in statements:
        supporter = supporters.invite_supporter(nomination, email)
        made.append(supporters.add_statement(supporter, name=name, relationship=relationship,
                                             statement=statement))
    return made


def give_consent(nomination, status=ConsentStatus.ACCEPTED, **choices):
    """The nominee's answer (save_consent): accepted unless `status` says otherwise, with
    `choices` (name_display, publish_story, publish_photo, publish_area, in_newsletter,
    recognition, support_needed, guardian_name...; see EVERYTHING)."""
    return save_consent(nomination, status=status, **choices)
