"""The states and choices of nominations, with every allowed transition in one place."""
from flask_babel import lazy_gettext as _l

from awards.core.enums import LabelledEnum


class Phase(LabelledEnum):
    """Where an award cycle is, derived from its dates."""

    UPCOMING = "upcoming", _l("Opening soon")
    NOMINATING = "nominating", _l("Nominations open")
    JUDGING = "judging", _l("Judging")
    # judging has ended; results not yet announced
    DECIDING = "deciding", _l("Results being prepared")
    ANNOUNCED = "announced", _l("Winners announced")


class NominationStatus(LabelledEnum):
    """The life of a nomination."""

    DRAFT = "draft", _l("Draft – not sent yet")
    # nominator must confirm their email
    AWAITING_CONFIRMATION = "awaiting_confirmation", _l("Waiting for you to confirm your email")
    SUBMITTED = "submitted", _l("Received – being checked")
    ELIGIBLE = "eligible", _l("Accepted for judging")
    IN_JUDGING = "in_judging", _l("With the judging panel")
    OUTCOME = "outcome", _l("Decided")
    WITHDRAWN = "withdrawn", _l("Withdrawn")
    INELIGIBLE = "ineligible", _l("Not eligible")
    DUPLICATE = "duplicate", _l("Combined with another nomination")
    SPAM = "spam", _l("Removed")

    def label_for(self, audience="nominator"):
        """The label as `audience` reads it: the nominator ("nominator", as `.label` says it)
        or an admin ("admin"), who reads about the nominator rather than to them."""
        if audience == "admin":
            return ADMIN_STATUS_LABELS.get(self, self.label)
        return self.label


# Where a status's label speaks to the nominator, what an admin reads instead.
ADMIN_STATUS_LABELS = {
    NominationStatus.AWAITING_CONFIRMATION: _l("Waiting for the nominator to confirm their email"),
}

S = NominationStatus
TRANSITIONS = {
    S.DRAFT: {S.AWAITING_CONFIRMATION, S.SUBMITTED, S.WITHDRAWN},
    S.AWAITING_CONFIRMATION: {S.SUBMITTED, S.WITHDRAWN, S.SPAM},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.DUPLICATE, S.SPAM, S.WITHDRAWN},
    S.ELIGIBLE: {S.IN_JUDGING, S.INELIGIBLE, S.DUPLICATE, S.WITHDRAWN},
    S.IN_JUDGING: {S.OUTCOME},
    S.OUTCOME: set(),
    S.WITHDRAWN: set(),
    S.INELIGIBLE: {S.ELIGIBLE},  # an admin may reverse a mistaken decision
    S.DUPLICATE: set(),
    S.SPAM: set(),
}


class NomineeKind(LabelledEnum):
    """A person or a group."""

    PERSON = "person", _l("A person")
    GROUP = "group", _l("A group or organisation")


class AgeBand(LabelledEnum):
    """The nominee's age, in the bands that matter for consent and categories."""

    UNDER_16 = "under_16", _l("Under 16")
    AGE_16_17 = "16_17", _l("16 or 17")
    ADULT = "18_plus", _l("18 or over")

    @property
    def ages(self):
        """The youngest and oldest age in the band (None: no upper limit)."""
        return {"under_16": (0, 15), "16_17": (16, 17), "18_plus": (18, None)}[self.value]

    @property
    def needs_guardian(self):
        """Under-18s are asked through a parent or guardian."""
        return self is not AgeBand.ADULT


class HowLong(LabelledEnum):
    """How long the nominee has been doing this."""

    UNDER_1 = "under_1", _l("Less than a year")
    YEARS_1_5 = "1_5", _l("1 to 5 years")
    YEARS_5_10 = "5_10", _l("5 to 10 years")
    OVER_10 = "over_10", _l("More than 10 years")


class ReceivedVia(LabelledEnum):
    """How a nomination reached the scheme."""

    ONLINE = "online", _l("Online")
    PAPER = "paper", _l("On a paper form")
    PHONE = "phone", _l("By phone")
    IN_PERSON = "in_person", _l("In person")


# The ways a helper can take a nomination down (the rest come in online).
ASSISTED = (ReceivedVia.PAPER, ReceivedVia.PHONE, ReceivedVia.IN_PERSON)


class ConsentStatus(LabelledEnum):
    """The nominee's answer, in the words they chose it with."""

    PENDING = "pending", _l("Waiting for an answer")
    ACCEPTED = "accepted", _l("Yes, I am happy to be considered")
    DECLINED = "declined", _l("No, thank you")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


# The answers a nominee (or whoever records their consent) can give on the form.
ANSWERS = (ConsentStatus.ACCEPTED, ConsentStatus.DECLINED)


CONSENT_TRANSITIONS = {
    ConsentStatus.PENDING: {ConsentStatus.ACCEPTED, ConsentStatus.DECLINED},
    ConsentStatus.ACCEPTED: {ConsentStatus.ACCEPTED, ConsentStatus.WITHDRAWN},
    ConsentStatus.DECLINED: {ConsentStatus.ACCEPTED, ConsentStatus.DECLINED},
    ConsentStatus.WITHDRAWN: {ConsentStatus.ACCEPTED, ConsentStatus.WITHDRAWN},
}


class NameDisplay(LabelledEnum):
    """How the nominee's name may be published."""

    FULL = "full", _l("My full name")
    FIRST_INITIAL = "first_initial", _l("My first name and the initial of my surname")
    ANONYMOUS = "anonymous", _l("Do not show my name")


class Recognition(LabelledEnum):
    """Ways a nominee may like to be recognised (any number)."""

    PRIVATE_THANKS = "private_thanks", _l("A private thank-you")
    HEAR_IMPACT = "hear_impact", _l("Hearing about the difference I made")
    NEWSLETTER = "newsletter", _l("A mention in the newsletter")
    PUBLIC_PAGE = "public_page", _l("A public page about what I do")
    PRESS_OR_CEREMONY = "press_or_ceremony", _l("Local press or an awards ceremony")
    GRANT = "grant", _l("A small grant or equipment for my cause")
    TRAINING_OR_EXPENSES = "training_or_expenses", _l("Training or help with expenses")
    NO_THANKS = "no_thanks", _l("No thanks needed")


class RecognitionKind(LabelledEnum):
    """What the scheme actually gave a nominee by way of recognition or support (any number,
    recorded by an admin on the nomination)."""

    PRIVATE_THANKS = "private_thanks", _l("A private thank-you")
    IMPACT_STORY = "impact_story", _l("Told about the difference they made")
    CERTIFICATE = "certificate", _l("A certificate")
    NEWSLETTER = "newsletter", _l("A mention in the newsletter")
    PUBLIC_PAGE = "public_page", _l("A public page")
    CEREMONY = "ceremony", _l("An awards ceremony")
    PRESS = "press", _l("A story in the local press")
    GRANT = "grant", _l("A grant")
    EQUIPMENT = "equipment", _l("Equipment")
    TRAINING = "training", _l("Training")
    EXPENSES = "expenses", _l("Help with expenses")
    INTRODUCTION = "introduction", _l("An introduction to a group, funder or employer")
    OTHER = "other", _l("Something else")


# Which recognition given meets each way a nominee asked to be recognised (the insight
# report's "of 23 who asked for a private thank-you, 19 got one"). "No thanks needed" asks
# for nothing, so it is never counted as met or unmet.
MEETS = {
    Recognition.PRIVATE_THANKS: frozenset({RecognitionKind.PRIVATE_THANKS,
                                           RecognitionKind.CERTIFICATE}),
    Recognition.HEAR_IMPACT: frozenset({RecognitionKind.IMPACT_STORY}),
    Recognition.NEWSLETTER: frozenset({RecognitionKind.NEWSLETTER}),
    Recognition.PUBLIC_PAGE: frozenset({RecognitionKind.PUBLIC_PAGE}),
    Recognition.PRESS_OR_CEREMONY: frozenset({RecognitionKind.CEREMONY, RecognitionKind.PRESS}),
    Recognition.GRANT: frozenset({RecognitionKind.GRANT, RecognitionKind.EQUIPMENT}),
    Recognition.TRAINING_OR_EXPENSES: frozenset({RecognitionKind.TRAINING,
                                                 RecognitionKind.EXPENSES}),
}
